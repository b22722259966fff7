import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertHousehold, insertOrgNode } from '../../../test/people.js';
import { findOrderIdPage } from './order.repository.js';

const PNG = 'data:image/png;base64,' + Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

for (const dialect of await testDialects()) {
  describe(`work-order loop (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let otherStaff: Client;
    let police: Client;
    let gridWorker: Client;
    let leader: Client;
    let category: number;

    const create = async (c: Client, extra: Record<string, unknown> = {}) => {
      const res = await c.post('/api/orders', {
        channel: 'visit',
        categoryId: category,
        title: '11幢楼道堆物',
        description: '竹辉新村11幢二单元楼道堆放杂物,影响通行和消防安全',
        orgId: org.grid,
        ...extra,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const act = (c: Client, id: number, action: string, body: Record<string, unknown>) => c.post(`/api/orders/${id}/actions/${action}`, body);
    const current = async (id: number) => (await staff.get(`/api/orders/${id}`)).json();

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      otherStaff = await clientAs(env, 'community_staff', org.otherCommunity);
      police = await clientAs(env, 'department_handler', org.department);
      gridWorker = await clientAs(env, 'grid_worker', org.grid);
      leader = await clientAs(env, 'street_leader', org.street);
      const cats = (await staff.get('/api/order-categories')).json().items as { id: number; code: string }[];
      category = cats.find((c) => c.code === 'corridor_clutter')!.id;
    });
    after(() => env.close());

    it('registers a staff intake as accepted, with submit and accept events', async () => {
      const o = await create(staff);
      assert.equal(o.state, 'accepted');
      assert.match(o.number, /^HT\d{8}\d{6}$/);
      assert.equal(o.orgId, org.grid);
      assert.deepEqual(o.events.map((e: { action: string }) => e.action), ['submit', 'accept']);
      assert.deepEqual(o.allowedActions.sort(), ['dispatch', 'merge', 'resolve_on_spot'].sort());
      assert.equal(o.sla, null);
    });

    it('routes a map point to the deepest polygon and a household to its micro-grid', async () => {
      const inMicro = await create(staff, { orgId: undefined, lng: 120.622, lat: 31.292 });
      assert.equal(inMicro.orgId, org.microGrid);
      const inGrid = await create(staff, { orgId: undefined, lng: 120.628, lat: 31.298 });
      assert.equal(inGrid.orgId, org.grid);
      const nowhere = await staff.post('/api/orders', { channel: 'patrol', categoryId: category, title: 'x', description: 'y', lng: 100, lat: 20 });
      assert.equal(nowhere.statusCode, 400);
      assert.equal(nowhere.json().error.code, 'VALIDATION_FAILED');
      const household = await insertHousehold(env.ctx, org.microGrid, '竹辉新村17幢101');
      const byHousehold = await create(staff, { orgId: undefined, householdId: household });
      assert.equal(byHousehold.orgId, org.microGrid);
      assert.equal(byHousehold.householdId, household);
      // The household's address goes with the order, unless one was typed.
      assert.equal(byHousehold.address, '竹辉新村17幢101');
      const typed = await create(staff, { orgId: undefined, householdId: household, address: '17幢楼下车棚' });
      assert.equal(typed.address, '17幢楼下车棚');
    });

    it('refuses intake outside the actor area and by roles that may not report', async () => {
      const outside = await staff.post('/api/orders', { channel: 'visit', categoryId: category, title: 'x', description: 'y', orgId: org.otherGrid });
      assert.equal(outside.statusCode, 404);
      const onDepartment = await staff.post('/api/orders', { channel: 'visit', categoryId: category, title: 'x', description: 'y', orgId: org.street });
      assert.equal(onDepartment.statusCode, 404);
      const byPolice = await police.post('/api/orders', { channel: 'visit', categoryId: category, title: 'x', description: 'y', orgId: org.grid });
      assert.equal(byPolice.statusCode, 403);
      const badPhone = await staff.post('/api/orders', { channel: 'hotline', categoryId: category, title: 'x', description: 'y', orgId: org.grid, reporterPhone: '123' });
      assert.equal(badPhone.json().error.code, 'INVALID_PHONE');
    });

    it('runs the full loop: dispatch, return, re-dispatch, sign, extension, reply, send back, close, callback, reopen', async () => {
      const o = await create(staff, { reporterName: '杨先生', reporterPhone: '13800001234', channel: 'hotline', hotlineNumber: '12345-2026-0001' });
      assert.equal(o.reporterPhone, '138****1234');
      let v = o.version;
      // the police station cannot see it before it is dispatched to them
      assert.equal((await police.get(`/api/orders/${o.id}`)).statusCode, 404);
      let r = await act(staff, o.id, 'dispatch', { version: v, handlerOrgId: org.department });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().state, 'dispatched');
      assert.ok(r.json().signDueAt && r.json().handleDueAt);
      assert.equal(r.json().sla, 'ok');
      v = r.json().version;
      // the handler was notified
      const bell = (await police.get('/api/notifications')).json();
      assert.ok(bell.unread >= 1);
      assert.equal(bell.items[0].orderId, o.id);
      // return needs a reason
      const noReason = await act(police, o.id, 'return', { version: v });
      assert.equal(noReason.statusCode, 400);
      assert.equal((await current(o.id)).version, v, 'nothing changed');
      r = await act(police, o.id, 'return', { version: v, note: '不属于本单位职责' });
      assert.equal(r.statusCode, 204, r.body);
      assert.equal((await police.get(`/api/orders/${o.id}`)).statusCode, 404, 'a returned order leaves the unit');
      const returned = await current(o.id);
      assert.equal(returned.state, 'accepted');
      assert.equal(returned.returnCount, 1);
      assert.equal(returned.handlerOrgId, null);
      assert.ok((await staff.get('/api/notifications')).json().items.some((n: { title: string }) => n.title.includes('被退回')));
      v = returned.version;
      r = await act(staff, o.id, 'dispatch', { version: v, handlerOrgId: org.department });
      v = r.json().version;
      r = await act(police, o.id, 'sign', { version: v });
      assert.equal(r.json().state, 'in_progress');
      v = r.json().version;
      const dueBefore = r.json().handleDueAt;
      r = await act(police, o.id, 'request_extension', { version: v, days: 3, note: '需协调物业' });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json().pendingExtension, { days: 3, note: '需协调物业' });
      v = r.json().version;
      const twice = await act(police, o.id, 'request_extension', { version: v, days: 1, note: 'x' });
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().error.code, 'INVALID_TRANSITION');
      // the handler cannot approve its own extension
      assert.equal((await act(police, o.id, 'approve_extension', { version: v })).statusCode, 403);
      r = await act(staff, o.id, 'approve_extension', { version: v });
      assert.equal(r.statusCode, 200, r.body);
      assert.ok(r.json().handleDueAt > dueBefore, 'the deadline moved');
      assert.equal(r.json().extensionDays, 3);
      v = r.json().version;
      r = await act(police, o.id, 'reply', { version: v, note: '已协调物业清理' });
      assert.equal(r.json().state, 'replied');
      v = r.json().version;
      r = await act(staff, o.id, 'send_back', { version: v, note: '现场仍有杂物' });
      assert.equal(r.json().state, 'in_progress');
      v = r.json().version;
      r = await act(police, o.id, 'reply', { version: v, note: '已全部清理' });
      v = r.json().version;
      r = await act(staff, o.id, 'close', { version: v });
      assert.equal(r.json().state, 'closed');
      v = r.json().version;
      r = await act(staff, o.id, 'callback', { version: v, satisfaction: 'dissatisfied' });
      assert.equal(r.json().state, 'evaluated');
      assert.deepEqual(r.json().allowedActions, ['reopen']);
      v = r.json().version;
      r = await act(staff, o.id, 'reopen', { version: v, note: '居民反映又有堆物' });
      assert.equal(r.json().state, 'in_progress');
      assert.equal(r.json().reopenCount, 1);
      const actions = r.json().events.map((e: { action: string }) => e.action);
      assert.deepEqual(actions, [
        'submit', 'accept', 'dispatch', 'return', 'dispatch', 'sign', 'request_extension', 'approve_extension',
        'reply', 'send_back', 'reply', 'close', 'callback', 'reopen',
      ]);
      // a hotline number is registered once
      const again = await staff.post('/api/orders', { channel: 'hotline', categoryId: category, title: 'x', description: 'y', orgId: org.grid, hotlineNumber: '12345-2026-0001' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'DUPLICATE');
    });

    it('answers every illegal transition with a clear 4xx and changes nothing', async () => {
      const o = await create(staff);
      const cases: [Client, string, Record<string, unknown>, number, string][] = [
        [staff, 'sign', {}, 409, 'INVALID_TRANSITION'],
        [staff, 'close', {}, 409, 'INVALID_TRANSITION'],
        [staff, 'accept', {}, 409, 'INVALID_TRANSITION'],
        [staff, 'callback', { satisfaction: 'satisfied' }, 409, 'INVALID_TRANSITION'],
        [staff, 'reopen', { note: 'x' }, 409, 'INVALID_TRANSITION'],
        [staff, 'dispatch', {}, 400, 'VALIDATION_FAILED'],
        [staff, 'dispatch', { handlerOrgId: org.otherGrid }, 400, 'VALIDATION_FAILED'],
        [gridWorker, 'dispatch', { handlerOrgId: org.department }, 403, 'FORBIDDEN'],
        [leader, 'resolve_on_spot', { note: 'x' }, 403, 'FORBIDDEN'],
        [otherStaff, 'dispatch', { handlerOrgId: org.department }, 404, 'NOT_FOUND'],
        [police, 'sign', {}, 404, 'NOT_FOUND'],
        [staff, 'resolve_on_spot', {}, 400, 'VALIDATION_FAILED'],
        [staff, 'merge', { primaryId: o.id }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [c, action, body, status, code] of cases) {
        const res = await act(c, o.id, action, { version: o.version, ...body });
        assert.equal(res.statusCode, status, `${action}: ${res.body}`);
        assert.equal(res.json().error.code, code, action);
      }
      const unknown = await act(staff, o.id, 'teleport', { version: o.version });
      assert.equal(unknown.statusCode, 400);
      const stale = await act(staff, o.id, 'dispatch', { version: o.version - 1, handlerOrgId: org.department });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const after = await current(o.id);
      assert.equal(after.version, o.version);
      assert.equal(after.state, 'accepted');
      assert.equal(after.events.length, 2);
      const msg = await staff.request({ method: 'POST', url: `/api/orders/${o.id}/actions/close`, payload: { version: o.version }, headers: { 'accept-language': 'zh-CN' } });
      assert.match(msg.json().error.message, /已受理.*核查结案/);
    });

    it('lets exactly one of two concurrent transitions win', async () => {
      for (let round = 0; round < 3; round++) {
        const o = await create(staff);
        const results = await Promise.all([
          act(staff, o.id, 'dispatch', { version: o.version, handlerOrgId: org.department }),
          act(staff, o.id, 'resolve_on_spot', { version: o.version, note: '已现场清理' }),
          act(gridWorker, o.id, 'resolve_on_spot', { version: o.version, note: '网格员已清理' }),
        ]);
        const codes = results.map((r) => r.statusCode).sort();
        assert.deepEqual(codes, [200, 409, 409], results.map((r) => r.body).join('\n'));
        const after = await current(o.id);
        assert.equal(after.version, o.version + 1);
        assert.equal(after.events.length, 3);
      }
    });

    it('resolves a simple problem on the spot in one step with evidence, from intake or later', async () => {
      const o = await create(gridWorker, { channel: 'patrol', resolveOnSpot: { note: '已当场劝离堆物' }, photos: [{ name: 'after.png', dataUrl: PNG }] });
      assert.equal(o.state, 'closed');
      assert.equal(o.onTheSpot, true);
      assert.deepEqual(o.events.map((e: { action: string }) => e.action), ['submit', 'accept', 'resolve_on_spot']);
      assert.equal(o.attachments.length, 1);
      const photo = await gridWorker.get(`/api/orders/${o.id}/attachments/${o.attachments[0].id}`);
      assert.equal(photo.statusCode, 200);
      assert.equal(photo.headers['content-type'], 'image/png');
      assert.equal((await otherStaff.get(`/api/orders/${o.id}/attachments/${o.attachments[0].id}`)).statusCode, 404);
      const fake = await gridWorker.post('/api/orders', {
        channel: 'patrol', categoryId: category, title: 'x', description: 'y', orgId: org.grid, photos: [{ name: 'x.png', dataUrl: 'data:image/png;base64,aGVsbG8=' }],
      });
      assert.equal(fake.statusCode, 400);
      const later = await create(gridWorker);
      const r = await act(gridWorker, later.id, 'resolve_on_spot', { version: later.version, photos: [{ name: 'p.png', dataUrl: PNG }] });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().state, 'closed');
      assert.equal(r.json().events.at(-1).attachmentIds.length, 1);
    });

    it('works a complex order item by item and replies only when every item is settled', async () => {
      const o = await create(staff, { items: [{ title: '清理楼道杂物', ownerName: '物业' }, { title: '张贴消防提示', dueDate: '2020-01-01' }] });
      assert.equal(o.items.length, 2);
      assert.equal(o.items[1].overdue, true);
      let r = await act(staff, o.id, 'dispatch', { version: o.version, handlerOrgId: org.department });
      r = await act(police, o.id, 'sign', { version: r.json().version });
      const blocked = await act(police, o.id, 'reply', { version: r.json().version, note: '办结' });
      assert.equal(blocked.statusCode, 409);
      assert.match(blocked.json().error.message, /未完成/);
      const [a, b] = r.json().items;
      const noReason = await police.patch(`/api/orders/${o.id}/items/${b.id}`, { version: b.version, state: 'waived' });
      assert.equal(noReason.statusCode, 400);
      r = await police.patch(`/api/orders/${o.id}/items/${a.id}`, { version: a.version, state: 'done', note: '已清理' });
      assert.equal(r.statusCode, 200, r.body);
      const staleItem = await police.patch(`/api/orders/${o.id}/items/${a.id}`, { version: a.version, state: 'open' });
      assert.equal(staleItem.statusCode, 409);
      r = await police.patch(`/api/orders/${o.id}/items/${b.id}`, { version: b.version, state: 'waived', note: '已有提示牌' });
      assert.equal(r.json().items.map((i: { state: string }) => i.state).join(), 'done,waived');
      r = await police.post(`/api/orders/${o.id}/items`, { version: r.json().version, title: '复查' });
      assert.equal(r.statusCode, 201, r.body);
      const c = r.json().items[2];
      r = await police.patch(`/api/orders/${o.id}/items/${c.id}`, { version: c.version, state: 'done', photos: [{ name: 'c.png', dataUrl: PNG }] });
      r = await act(police, o.id, 'reply', { version: r.json().version, note: '全部办结' });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().state, 'replied');
    });

    it('reassigns a checklist item’s owner and deadline without changing its state; owners must be able to take the work', async () => {
      const o = await create(staff, { items: [{ title: '更换楼道灯', ownerName: '物业' }] });
      const item = o.items[0];
      const outside = await staff.post(`/api/orders/${o.id}/items`, { version: o.version, title: '越界', ownerOrgId: org.otherGrid });
      assert.equal(outside.statusCode, 400);
      let r = await staff.patch(`/api/orders/${o.id}/items/${item.id}`, { version: item.version, ownerOrgId: org.department, ownerName: '王警官', dueDate: '2026-12-31' });
      assert.equal(r.statusCode, 200, r.body);
      const moved = r.json().items[0];
      assert.deepEqual([moved.state, moved.ownerOrgId, moved.ownerName, moved.dueDate], ['open', org.department, '王警官', '2026-12-31']);
      const event = r.json().events.at(-1);
      assert.equal(event.action, 'item_update');
      assert.equal(event.data.ownerOrgId, org.department);
      r = await staff.patch(`/api/orders/${o.id}/items/${item.id}`, { version: moved.version, ownerOrgId: org.otherGrid });
      assert.equal(r.statusCode, 400);
      r = await staff.patch(`/api/orders/${o.id}/items/${item.id}`, { version: item.version, dueDate: '2027-01-05' });
      assert.equal(r.statusCode, 409);
      r = await staff.patch(`/api/orders/${o.id}/items/${item.id}`, { version: moved.version, state: 'done' });
      assert.equal(r.statusCode, 400, 'done still needs evidence');
    });

    it('keeps the timeline append-only in the database', async () => {
      const o = await create(staff);
      await assert.rejects(sql`update order_events set note = 'x' where order_id = ${o.id}`.execute(env.ctx.db));
      await assert.rejects(sql`delete from order_events where order_id = ${o.id}`.execute(env.ctx.db));
    });

    it('merges a duplicate into its primary and supervises with a notification', async () => {
      const primary = await create(staff);
      const dup = await create(staff);
      const r = await act(staff, dup.id, 'merge', { version: dup.version, primaryId: primary.id });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().state, 'merged');
      assert.equal(r.json().mergedIntoId, primary.id);
      assert.deepEqual((await current(primary.id)).mergedOrderIds, [dup.id]);
      let p = await act(staff, primary.id, 'dispatch', { version: primary.version, handlerOrgId: org.department });
      const before = (await police.get('/api/notifications?unread=true')).json().unread;
      assert.equal((await act(staff, primary.id, 'supervise', { version: p.json().version, note: '请尽快' })).statusCode, 403);
      p = await act(leader, primary.id, 'supervise', { version: p.json().version, note: '请尽快处理' });
      assert.equal(p.statusCode, 200, p.body);
      assert.equal(p.json().supervised, true);
      const bell = (await police.get('/api/notifications?unread=true')).json();
      assert.equal(bell.unread, before + 1);
      assert.match(bell.items[0].title, /督办/);
      assert.equal((await police.post('/api/notifications/read', { all: true })).json().updated, bell.unread);
      assert.equal((await police.get('/api/notifications')).json().unread, 0);
    });

    it('lets a resident report from the public page, follow it by number and rate it', async () => {
      const anon = env.app;
      const bad = await anon.inject({ method: 'POST', url: '/api/public/orders', payload: { categoryId: category, description: '路灯坏了好几天', contactName: '王', contactPhone: '12' } });
      assert.equal(bad.statusCode, 400);
      const res = await anon.inject({
        method: 'POST',
        url: '/api/public/orders',
        payload: { categoryId: category, description: '竹辉新村17幢门口路灯坏了好几天', contactName: '王阿姨', contactPhone: '13912345678', lng: 120.623, lat: 31.291 },
      });
      assert.equal(res.statusCode, 201, res.body);
      const { number, accessCode } = res.json();
      const wrong = await anon.inject({ method: 'GET', url: `/api/public/orders/${number}?code=WRONG123` });
      assert.equal(wrong.statusCode, 404);
      let view = (await anon.inject({ method: 'GET', url: `/api/public/orders/${number}?code=${accessCode}` })).json();
      assert.equal(view.state, 'submitted');
      assert.equal(view.canRate, false);
      // staff of the community were told, and find it in their list by a 2-character word
      const bell = (await staff.get('/api/notifications')).json();
      assert.ok(bell.items.some((n: { title: string }) => n.title.includes('新的居民诉求')));
      const found = (await staff.get(`/api/orders?q=${encodeURIComponent('路灯')}`)).json();
      assert.equal(found.total, 1);
      const o = await staff.get(`/api/orders/${found.items[0].id}`);
      assert.equal(o.json().reporterPhone, '139****5678');
      let r = await act(staff, o.json().id, 'accept', { version: o.json().version });
      r = await act(staff, o.json().id, 'resolve_on_spot', { version: r.json().version, note: '已报修更换灯泡' });
      assert.equal(r.json().state, 'closed');
      view = (await anon.inject({ method: 'GET', url: `/api/public/orders/${number}?code=${accessCode}` })).json();
      assert.equal(view.canRate, true);
      const rated = await anon.inject({ method: 'POST', url: `/api/public/orders/${number}/rating`, payload: { accessCode, satisfaction: 'satisfied' } });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.equal(rated.json().state, 'evaluated');
      const twice = await anon.inject({ method: 'POST', url: `/api/public/orders/${number}/rating`, payload: { accessCode, satisfaction: 'dissatisfied' } });
      assert.equal(twice.statusCode, 409);
    });

    it('rate-limits public reports per phone', async () => {
      const limited = await buildTestApp(dialect, { HAITANG_PUBLIC_REPORTS_PER_HOUR: '2' });
      try {
        const o = await createOrgTree(limited.ctx);
        const cat = (await limited.ctx.db.selectFrom('order_categories').select('id').where('code', '=', 'noise').executeTakeFirstOrThrow()).id;
        const codes = [];
        for (let i = 0; i < 3; i++) {
          const res = await limited.app.inject({ method: 'POST', url: '/api/public/orders', payload: { categoryId: cat, description: `楼上装修噪音第${i}次`, contactName: '李', contactPhone: '13700000000', orgId: o.grid } });
          codes.push(res.statusCode);
        }
        assert.deepEqual(codes, [201, 201, 429]);
      } finally {
        await limited.close();
      }
    });

    it('answers a repeated public report (same request id) with the first receipt, even when both arrive at once', async () => {
      const body = { categoryId: category, description: '竹辉新村5幢门口下水道冒水', contactName: '陈女士', contactPhone: '13611112222', orgId: org.grid };
      const requestId = 'a1b2c3d4-0000-4000-8000-000000000001';
      const post = (payload: object) => env.app.inject({ method: 'POST', url: '/api/public/orders', payload });
      const first = await post({ ...body, requestId });
      assert.equal(first.statusCode, 201, first.body);
      const again = await post({ ...body, requestId });
      assert.equal(again.statusCode, 201);
      assert.deepEqual(again.json(), first.json());
      // The repeated code works for following the order.
      const { number, accessCode } = again.json();
      assert.equal((await env.app.inject({ method: 'GET', url: `/api/public/orders/${number}?code=${accessCode}` })).statusCode, 200);
      const racing = 'a1b2c3d4-0000-4000-8000-000000000002';
      const both = await Promise.all([post({ ...body, requestId: racing }), post({ ...body, requestId: racing })]);
      assert.deepEqual(both.map((r) => r.statusCode), [201, 201]);
      assert.equal(both[0]!.json().number, both[1]!.json().number);
      const n = await env.ctx.db.selectFrom('work_orders').select((eb) => eb.fn.countAll<number>().as('n')).where('client_request_id', 'in', [requestId, racing]).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 2);
      // Without an id every post is a new report; a malformed id is refused.
      assert.equal((await post({ ...body, requestId: 'short' })).statusCode, 400);
    });

    it('lists the communities for the public page without a session', async () => {
      const res = await env.app.inject({ method: 'GET', url: '/api/public/communities' });
      assert.equal(res.statusCode, 200);
      const items = res.json().items as { id: number; name: string; streetName: string }[];
      assert.deepEqual(items.map((c) => c.id).sort(), [org.community, org.otherCommunity].sort());
      assert.equal(items.find((c) => c.id === org.community)!.streetName, '沧浪街道');
      // The chosen community places a report without a map point.
      const report = await env.app.inject({ method: 'POST', url: '/api/public/orders', payload: { categoryId: category, description: '小区门口路面塌陷', contactName: '周', contactPhone: '13822223333', orgId: org.community } });
      assert.equal(report.statusCode, 201, report.body);
    });

    it('finds orders by Chinese words within the area: placed in it, or handled by a unit in it', async () => {
      const placed = await create(staff, { title: '井盖松动', description: '竹辉路12号门口井盖松动,车辆经过响声很大' });
      const dispatched = await create(staff, { title: '井盖缺失', description: '竹辉路北段井盖缺失有安全隐患' });
      const d = await act(staff, dispatched.id, 'dispatch', { version: dispatched.version, handlerOrgId: org.department });
      assert.equal(d.statusCode, 200, d.body);
      const ids = async (c: Client, q: string) => ((await c.get(`/api/orders?q=${encodeURIComponent(q)}&pageSize=100`)).json().items as { id: number }[]).map((i) => i.id);
      // Staff of the community find both by the two-character word; two words must both match.
      assert.deepEqual((await ids(staff, '井盖')).filter((id) => [placed.id, dispatched.id].includes(id)).sort(), [placed.id, dispatched.id].sort());
      assert.deepEqual(await ids(staff, '井盖 缺失'), [dispatched.id]);
      // The police station finds the one dispatched to it, though it is placed outside its unit.
      assert.deepEqual(await ids(police, '井盖'), [dispatched.id]);
      // Each area's total is its list's length (one word alone is counted from its matches).
      for (const c of [staff, police, otherStaff]) {
        const page = (await c.get(`/api/orders?q=${encodeURIComponent('井盖')}&pageSize=100`)).json();
        assert.equal(page.total, page.items.length);
        const paged = (await c.get(`/api/orders?q=${encodeURIComponent('井盖')}&pageSize=1&page=2`)).json();
        assert.deepEqual(paged.items.map((i: { id: number }) => i.id), page.items.slice(1, 2).map((i: { id: number }) => i.id));
      }
      // Another community finds neither; the whole tree's admin finds both.
      assert.deepEqual(await ids(otherStaff, '井盖'), []);
      const root = await clientAs(env, 'admin', org.district);
      const all = await ids(root, '井盖');
      assert.ok(all.includes(placed.id) && all.includes(dispatched.id));
      const total = (await root.get(`/api/orders?q=${encodeURIComponent('井盖')}`)).json().total;
      assert.equal(total, all.length);
      // The whole tree's pages through the route: page 2, past the end, with a state, no match.
      const rootPage = async (query: string) => (await root.get(`/api/orders?q=${encodeURIComponent('井盖')}&${query}`)).json();
      assert.deepEqual((await rootPage('pageSize=1&page=2')).items.map((i: { id: number }) => i.id), [all[1]]);
      const past = await rootPage('pageSize=20&page=50');
      assert.deepEqual([past.items, past.total], [[], all.length]);
      const accepted = (await env.ctx.db.selectFrom('work_orders').select('id').where('id', 'in', all).where('status', '=', 'accepted').orderBy('id', 'desc').execute()).map((r) => r.id);
      const byState = await rootPage('state=accepted&pageSize=100');
      assert.deepEqual([byState.items.map((i: { id: number }) => i.id), byState.total], [accepted, accepted.length]);
      const none = (await root.get(`/api/orders?q=${encodeURIComponent('飞机')}`)).json();
      assert.deepEqual([none.items, none.total], [[], 0]);
      // Narrowed to a grid of the area.
      assert.deepEqual((await ids(staff, '井盖')).length, (await staff.get(`/api/orders?q=${encodeURIComponent('井盖')}&orgId=${org.grid}`)).json().total);
      // The whole tree's two ways to a page (collect the first word's matches, or walk the newest
      // orders probing each) give the same pages, with one word or two, with a further filter.
      const rootPath = (await env.ctx.db.selectFrom('org_units').select('path').where('id', '=', org.district).executeTakeFirstOrThrow()).path;
      for (const f of [{ terms: ['井盖'] }, { terms: ['井盖', '缺失'] }, { terms: ['井盖'], state: 'accepted' }, { terms: ['竹辉'] }]) {
        for (const [limit, offset] of [[1, 0], [1, 1], [100, 0]] as const) {
          const collected = await findOrderIdPage(env.ctx.db, dialect, { scopePath: rootPath, wholeTree: true, ...f }, limit, offset);
          const walked = await findOrderIdPage(env.ctx.db, dialect, { scopePath: rootPath, wholeTree: true, walkNewest: true, ...f }, limit, offset);
          assert.deepEqual(walked, collected, JSON.stringify({ f, limit, offset }));
        }
      }
    });

    it('finds words with symbols in them, and an order in its new area once its grid moves', async () => {
      const ids = async (c: Client, q: string) => ((await c.get(`/api/orders?q=${encodeURIComponent(q)}&pageSize=100`)).json().items as { id: number }[]).map((i) => i.id);
      // jieba keeps "c++" and "3.5" whole; a quote in the query is only a character.
      const symbols = await create(staff, { title: 'C++课程教室', description: '竹辉社区3.5号楼教室屏幕不亮' });
      assert.deepEqual(await ids(staff, 'C++'), [symbols.id]);
      assert.deepEqual(await ids(staff, '3.5 屏幕'), [symbols.id]);
      assert.deepEqual(await ids(staff, '"屏幕'), [symbols.id]);
      assert.deepEqual(await ids(staff, 'c++ 飞机'), []);

      // A dictionary word is found wherever it stands: jieba's search mode reads 路面积水严重 as
      // 路/面积/水/严重 and 单元楼道 as 单元/单元楼/道; the query 路面积水 is 路/面积/水 to it.
      const puddle = await create(staff, { title: '东门积水', description: '小区东门路面积水严重,老人出行不便' });
      const corridor = await create(staff, { title: '违规充电', description: '紫金花园5单元楼道电瓶车充电' });
      for (const q of ['积水', '路面积水', '东门 路面积水严重']) assert.deepEqual(await ids(staff, q), [puddle.id], q);
      for (const q of ['楼道 电瓶车', '5单元楼道']) assert.deepEqual(await ids(staff, q), [corridor.id], q);
      assert.deepEqual(await ids(staff, '路面积水 楼道'), []);

      // A grid with an order moves from one community to another: the order follows it.
      const admin = await clientAs(env, 'admin', org.district);
      const node = async (parentId: number, kind: string, name: string) => {
        const r = await admin.post('/api/org', { parentId, kind, name });
        assert.equal(r.statusCode, 201, r.body);
        return r.json();
      };
      const grid = await node(org.community, 'grid', '搬迁网格');
      const micro = await node(grid.id, 'micro_grid', '搬迁微网格');
      const target = await node(org.street, 'community', '搬入社区');
      const targetStaff = await clientAs(env, 'community_staff', target.id);
      // Registered by staff as a web report, with a title of its own: its words count too, before
      // and after the move.
      const there = await create(staff, { channel: 'web', title: '路灯故障', description: '搬迁网格内夜间一片漆黑', orgId: micro.id });
      // A title that only begins the description has words of its own too (the description's
      // terms have no 水 on its own).
      const burst = await create(staff, { title: '水', description: '水管爆裂漏水严重', orgId: micro.id });
      assert.ok((await ids(staff, '水')).includes(burst.id), 'a title that begins the description is found by its own words');
      for (const [c, found] of [[staff, true], [targetStaff, false], [otherStaff, false], [leader, true], [admin, true]] as const) {
        assert.deepEqual(await ids(c, '路灯 夜间'), found ? [there.id] : []);
      }
      const moved = await admin.post(`/api/org/${grid.id}/move`, { version: grid.version, parentId: target.id });
      assert.equal(moved.statusCode, 200, moved.body);
      for (const [c, found] of [[staff, false], [targetStaff, true], [otherStaff, false], [leader, true], [admin, true]] as const) {
        assert.deepEqual(await ids(c, '路灯 夜间'), found ? [there.id] : [], 'after the move');
        const page = (await c.get(`/api/orders?q=${encodeURIComponent('路灯')}&pageSize=100`)).json();
        assert.equal(page.items.some((i: { id: number }) => i.id === there.id), found);
      }
      assert.deepEqual((await targetStaff.get(`/api/orders?q=${encodeURIComponent('路灯')}&orgId=${grid.id}`)).json().items.map((i: { id: number }) => i.id), [there.id]);
      assert.equal((await staff.get(`/api/orders/${there.id}`)).statusCode, 404);
      // The words alone still find it: nothing else was lost from the index.
      assert.deepEqual(await ids(targetStaff, '夜间'), [there.id]);
      assert.ok((await ids(targetStaff, '水')).includes(burst.id), 'and still after its grid moved');
    });

    it('offers the units dispatch accepts: departments along the place and the units of the area', async () => {
      const o = await create(staff, {});
      const res = await staff.get(`/api/orders/${o.id}/handlers`);
      assert.equal(res.statusCode, 200, res.body);
      const ids = (res.json().items as { id: number; geometry: unknown }[]).map((u) => u.id);
      // The police station hangs under the street, outside the staff member's community, yet takes the order.
      assert.ok(ids.includes(org.department));
      assert.ok(ids.includes(org.community) && ids.includes(org.grid) && ids.includes(org.microGrid));
      assert.ok(!ids.includes(org.otherGrid) && !ids.includes(org.street));
      assert.ok((res.json().items as { geometry: unknown }[]).every((u) => u.geometry === null));
      const d = await act(staff, o.id, 'dispatch', { version: o.version, handlerOrgId: org.department });
      assert.equal(d.statusCode, 200, d.body);
      assert.equal((await police.get(`/api/orders/${o.id}/handlers`)).statusCode, 403);
    });

    it('names the category’s default handler only when the reader could dispatch the order to it', async () => {
      const now = new Date().toISOString();
      const addCategory = async (code: string, parentId: number | null, handler: number | null) =>
        (
          await env.ctx.db
            .insertInto('order_categories')
            .values({ parent_id: parentId, code, name: code, default_handler_org_id: handler, sort_order: 100, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      // A unit of another street: neither along the order's place nor in the staff member's area.
      const farStreet = await insertOrgNode(env.ctx, org.district, 'street', '金阊街道');
      const farDepartment = await insertOrgNode(env.ctx, farStreet, 'department', '金阊城管');
      const far = await create(staff, { categoryId: await addCategory('far_handler', null, farDepartment) });
      assert.equal(far.suggestedHandlerOrgId, null, 'a unit outside the candidates is not named');
      assert.equal((await staff.get(`/api/orders/${far.id}`)).json().suggestedHandlerOrgId, null);
      assert.equal((await staff.get(`/api/orders/${far.id}/handlers`)).json().suggestedId, null);
      assert.equal((await leader.get(`/api/orders/${far.id}`)).json().suggestedHandlerOrgId, null, 'the other street is outside the street leader’s area too');
      // The district's admin may dispatch there: named, as in its list of handlers.
      const districtAdmin = await clientAs(env, 'admin', org.district);
      assert.equal((await districtAdmin.get(`/api/orders/${far.id}`)).json().suggestedHandlerOrgId, farDepartment);
      assert.equal((await districtAdmin.get(`/api/orders/${far.id}/handlers`)).json().suggestedId, farDepartment);

      // The police station under the order's street (inherited from the parent category) is a candidate.
      const near = await create(staff, { categoryId: await addCategory('near_handler_child', await addCategory('near_handler', null, org.department), null) });
      assert.equal(near.suggestedHandlerOrgId, org.department);
      assert.equal((await staff.get(`/api/orders/${near.id}/handlers`)).json().suggestedId, org.department);
      // Who may not dispatch is offered no handler at all.
      assert.equal((await gridWorker.get(`/api/orders/${near.id}`)).json().suggestedHandlerOrgId, null);
      // Retired units are not candidates.
      await env.ctx.db.updateTable('org_units').set({ status: 'retired' }).where('id', '=', farDepartment).execute();
      assert.equal((await districtAdmin.get(`/api/orders/${far.id}`)).json().suggestedHandlerOrgId, null);
    });

    it('lists only open orders with open=true', async () => {
      const open = (await staff.get('/api/orders?open=true&pageSize=100')).json();
      assert.ok(open.total >= 1);
      assert.ok(open.items.every((i: { state: string }) => ['submitted', 'accepted', 'dispatched', 'in_progress', 'replied'].includes(i.state)));
      const all = (await staff.get('/api/orders?pageSize=100')).json();
      assert.ok(all.total > open.total);
    });

    it('lists with filters and saved views, scoped to the actor', async () => {
      const mine = (await gridWorker.get('/api/orders?view=mine')).json();
      assert.ok(mine.total >= 2);
      assert.ok(mine.items.every((i: { orgId: number }) => [org.grid, org.microGrid].includes(i.orgId)));
      const unit = (await police.get('/api/orders?view=unit')).json();
      assert.ok(unit.total >= 1);
      assert.ok(unit.items.every((i: { handlerOrgId: number }) => i.handlerOrgId === org.department));
      const toVerify = (await staff.get('/api/orders?view=to_verify')).json();
      assert.ok(toVerify.items.every((i: { state: string }) => i.state === 'replied'));
      const closed = (await staff.get('/api/orders?state=closed&channel=patrol')).json();
      assert.ok(closed.total >= 1);
      assert.equal((await otherStaff.get('/api/orders')).json().total, 0);
      const byNumber = (await staff.get('/api/orders?pageSize=1')).json().items[0];
      const found = (await staff.get(`/api/orders?q=${byNumber.number}`)).json();
      assert.equal(found.items[0].id, byNumber.id);
      const none = (await staff.get(`/api/orders?q=${encodeURIComponent('地铁')}`)).json();
      assert.equal(none.total, 0);
      const outside = await staff.get(`/api/orders?orgId=${org.otherGrid}`);
      assert.equal(outside.json().total, 0);
      const bad = await staff.get('/api/orders?state=lost');
      assert.equal(bad.statusCode, 400);
    });
  });
}
