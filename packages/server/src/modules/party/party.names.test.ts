import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertResident } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`party members' names by role (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let committee: number;

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      const staff = await clientAs(env, 'community_staff', org.community);
      const sun = await insertResident(env.ctx, org.microGrid, '孙志强');
      const created = await staff.post('/api/party/orgs', {
        kind: 'community_committee',
        name: '竹辉社区大党委',
        orgId: org.community,
        secretaryResidentId: sun,
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().secretaryName, '孙志强');
      committee = created.json().id;
    });
    after(() => env.close());

    it('shows surname + * to roles without the reveal permission', async () => {
      for (const [role, orgId] of [['street_leader', org.street]] as const) {
        const viewer = await clientAs(env, role, orgId);
        assert.equal((await viewer.get(`/api/party/orgs/${committee}`)).json().secretaryName, '孙**', role);
        const list = (await viewer.get('/api/party/orgs')).json().items;
        assert.equal(list.find((p: { id: number }) => p.id === committee).secretaryName, '孙**', role);
        const members = (await viewer.get(`/api/party/orgs/${committee}/members`)).json().items;
        assert.deepEqual(members.map((m: { name: string }) => m.name), ['孙**'], role);
      }
    });

    it('shows full names to community staff, and the audit images keep them', async () => {
      const staff = await clientAs(env, 'community_staff', org.community);
      assert.equal((await staff.get(`/api/party/orgs/${committee}`)).json().secretaryName, '孙志强');
      const members = (await staff.get(`/api/party/orgs/${committee}/members`)).json().items;
      assert.deepEqual(members.map((m: { name: string }) => m.name), ['孙志强']);
      const row = await env.ctx.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'party.org.create')
        .where('entity_id', '=', String(committee))
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.after!).secretaryName, '孙志强');
    });

    it('keeps exactly one secretary when two are added at the same time', async () => {
      const staff = await clientAs(env, 'community_staff', org.community);
      for (let i = 0; i < 8; i++) {
        const a = await insertResident(env.ctx, org.microGrid, `甲${i}`);
        const b = await insertResident(env.ctx, org.microGrid, `乙${i}`);
        const res = await Promise.all(
          [a, b].map((residentId) => staff.post(`/api/party/orgs/${committee}/members`, { residentId, role: 'secretary' })),
        );
        assert.deepEqual(res.map((r) => r.statusCode), [201, 201], res.map((r) => r.body).join());
        const secretaries = await env.ctx.db
          .selectFrom('party_members')
          .select('resident_id')
          .where('party_org_id', '=', committee)
          .where('role', '=', 'secretary')
          .execute();
        assert.equal(secretaries.length, 1, `round ${i}: ${JSON.stringify(secretaries)}`);
        const org1 = await env.ctx.db.selectFrom('party_orgs').select('secretary_resident_id').where('id', '=', committee).executeTakeFirstOrThrow();
        assert.equal(org1.secretary_resident_id, secretaries[0]!.resident_id, 'the post follows the secretary');
      }
    });
  });
}
