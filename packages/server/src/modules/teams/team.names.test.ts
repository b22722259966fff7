import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertResident } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`team members' names by role (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let team: number;

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      const staff = await clientAs(env, 'community_staff', org.community);
      const created = await staff.post('/api/teams', { orgId: org.community, kind: 'volunteer', name: '银发志愿队' });
      assert.equal(created.statusCode, 201, created.body);
      team = created.json().id;
      const sun = await insertResident(env.ctx, org.microGrid, '孙志强');
      const add = await staff.post(`/api/teams/${team}/members`, { residentId: sun, role: 'leader' });
      assert.equal(add.statusCode, 201, add.body);
      assert.equal(add.json().name, '孙志强');
    });
    after(() => env.close());

    it('shows surname + * to roles without the reveal permission', async () => {
      for (const [role, orgId] of [['street_leader', org.street]] as const) {
        const viewer = await clientAs(env, role, orgId);
        const detail = (await viewer.get(`/api/teams/${team}`)).json();
        assert.equal(detail.leaderName, '孙**', role);
        assert.deepEqual(detail.members.map((m: { name: string }) => m.name), ['孙**'], role);
        const list = (await viewer.get('/api/teams')).json().items;
        assert.equal(list.find((t: { id: number }) => t.id === team).leaderName, '孙**', role);
      }
    });

    it('shows full names to community staff, and the audit images keep them', async () => {
      const staff = await clientAs(env, 'community_staff', org.community);
      const detail = (await staff.get(`/api/teams/${team}`)).json();
      assert.equal(detail.leaderName, '孙志强');
      assert.deepEqual(detail.members.map((m: { name: string }) => m.name), ['孙志强']);
      const row = await env.ctx.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'team.member.add')
        .where('entity_id', '=', String(team))
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.after!).name, '孙志强');
    });
  });
}
