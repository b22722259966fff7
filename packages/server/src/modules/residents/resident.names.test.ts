import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertHousehold, insertResident } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`residents' names by role (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let id: number;
    let household: number;
    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      household = await insertHousehold(env.ctx, org.microGrid, '竹辉新村11幢1单元101室');
      id = await insertResident(env.ctx, org.microGrid, '刘香梅', { householdId: household });
    });
    after(() => env.close());

    it('shows surname + * to roles without the reveal permission, in lists, details and households', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      const list = (await worker.get('/api/residents')).json();
      assert.equal(list.items.find((r: { id: number }) => r.id === id).name, '刘**');
      assert.equal((await worker.get(`/api/residents/${id}`)).json().name, '刘**');
      assert.equal((await worker.get(`/api/households/${household}`)).json().members[0].name, '刘**');
      // searching by the full name still finds the person
      const found = (await worker.get(`/api/residents?q=${encodeURIComponent('刘香梅')}`)).json();
      assert.deepEqual(found.items.map((r: { id: number }) => r.id), [id]);
    });

    it('does not rename a person when a masked name comes back in an edit', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      const r = (await worker.get(`/api/residents/${id}`)).json();
      const saved = await worker.patch(`/api/residents/${id}`, { version: r.version, name: r.name, note: '走访正常' });
      assert.equal(saved.statusCode, 200, saved.body);
      const row = await env.ctx.db.selectFrom('residents').select(['name', 'note']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { name: '刘香梅', note: '走访正常' });
    });

    it('shows the full name to staff who hold the reveal permission', async () => {
      const staff = await clientAs(env, 'community_staff', org.community);
      assert.equal((await staff.get(`/api/residents/${id}`)).json().name, '刘香梅');
    });
  });
}
