import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertHousehold } from '../../../test/people.js';
import { DUPLICATE_RADIUS_M, distanceM, termSimilarity } from './order.duplicates.js';

describe('duplicate scoring', () => {
  it('measures word overlap with the Dice coefficient', () => {
    assert.equal(termSimilarity(new Set(['路灯', '不亮']), new Set(['路灯', '不亮'])), 1);
    assert.equal(termSimilarity(new Set(['路灯', '不亮']), new Set(['垃圾', '满溢'])), 0);
    // 2 shared of 3 + 5 → 4/8.
    assert.equal(termSimilarity(new Set(['路灯', '不亮', '竹辉']), new Set(['路灯', '不亮', '三晚', '连续', '小区'])), 0.5);
    assert.equal(termSimilarity(new Set(), new Set(['路灯'])), 0);
  });
  it('measures metres between points', () => {
    // 0.001° of latitude is about 111 m anywhere.
    assert.ok(Math.abs(distanceM(120.62, 31.29, 120.62, 31.291) - 111.2) < 0.5);
    // 0.001° of longitude at 31.29° N is about 95 m.
    assert.ok(Math.abs(distanceM(120.62, 31.29, 120.621, 31.29) - 95.1) < 0.5);
  });
});

for (const dialect of await testDialects()) {
  describe(`duplicate suggestions (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let otherStaff: Client;
    let police: Client;
    let lamp: number;
    let clutter: number;
    const P = { lng: 120.622, lat: 31.292 }; // inside the test micro-grid

    const create = async (c: Client, body: Record<string, unknown>) => {
      const res = await c.post('/api/orders', { channel: 'visit', categoryId: lamp, title: '路灯不亮', ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number; version: number; number: string };
    };
    const suggest = async (c: Client, q: Record<string, string | number>) => {
      const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
      const res = await c.get(`/api/orders/duplicates?${qs}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as { id: number; similarity: number; distanceM: number | null }[];
    };

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      otherStaff = await clientAs(env, 'community_staff', org.otherCommunity);
      police = await clientAs(env, 'department_handler', org.department);
      const cats = (await staff.get('/api/order-categories')).json().items as { id: number; code: string }[];
      lamp = cats.find((c) => c.code === 'street_light')!.id;
      clutter = cats.find((c) => c.code === 'corridor_clutter')!.id;
    });
    after(() => env.close());

    it('suggests an open order of the same category nearby with similar words, nearest and most similar first', async () => {
      const near = await create(staff, { description: '竹辉路3号门口路灯连续三晚不亮,晚上走路很黑', ...P });
      // About 60 m north: still the same place.
      const close = await create(staff, { description: '竹辉路路灯不亮', lng: P.lng, lat: P.lat + 0.00055 });
      const items = await suggest(staff, { categoryId: lamp, description: '竹辉路3号门口的路灯不亮了', ...P });
      assert.deepEqual(items.map((i) => i.id), [near.id, close.id]);
      assert.ok(items[0]!.similarity > items[1]!.similarity);
      assert.equal(items[0]!.distanceM, 0);
      assert.ok(Math.abs(items[1]!.distanceM! - 61) <= 1);
    });

    it("scores a resident's report by its description, as it was indexed (its title is the description cut at 30 characters)", async () => {
      // Cut after 30 characters, the title ends inside a word (希|望): title + description would add a stray term.
      const description = '竹辉路与南园路交叉口东侧的两盏路灯已经连续一周晚上都不亮了希望尽快维修一下谢谢';
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/public/orders',
        payload: { categoryId: lamp, description, contactName: '李', contactPhone: '13912345670', ...P },
      });
      assert.equal(res.statusCode, 201, res.body);
      const items = await suggest(staff, { categoryId: lamp, description, ...P });
      const report = (await env.ctx.db.selectFrom('work_orders').select('id').where('channel', '=', 'web').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
      assert.equal(items.find((i) => i.id === report)?.similarity, 1);
    });

    it('leaves out other categories, far places, unrelated words, closed and merged orders', async () => {
      const base = await create(staff, { description: '小区北门路灯杆倾斜有倒塌危险', lng: P.lng + 0.001, lat: P.lat + 0.001 });
      const q = { categoryId: lamp, description: '北门路灯杆倾斜', lng: P.lng + 0.001, lat: P.lat + 0.001 };
      assert.deepEqual((await suggest(staff, q)).map((i) => i.id), [base.id]);
      // Another category at the same point.
      await create(staff, { categoryId: clutter, description: '北门路灯杆倾斜', lng: q.lng, lat: q.lat });
      // The same words beyond the radius (0.002° north ≈ 222 m).
      assert.ok(DUPLICATE_RADIUS_M < 222);
      await create(staff, { description: '小区北门路灯杆倾斜', lng: q.lng, lat: q.lat + 0.002 });
      // Unrelated words at the same point.
      await create(staff, { description: '绿化带杂草丛生', lng: q.lng, lat: q.lat });
      // Closed on the spot, and one merged into the base.
      await create(staff, { description: '北门路灯杆倾斜', lng: q.lng, lat: q.lat, resolveOnSpot: { note: '已扶正加固' } });
      const dup = await create(staff, { description: '北门路灯杆倾斜了', lng: q.lng, lat: q.lat });
      const merged = await staff.post(`/api/orders/${dup.id}/actions/merge`, { version: dup.version, primaryId: base.id, note: '同一问题' });
      assert.equal(merged.statusCode, 200, merged.body);
      assert.deepEqual((await suggest(staff, q)).map((i) => i.id), [base.id]);
      // On an order's own page it is not its own duplicate.
      assert.deepEqual(await suggest(staff, { ...q, excludeId: base.id }), []);
    });

    it('matches by household without a point', async () => {
      const household = await insertHousehold(env.ctx, org.microGrid, '竹辉新村17幢302');
      const first = await create(staff, { categoryId: clutter, title: '楼道堆物', description: '17幢楼道堆放纸箱杂物', householdId: household });
      const items = await suggest(staff, { categoryId: clutter, description: '楼道里堆了很多纸箱', householdId: household });
      assert.deepEqual(items.map((i) => i.id), [first.id]);
      assert.equal(items[0]!.distanceM, null);
      // Without a place there is nothing to compare.
      assert.deepEqual(await suggest(staff, { categoryId: clutter, description: '楼道里堆了很多纸箱' }), []);
    });

    it('suggests only orders in the asker’s area; needs order.read', async () => {
      const q = { categoryId: lamp, description: '竹辉路3号门口的路灯不亮了', ...P };
      assert.deepEqual(await suggest(otherStaff, q), []);
      const resident = await clientAs(env, 'resident', org.microGrid);
      assert.equal((await resident.get(`/api/orders/duplicates?categoryId=${lamp}&description=x`)).statusCode, 403);
      assert.equal((await env.app.inject({ method: 'GET', url: `/api/orders/duplicates?categoryId=${lamp}&description=x` })).statusCode, 401);
      // A department handler sees nothing placed outside its own unit's area.
      assert.deepEqual(await suggest(police, q), []);
    });
  });
}
