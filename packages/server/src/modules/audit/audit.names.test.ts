import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type TestEnv, type TestOrg } from '../../../test/helpers.js';

type Entry = { action: string; entityType: string; before: { name?: string } | null; after: { name?: string } | null };

for (const dialect of await testDialects()) {
  describe(`audit log names by role (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let id: number;

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      const staff = await clientAs(env, 'community_staff', org.community);
      const created = await staff.post('/api/residents', { name: '孙志强', orgId: org.grid });
      assert.equal(created.statusCode, 201, created.body);
      id = created.json().id;
      const renamed = await staff.patch(`/api/residents/${id}`, { version: created.json().version, name: '孙志刚' });
      assert.equal(renamed.statusCode, 200, renamed.body);
    });
    after(() => env.close());

    const entries = async (role: 'street_leader' | 'community_staff', orgId: number): Promise<Entry[]> => {
      const viewer = await clientAs(env, role, orgId);
      const res = await viewer.get(`/api/audit?entityType=resident&entityId=${id}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items;
    };

    it('masks residents’ names in before/after for roles without the reveal permission', async () => {
      const items = await entries('street_leader', org.street);
      const update = items.find((e) => e.action === 'resident.update')!;
      const create = items.find((e) => e.action === 'resident.create')!;
      assert.equal(create.after!.name, '孙**');
      assert.equal(update.before!.name, '孙**');
      assert.equal(update.after!.name, '孙**');
      assert.doesNotMatch(JSON.stringify(items), /孙志强|孙志刚/);
    });

    it('shows full names to community staff, and the log itself keeps them', async () => {
      const items = await entries('community_staff', org.community);
      const update = items.find((e) => e.action === 'resident.update')!;
      assert.deepEqual([update.before!.name, update.after!.name], ['孙志强', '孙志刚']);
      const row = await env.ctx.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'resident.create')
        .where('entity_id', '=', String(id))
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.after!).name, '孙志强');
    });
  });
}
