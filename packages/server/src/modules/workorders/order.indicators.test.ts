import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrderIndicators } from '@haitang/contracts';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertOrder, insertOrgNode } from '../../../test/people.js';
import { beijingDate } from '../../lib/working-time.js';

/** The columns an order's history leaves on its row, set directly for hand-computed examples. */
interface Shape {
  status: string;
  /** Beijing wall time, e.g. '2026-03-10 09:00'. */
  at?: string;
  /** The instant itself, for boundary cases. */
  iso?: string;
  accepted?: boolean;
  praise?: boolean;
  handlerOrgId?: number | null;
  returnCount?: number;
  sendBackCount?: number;
  reopenCount?: number;
  onTheSpot?: boolean;
  satisfaction?: string | null;
  closedOnTime?: number | null;
  hours?: number | null;
}

const beijing = (wall: string) => new Date(Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)).toISOString();

for (const dialect of await testDialects()) {
  describe(`work-order indicators (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let leader: Client;

    const put = async (orgId: number, s: Shape) => {
      const id = await insertOrder(env.ctx, orgId, { status: s.status, handlerOrgId: s.handlerOrgId ?? null });
      const created = s.iso ?? beijing(s.at ?? '2026-03-10 09:00');
      await env.ctx.db
        .updateTable('work_orders')
        .set({
          created_at: created,
          accepted_at: s.accepted === false ? null : created,
          praise: s.praise ? 1 : 0,
          return_count: s.returnCount ?? 0,
          send_back_count: s.sendBackCount ?? 0,
          reopen_count: s.reopenCount ?? 0,
          on_the_spot: s.onTheSpot ? 1 : 0,
          satisfaction: s.satisfaction ?? null,
          closed_on_time: s.closedOnTime ?? null,
          handling_work_hours: s.hours ?? null,
        })
        .where('id', '=', id)
        .execute();
      return id;
    };
    const get = async (c: Client, query: string): Promise<OrderIndicators> => {
      const res = await c.get(`/api/orders/indicators?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const MARCH = 'from=2026-03-01&to=2026-03-31';

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      leader = await clientAs(env, 'street_leader', org.street);

      // March 2026 in 竹辉社区: eleven orders through the loop (numbered as in the first test).
      const g = org.grid;
      await put(g, { status: 'accepted' }); // 1
      await put(g, { status: 'rejected', accepted: false }); // 2
      await put(g, { status: 'submitted', accepted: false }); // 3
      await put(g, { status: 'dispatched', handlerOrgId: org.department, returnCount: 1 }); // 4: dispatched, returned, dispatched again
      await put(g, { status: 'in_progress', handlerOrgId: org.department, sendBackCount: 1 }); // 5: replied once, sent back
      await put(g, { status: 'replied', handlerOrgId: org.department }); // 6
      await put(g, { status: 'closed', handlerOrgId: org.department, closedOnTime: 1, hours: 10 }); // 7
      await put(g, { status: 'evaluated', handlerOrgId: org.department, sendBackCount: 1, satisfaction: 'satisfied', closedOnTime: 0, hours: 30 }); // 8
      await put(g, { status: 'evaluated', handlerOrgId: g, onTheSpot: true, satisfaction: 'basically_satisfied', closedOnTime: 1, hours: 0 }); // 9
      await put(g, { status: 'in_progress', handlerOrgId: org.department, reopenCount: 1 }); // 10: closed, rated dissatisfied, reopened
      await put(g, { status: 'evaluated', handlerOrgId: org.department, satisfaction: 'dissatisfied', closedOnTime: 1, hours: 20 }); // 11
      // The period's edges in Beijing time: the first and the last millisecond are in.
      await put(g, { status: 'accepted', iso: beijing('2026-03-01 00:00') });
      await put(g, { status: 'accepted', iso: new Date(Date.parse(beijing('2026-04-01 00:00')) - 1).toISOString() });
      // Just outside: the last millisecond of February and the first of April (Beijing).
      await put(g, { status: 'closed', iso: new Date(Date.parse(beijing('2026-03-01 00:00')) - 1).toISOString(), closedOnTime: 1, hours: 1 });
      await put(g, { status: 'closed', iso: beijing('2026-04-01 00:00'), closedOnTime: 1, hours: 1 });
      // Deeper and higher in the subtree: a micro-grid of the grid, the community node itself.
      await put(org.microGrid, { status: 'accepted' });
      await put(org.community, { status: 'accepted' });
      // A praise order (closed, rated, on the spot) and a merged duplicate: in no rate.
      await put(g, { status: 'evaluated', praise: true, onTheSpot: true, satisfaction: 'satisfied', closedOnTime: 1, hours: 0 });
      await put(g, { status: 'merged', returnCount: 1 });
      // The other community: one of its orders is handled by the street's police station.
      await put(org.otherGrid, { status: 'in_progress', handlerOrgId: org.department, sendBackCount: 2 });
      await put(org.otherGrid, { status: 'accepted' });
    });
    after(() => env.close());

    it('computes every count and rate of a hand-computed month exactly', async () => {
      const r = await get(staff, `orgId=${org.community}&${MARCH}`);
      assert.deepEqual(r, {
        orgId: org.community,
        from: '2026-03-01',
        to: '2026-03-31',
        received: 15, // 11 + two at the edges + micro-grid + community node
        rejected: 1,
        dueToClose: 13, // all but the rejected and the submitted one
        accepted: 13,
        closed: 4, // 7, 8, 9, 11
        closedOnTime: 3, // 8 was late
        callbacks: 4, // 8, 9, 11 rated; 10 rated dissatisfied and reopened
        satisfiedOrBasically: 2, // 8, 9
        onTheSpot: 1, // 9
        reopened: 1, // 10
        everClosed: 5, // the four closed and 10
        dispatched: 8, // 4 twice; 5, 6, 7, 8, 10, 11 once; never 9 (on the spot)
        returned: 1,
        handled: 7, // 5, 6, 7, 10, 11 once; 8 twice
        sentBack: 2, // 5, 8
        praise: 1,
        closureRate: 4 / 13,
        onTimeClosureRate: 3 / 13,
        satisfactionRate: 2 / 4,
        onTheSpotRate: 1 / 13,
        reopenRate: 1 / 5,
        reworkRate: 2 / 7,
        accurateDispatchRate: 7 / 8,
        avgHandlingWorkHours: 15, // (10 + 30 + 0 + 20) / 4
      });
    });

    it('counts the whole subtree of the node and nothing outside it', async () => {
      // The grid: everything but the order on the community node.
      const grid = await get(staff, `orgId=${org.grid}&${MARCH}`);
      assert.equal(grid.received, 14);
      assert.equal(grid.accepted, 12);
      const micro = await get(staff, `orgId=${org.microGrid}&${MARCH}`);
      assert.equal(micro.received, 1);
      assert.equal(micro.closed, 0);
      // The street: both communities (the other one adds two orders and two send-backs).
      const street = await get(leader, `orgId=${org.street}&${MARCH}`);
      assert.equal(street.received, 17);
      assert.equal(street.sentBack, 4);
      assert.equal(street.praise, 1);
      // The other community alone: its own two orders, none of 竹辉's.
      const other = await get(leader, `orgId=${org.otherCommunity}&${MARCH}`);
      assert.equal(other.received, 2);
      assert.equal(other.dispatched, 1);
    });

    it('counts every order at the only root, and only its own subtree once there is a second root', async () => {
      const admin = await clientAs(env, 'admin', org.district);
      const street = await get(admin, `orgId=${org.street}&${MARCH}`);
      const whole = await get(admin, `orgId=${org.district}&${MARCH}`);
      assert.deepEqual({ ...whole, orgId: org.street }, street);
      const otherRoot = await insertOrgNode(env.ctx, null, 'district', '相城区');
      const otherGrid = await insertOrgNode(env.ctx, otherRoot, 'grid', '相城网格');
      const id = await put(otherGrid, { status: 'accepted', at: '2026-07-01 10:00' });
      assert.ok(id);
      const july = 'from=2026-07-01&to=2026-07-31';
      assert.equal((await get(admin, `orgId=${org.district}&${july}`)).received, 0);
      const rootAdmin = await clientAs(env, 'admin', otherRoot);
      assert.equal((await get(rootAdmin, july)).received, 1);
    });

    it("gives a handler unit the orders dispatched to it, and defaults to the actor's own node", async () => {
      const police = await clientAs(env, 'department_handler', org.department);
      const r = await get(police, MARCH);
      assert.equal(r.orgId, org.department);
      // 4, 5, 6, 7, 8, 10, 11 of 竹辉 and one of the other community; not 9 (handled by the grid).
      assert.equal(r.received, 8);
      assert.equal(r.dispatched, 9);
      assert.equal(r.sentBack, 4);
      assert.equal(r.praise, 0);
      const own = await get(staff, MARCH);
      assert.equal(own.orgId, org.community);
      assert.equal(own.received, 15);
    });

    it('places orders by the Beijing date they were received, both ends included', async () => {
      const feb = await get(staff, `orgId=${org.community}&from=2026-02-01&to=2026-02-28`);
      assert.equal(feb.received, 1);
      assert.equal(feb.closed, 1);
      const firstDay = await get(staff, `orgId=${org.community}&from=2026-03-01&to=2026-03-01`);
      assert.equal(firstDay.received, 1);
      const lastDay = await get(staff, `orgId=${org.community}&from=2026-03-31&to=2026-03-31`);
      assert.equal(lastDay.received, 1);
      const apr = await get(staff, `orgId=${org.community}&from=2026-04-01&to=2026-04-30`);
      assert.equal(apr.received, 1);
      const quarter = await get(staff, `orgId=${org.community}&from=2026-01-01&to=2026-06-30`);
      assert.equal(quarter.received, 17);
    });

    it('keeps praise orders out of every count and rate', async () => {
      const id = await put(org.microGrid, { status: 'evaluated', at: '2026-05-05 10:00', praise: true, onTheSpot: true, satisfaction: 'satisfied', closedOnTime: 1, hours: 0 });
      assert.ok(id);
      const r = await get(staff, `orgId=${org.microGrid}&from=2026-05-01&to=2026-05-31`);
      assert.equal(r.praise, 1);
      for (const k of ['received', 'accepted', 'closed', 'closedOnTime', 'callbacks', 'satisfiedOrBasically', 'onTheSpot', 'dispatched', 'handled'] as const) {
        assert.equal(r[k], 0, k);
      }
      assert.equal(r.satisfactionRate, null);
      assert.equal(r.avgHandlingWorkHours, null);
    });

    it('answers an empty period with zeros and null rates', async () => {
      const r = await get(staff, `orgId=${org.community}&from=2025-01-01&to=2025-12-31`);
      for (const k of ['received', 'rejected', 'dueToClose', 'closed', 'callbacks', 'dispatched', 'returned', 'handled', 'sentBack', 'praise'] as const) {
        assert.equal(r[k], 0, k);
      }
      for (const k of ['closureRate', 'onTimeClosureRate', 'satisfactionRate', 'onTheSpotRate', 'reopenRate', 'reworkRate', 'accurateDispatchRate', 'avgHandlingWorkHours'] as const) {
        assert.equal(r[k], null, k);
      }
    });

    it('answers 404 outside the scope or for a missing node, 403 without the permission, 400 for a bad period', async () => {
      const outside = await staff.get(`/api/orders/indicators?orgId=${org.otherCommunity}&${MARCH}`);
      assert.equal(outside.statusCode, 404);
      assert.equal(outside.json().error.code, 'NOT_FOUND');
      const missing = await staff.get(`/api/orders/indicators?orgId=99999999&${MARCH}`);
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), outside.json(), 'outside looks exactly like missing');
      const resident = await clientAs(env, 'resident', org.community);
      const denied = await resident.get(`/api/orders/indicators?orgId=${org.community}&${MARCH}`);
      assert.equal(denied.statusCode, 403);
      const reversed = await staff.get('/api/orders/indicators?from=2026-03-31&to=2026-03-01');
      assert.equal(reversed.statusCode, 400);
      assert.equal(reversed.json().error.code, 'VALIDATION_FAILED');
      assert.equal((await staff.get('/api/orders/indicators?from=2026-3-1&to=2026-03-31')).statusCode, 400);
      assert.equal((await staff.get('/api/orders/indicators?from=2026-03-01')).statusCode, 400);
    });

    it('rebuilds the action counts exactly as the timeline records them (orders driven through the API)', async () => {
      // A street of its own, so that only these orders are counted.
      const street = await insertOrgNode(env.ctx, org.district, 'street', '双塔街道');
      const community = await insertOrgNode(env.ctx, street, 'community', '南园社区');
      const grid = await insertOrgNode(env.ctx, community, 'grid', '南园第一网格');
      const station = await insertOrgNode(env.ctx, street, 'department', '双塔派出所');
      const s = await clientAs(env, 'community_staff', community);
      const h = await clientAs(env, 'department_handler', station);
      const cats = (await s.get('/api/order-categories')).json().items as { id: number; code: string }[];
      const categoryId = cats.find((c) => c.code === 'corridor_clutter')!.id;
      const create = async (extra: Record<string, unknown> = {}) => {
        const res = await s.post('/api/orders', { channel: 'visit', categoryId, title: '楼道堆物', description: '楼道堆放杂物影响通行', orgId: grid, ...extra });
        assert.equal(res.statusCode, 201, res.body);
        return res.json() as { id: number; version: number };
      };
      const run = async (id: number, steps: [Client, string, Record<string, unknown>?][]) => {
        let v = (await s.get(`/api/orders/${id}`)).json().version as number;
        for (const [c, action, body] of steps) {
          const res = await c.post(`/api/orders/${id}/actions/${action}`, { version: v, ...(body ?? {}) });
          assert.ok(res.statusCode === 200 || res.statusCode === 204, `${action}: ${res.statusCode} ${res.body}`);
          v = (await s.get(`/api/orders/${id}`)).json().version;
        }
      };
      const dispatch: [Client, string, Record<string, unknown>] = [s, 'dispatch', { handlerOrgId: station }];
      const note = { note: '说明' };
      // A: returned once, then the full loop with one failed verification.
      const a = await create();
      await run(a.id, [dispatch, [h, 'return', note], dispatch, [h, 'sign'], [h, 'reply', note], [s, 'send_back', note], [h, 'reply', note], [s, 'close'], [s, 'callback', { satisfaction: 'satisfied' }]]);
      // B: resolved on the spot, rated dissatisfied, reopened, handled by the community, closed again.
      const b = await create({ resolveOnSpot: { note: '已现场清理' } });
      await run(b.id, [[s, 'callback', { satisfaction: 'dissatisfied' }], [s, 'reopen', note], [s, 'reply', note], [s, 'close']]);
      // C: closed, reopened, replied again and sent back.
      const c = await create();
      await run(c.id, [dispatch, [h, 'sign'], [h, 'reply', note], [s, 'close'], [s, 'callback', { satisfaction: 'dissatisfied' }], [s, 'reopen', note], [h, 'reply', note], [s, 'send_back', note]]);
      // D: dispatched and waiting; E: dispatched, returned after signing, then merged into D.
      const d = await create();
      await run(d.id, [dispatch]);
      const e = await create();
      await run(e.id, [dispatch, [h, 'sign'], [h, 'return', note], [s, 'merge', { primaryId: d.id }]]);
      // F: a praise order; G: a public report refused; H: a public report not yet accepted.
      await create({ praise: { person: '王阿姨' } });
      const report = async (text: string, phone: string) => {
        const res = await env.app.inject({ method: 'POST', url: '/api/public/orders', payload: { categoryId, description: text, contactName: '李', contactPhone: phone, orgId: grid } });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().number as string;
      };
      const gNumber = await report('小区门口路灯不亮', '13700000001');
      await report('楼上装修噪音扰民', '13700000002');
      const gRow = await env.ctx.db.selectFrom('work_orders').select(['id', 'version']).where('number', '=', gNumber).executeTakeFirstOrThrow();
      await run(gRow.id, [[s, 'reject', note]]);

      // Expected from the timeline: the events of the counted orders (not merged, not praise).
      const orders = await env.ctx.db.selectFrom('work_orders').select(['id', 'status', 'praise']).where('org_id', '=', grid).execute();
      const counted = orders.filter((o) => o.status !== 'merged' && o.praise === 0).map((o) => o.id);
      assert.equal(counted.length, 6);
      const events = await env.ctx.db.selectFrom('order_events').select(['order_id', 'action', 'data']).where('order_id', 'in', counted).orderBy('id').execute();
      const count = (action: string) => events.filter((x) => x.action === action).length;
      const ordersWith = (action: string) => new Set(events.filter((x) => x.action === action).map((x) => x.order_id)).size;
      const lastRating = new Map<number, string>();
      for (const x of events) if (x.action === 'callback') lastRating.set(x.order_id, JSON.parse(x.data!).satisfaction);

      const today = beijingDate(Date.now());
      const day = (d: number) => beijingDate(Date.parse(`${today}T12:00:00+08:00`) + d * 86_400_000);
      const r = await get(s, `from=${day(-1)}&to=${day(1)}`);
      assert.equal(r.orgId, community);
      assert.equal(r.received, 6);
      assert.equal(r.praise, 1);
      assert.equal(r.rejected, 1);
      assert.equal(r.dispatched, count('dispatch'));
      assert.equal(r.returned, count('return'));
      assert.equal(r.handled, count('reply'));
      assert.equal(r.sentBack, count('send_back'));
      assert.equal(r.reopened, ordersWith('reopen'));
      assert.equal(r.onTheSpot, ordersWith('resolve_on_spot'));
      assert.equal(r.callbacks, lastRating.size);
      assert.equal(r.satisfiedOrBasically, [...lastRating.values()].filter((x) => x !== 'dissatisfied').length);
      assert.equal(r.accepted, ordersWith('accept'));
      // …and by hand, so that the timeline comparison cannot pass on empty data.
      assert.deepEqual(
        [r.dispatched, r.returned, r.handled, r.sentBack, r.reopened, r.onTheSpot, r.callbacks, r.satisfiedOrBasically, r.closed, r.everClosed, r.accepted],
        [4, 1, 5, 2, 2, 1, 3, 1, 2, 3, 4],
      );
      assert.equal(r.accurateDispatchRate, 3 / 4);
      assert.equal(r.reworkRate, 2 / 5);
      assert.equal(r.reopenRate, 2 / 3);
      // The station sees the orders dispatched to it: A, C and D (E is merged).
      const st = await get(h, `from=${day(-1)}&to=${day(1)}`);
      assert.equal(st.orgId, station);
      assert.equal(st.received, 3);
      assert.equal(st.dispatched, 4);
    });
  });
}
