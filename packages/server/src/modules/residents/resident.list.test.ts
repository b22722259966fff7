import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildResidentRow } from './resident.rows.js';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

// A page without filters is first looked for among the newest 2,000 residents (SQLite, see
// findResidentIdPage); these lists must come out the same whether the page is found there or not.
for (const dialect of await testDialects()) {
  describe(`resident list pages over more than 2,000 residents (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let leader: Client;

    const insertMany = async (orgId: number, n: number, prefix: string) => {
      const now = new Date().toISOString();
      const rows = Array.from({ length: n }, (_, i) => buildResidentRow(env.ctx.crypto, { name: `${prefix}${i}`, orgId, householdId: null, tags: [] }, now));
      for (let i = 0; i < rows.length; i += 200) await env.ctx.db.insertInto('residents').values(rows.slice(i, i + 200)).execute();
    };
    /** The page as the database orders it, straight from the table. */
    const expected = async (paths: string[], page: number) =>
      (
        await env.ctx.db
          .selectFrom('residents as r')
          .innerJoin('org_units as o', 'o.id', 'r.org_id')
          .select('r.id')
          .where((eb) => eb.or(paths.map((p) => eb('o.path', 'like', `${p}%`))))
          .where('r.status', '=', 'active')
          .orderBy('r.id', 'desc')
          .limit(20)
          .offset((page - 1) * 20)
          .execute()
      ).map((r) => r.id);
    const ids = async (url: string) => {
      const res = await leader.get(url);
      assert.equal(res.statusCode, 200, res.body);
      return { ids: (res.json().items as { id: number }[]).map((r) => r.id), total: res.json().total as number };
    };

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      leader = await clientAs(env, 'street_leader', org.street);
      // 30 older residents in one community, then 2,050 newer ones in the other, then 5 more in the
      // first: of its page of 20, 5 are among the newest 2,000 and 15 older.
      await insertMany(org.microGrid, 30, '早');
      await insertMany(org.otherMicroGrid, 2_050, '新');
      await insertMany(org.microGrid, 5, '晚');
    });
    after(() => env.close());

    it('gives the community with few of the newest 2,000 its own page, newest first', async () => {
      const community = env.ctx.db.selectFrom('org_units').select('path').where('id', '=', org.community);
      const path = (await community.executeTakeFirstOrThrow()).path;
      const first = await ids(`/api/residents?orgId=${org.community}&pageSize=20`);
      assert.equal(first.total, 35);
      assert.deepEqual(first.ids, await expected([path], 1));
      const second = await ids(`/api/residents?orgId=${org.community}&pageSize=20&page=2`);
      assert.deepEqual(second.ids, await expected([path], 2));
      assert.equal(second.ids.length, 15);
    });

    it('pages a tag filter by the tag, however the newest residents lie', async () => {
      // Every 7th resident of the street is elderly and living alone: old ones and new ones.
      const ids = (await env.ctx.db.selectFrom('residents').select('id').orderBy('id').execute()).map((r) => r.id).filter((_, i) => i % 7 === 0);
      for (let i = 0; i < ids.length; i += 200) {
        await env.ctx.db.insertInto('resident_tags').values(ids.slice(i, i + 200).map((id) => ({ resident_id: id, tag: 'elderly_alone' }))).execute();
      }
      const newestFirst = [...ids].sort((a, b) => b - a);
      for (const page of [1, 2, 15]) {
        const got = await leader.get(`/api/residents?tag=elderly_alone&pageSize=20&page=${page}`);
        assert.equal(got.statusCode, 200, got.body);
        assert.deepEqual((got.json().items as { id: number }[]).map((r) => r.id), newestFirst.slice((page - 1) * 20, page * 20), `page ${page}`);
      }
    });

    it('pages through the whole street the same inside and past the newest 2,000', async () => {
      const street = (await env.ctx.db.selectFrom('org_units').select('path').where('id', '=', org.street).executeTakeFirstOrThrow()).path;
      for (const page of [1, 2, 66, 67, 100, 101, 104, 105]) {
        const got = await ids(`/api/residents?pageSize=20&page=${page}`);
        assert.equal(got.total, 2_085);
        assert.deepEqual(got.ids, await expected([street], page), `page ${page}`);
      }
      // A resident who moved away leaves the list at once, wherever the page is found.
      const newest = (await ids('/api/residents?pageSize=20')).ids[0]!;
      await env.ctx.db.updateTable('residents').set({ status: 'moved_out' }).where('id', '=', newest).execute();
      const after = await ids('/api/residents?pageSize=20');
      assert.ok(!after.ids.includes(newest));
      assert.deepEqual(after.ids, await expected([street], 1));
    });
  });
}
