import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CHANNELS,
  OPEN_STATES,
  ROLE_PERMISSIONS,
  TRANSITION_BY_ACTION,
  guardHolds,
  maskPhone,
  type OrderAction,
  type OrderState,
  type Permission,
  type Role,
  type Satisfaction,
  type Urgency,
} from '@haitang/contracts';
import { buildTestApp, login, testDialects, type TestEnv } from '../../test/helpers.js';
import { addWorkingDays, beijingDate, withinWorkingDays, workingMsBetween, type WorkCalendar } from '../lib/working-time.js';
import { loadCalendar } from '../modules/calendar/calendar.service.js';
import { orderNumber } from '../modules/workorders/order.repository.js';
import { buildGridIndex } from '../modules/workorders/order.routing.js';
import { deadlinesFrom, slaLimits, type SlaLimits } from '../modules/workorders/order.sla.js';
import { BUNDLED_CALENDAR_YEARS, bundledCalendar, DEFAULT_SLA, RETURN_WINDOW_DAYS } from '../modules/workorders/reference-data.js';
import { DEMO_PASSWORD, seedDemo } from './seed.js';
import { demoClock, planDemoOrders } from './orders.js';
import { DEMO_SEED, planDemoWorld } from './plan.js';

// Probed before the CPU-heavy plan tests below are registered: they would starve the probe's connection timer.
const dialects = await testDialects();

function bundledWorkCalendar(): WorkCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const y of BUNDLED_CALENDAR_YEARS) {
    const c = bundledCalendar(y);
    c?.holidays.forEach((d) => holidays.add(d));
    c?.workdays.forEach((d) => workdays.add(d));
  }
  return { holidays, workdays };
}

describe('demo work-order plan', () => {
  const cal = bundledWorkCalendar();
  const limits = (_code: string, u: Urgency): SlaLimits => {
    const r = DEFAULT_SLA.find((x) => x.urgency === u)!;
    return { signHours: r.signHours, handleLimit: r.handleLimit, handleUnit: r.handleUnit };
  };
  const clock = demoClock(Date.parse('2026-06-15T04:00:00Z'));
  const digest = (seed: number) =>
    planDemoOrders({ plan: planDemoWorld(seed), cal, limits, clock, seed }).map((o) => ({
      key: o.key,
      title: o.title,
      channel: o.channel,
      phone: o.reporterPhone,
      status: o.sim.status,
      events: o.sim.events.map((e) => `${e.action}@${e.at}`).join(','),
    }));

  it('is the same for the same seed and day, and differs for another seed', () => {
    const a = digest(DEMO_SEED);
    assert.deepEqual(digest(DEMO_SEED), a);
    assert.notDeepEqual(digest(7).slice(0, 50), a.slice(0, 50));
  });

  it('has open work in every state whatever the day (weekdays, weekends, holidays)', () => {
    const plan = planDemoWorld();
    for (const day of ['2026-02-16', '2026-05-04', '2026-10-03', '2026-11-30', '2026-12-27']) {
      const orders = planDemoOrders({ plan, cal, limits, clock: demoClock(Date.parse(`${day}T04:00:00Z`)), seed: DEMO_SEED });
      for (const s of OPEN_STATES) assert.ok(orders.some((o) => o.sim.status === s), `${day}: an order in ${s}`);
      assert.ok(orders.some((o) => o.sim.status === 'in_progress' && o.sim.pendingExtension !== null), `${day}: an extension awaiting approval`);
    }
  });

  it('ends at the clock: nothing happens after the start of the day', () => {
    const orders = planDemoOrders({ plan: planDemoWorld(), cal, limits, clock, seed: DEMO_SEED });
    assert.ok(orders.length > 2000 && orders.length < 5000, `${orders.length} orders`);
    assert.ok(orders.every((o) => o.sim.events.every((e) => e.at < clock)));
    const first = Math.min(...orders.map((o) => o.sim.createdAt));
    assert.ok(clock - first <= 366 * 86_400_000 && clock - first > 300 * 86_400_000);
  });
});

interface EventRow {
  id: number;
  order_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: number | null;
  actor_name: string;
  note: string | null;
  data: string | null;
  created_at: string;
}

for (const dialect of dialects) {
  describe(`demo work orders (${dialect})`, () => {
    let env: TestEnv;
    before(async () => {
      env = await buildTestApp(dialect);
      await seedDemo(env.ctx);
    });
    after(() => env.close());

    const orgByName = (name: string) => env.ctx.db.selectFrom('org_units').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

    it('replays every order legally through the transition table to its state, with its counters, deadlines and times', async () => {
      const db = env.ctx.db;
      const cal = await loadCalendar(db);
      const orders = await db
        .selectFrom('work_orders as w')
        .innerJoin('org_units as o', 'o.id', 'w.org_id')
        .selectAll('w')
        .select('o.path as org_path')
        .orderBy('w.id')
        .execute();
      const events = (await db.selectFrom('order_events').selectAll().orderBy('id').execute()) as EventRow[];
      const items = await db.selectFrom('order_items').selectAll().execute();
      const orgs = new Map((await db.selectFrom('org_units').select(['id', 'path']).execute()).map((o) => [o.id, o.path]));
      const accounts = new Map((await db.selectFrom('accounts as a').innerJoin('org_units as o', 'o.id', 'a.org_id').select(['a.id', 'a.role', 'a.display_name', 'o.path']).execute()).map((a) => [a.id, a]));
      const byOrder = new Map<number, EventRow[]>();
      for (const e of events) (byOrder.get(e.order_id) ?? byOrder.set(e.order_id, []).get(e.order_id)!).push(e);
      const limitCache = new Map<string, SlaLimits>();
      const limitsOf = async (categoryId: number, urgency: string) => {
        const k = `${categoryId}|${urgency}`;
        if (!limitCache.has(k)) limitCache.set(k, await slaLimits(db, categoryId, urgency as Urgency));
        return limitCache.get(k)!;
      };
      const clock = demoClock(Date.now());
      assert.ok(orders.length > 2000, `${orders.length} orders`);

      for (const o of orders) {
        const where = `order ${o.number}`;
        const evs = byOrder.get(o.id) ?? [];
        assert.ok(evs.length >= 1, where);
        assert.equal(evs[0]!.action, 'submit', where);
        assert.equal(o.number, orderNumber(beijingDate(Date.parse(o.created_at)), o.id), where);
        assert.equal(o.created_at, evs[0]!.created_at, where);
        assert.equal(o.updated_at, evs.at(-1)!.created_at, where);
        const orderItems = items.filter((i) => i.order_id === o.id);
        const added = evs.filter((e) => e.action === 'item_add').length;
        // Intake: submit, and for staff intake accept (and resolve_on_spot) in the same instant.
        let intake = 1;
        while (intake < evs.length && ['accept', 'resolve_on_spot'].includes(evs[intake]!.action) && evs[intake]!.created_at === evs[0]!.created_at && evs[intake]!.actor_name === evs[0]!.actor_name) intake++;

        const r = {
          state: null as OrderState | null,
          handler: null as number | null,
          itemsOpen: orderItems.length - added,
          satisfaction: null as Satisfaction | null,
          supervised: false,
          pending: null as number | null,
          extension: 0,
          acceptedAt: null as number | null,
          dispatchedAt: null as number | null,
          signedAt: null as number | null,
          repliedAt: null as number | null,
          closedAt: null as number | null,
          evaluatedAt: null as number | null,
          signDue: null as number | null,
          handleDue: null as number | null,
          closedOnTime: null as boolean | null,
          handlingMs: null as number | null,
          counts: { reopen: 0, return: 0, send_back: 0 },
          merged: null as number | null,
          onSpot: false,
        };
        let last = 0;
        for (const [i, e] of evs.entries()) {
          const at = Date.parse(e.created_at);
          const w = `${where} event ${i} ${e.action}`;
          assert.ok(at >= last, `${w}: out of order`);
          assert.ok(at < clock + 86_400_000, `${w}: in the future`);
          last = at;
          const data = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
          let permission: Permission;
          let side: 'dispatcher' | 'handler' | null = null;
          if (e.action === 'submit') {
            assert.equal(i, 0, w);
            assert.equal(e.from_status, null, w);
            assert.equal(e.to_status, 'submitted', w);
            assert.equal(data.channel, o.channel, w);
            r.state = 'submitted';
            permission = 'order.create';
          } else if (e.action === 'item_add' || e.action === 'item_update') {
            assert.ok(['accepted', 'dispatched', 'in_progress'].includes(r.state!), w);
            assert.equal(e.from_status, r.state, w);
            assert.equal(e.to_status, r.state, w);
            const item = orderItems.find((x) => x.id === data.itemId);
            assert.ok(item, `${w}: item`);
            if (e.action === 'item_add') {
              r.itemsOpen++;
              assert.equal(e.note, item.title, w);
            } else {
              assert.ok(data.state === 'done' || data.state === 'waived', w);
              assert.ok(e.note, `${w}: evidence or reason`);
              r.itemsOpen--;
            }
            permission = 'order.handle';
          } else {
            const t = TRANSITION_BY_ACTION[e.action as OrderAction];
            assert.ok(t, `${w}: unknown action`);
            assert.equal(e.from_status, r.state, `${w}: from`);
            assert.ok(t.from.includes(r.state!), `${w}: not allowed from ${r.state}`);
            assert.equal(e.to_status, t.to ?? r.state, `${w}: to`);
            const facts = {
              pendingExtension: r.pending !== null,
              itemsOpen: r.itemsOpen,
              satisfaction: r.satisfaction,
              supervised: r.supervised,
              returnAllowed: r.dispatchedAt !== null && withinWorkingDays(cal, r.dispatchedAt, RETURN_WINDOW_DAYS, at),
            };
            assert.ok(guardHolds(t.guard, facts), `${w}: guard ${t.guard}`);
            if (t.needs.note || t.needs.evidence) assert.ok(e.note, `${w}: note`);
            permission = i < intake ? 'order.create' : t.permission;
            side = i < intake ? 'dispatcher' : t.side;
            const close = () => {
              r.closedAt = at;
              r.closedOnTime = r.handleDue === null || at <= r.handleDue;
              r.handlingMs = workingMsBetween(cal, r.acceptedAt ?? Date.parse(o.created_at), at);
            };
            switch (e.action) {
              case 'accept':
                r.acceptedAt = at;
                break;
              case 'dispatch': {
                const due = deadlinesFrom(cal, await limitsOf(o.category_id, o.urgency), at);
                r.handler = data.handlerOrgId as number;
                assert.ok(orgs.has(r.handler), w);
                assert.equal(data.signDueAt, new Date(due.signDue).toISOString(), `${w}: sign deadline`);
                assert.equal(data.handleDueAt, new Date(due.handleDue).toISOString(), `${w}: handling deadline`);
                Object.assign(r, { dispatchedAt: at, signedAt: null, signDue: due.signDue, handleDue: due.handleDue, extension: 0, pending: null });
                break;
              }
              case 'sign':
                r.signedAt = at;
                break;
              case 'return':
                assert.equal(data.handlerOrgId, r.handler, w);
                side = 'handler';
                Object.assign(r, { handler: null, signDue: null, handleDue: null, dispatchedAt: null, signedAt: null, supervised: false });
                r.counts.return++;
                break;
              case 'request_extension':
                assert.ok(typeof data.days === 'number' && r.extension + (data.days as number) <= 10, w);
                r.pending = data.days as number;
                break;
              case 'approve_extension':
                r.handleDue = addWorkingDays(cal, r.handleDue!, r.pending!);
                assert.equal(data.handleDueAt, new Date(r.handleDue).toISOString(), w);
                r.extension += r.pending!;
                r.pending = null;
                break;
              case 'deny_extension':
                r.pending = null;
                break;
              case 'reply':
                r.repliedAt = at;
                break;
              case 'close':
                close();
                break;
              case 'send_back':
                r.counts.send_back++;
                break;
              case 'resolve_on_spot':
                close();
                r.closedOnTime = true;
                r.onSpot = true;
                r.handler = o.org_id;
                break;
              case 'callback':
                r.satisfaction = data.satisfaction as Satisfaction;
                r.evaluatedAt = at;
                break;
              case 'reopen': {
                const due = deadlinesFrom(cal, await limitsOf(o.category_id, o.urgency), at);
                r.counts.reopen++;
                r.handler ??= o.org_id;
                Object.assign(r, {
                  dispatchedAt: at, signedAt: at, handleDue: due.handleDue, signDue: null, closedAt: null, closedOnTime: null,
                  handlingMs: null, evaluatedAt: null, repliedAt: null, satisfaction: null, extension: 0,
                });
                break;
              }
              case 'merge':
                r.merged = data.primaryId as number;
                break;
              case 'supervise':
                r.supervised = true;
                break;
            }
            r.state = e.to_status as OrderState;
          }
          // The actor: an account whose role holds the permission and who stands on the action's side.
          if (e.actor_id !== null) {
            const a = accounts.get(e.actor_id);
            assert.ok(a, `${w}: actor`);
            assert.equal(e.actor_name, a.display_name, w);
            assert.ok(ROLE_PERMISSIONS[a.role as Role].includes(permission), `${w}: ${a.role} lacks ${permission}`);
            if (e.action === 'resolve_on_spot') assert.ok(ROLE_PERMISSIONS[a.role as Role].includes('order.resolve'), w);
            const dispatcherSide = a.role !== 'department_handler' && o.org_path.startsWith(a.path);
            const handlerPath = r.handler === null ? null : orgs.get(r.handler)!;
            const handlerSide = (handlerPath !== null && handlerPath.startsWith(a.path)) || (e.action === 'return' && typeof data.handlerOrgId === 'number' && orgs.get(data.handlerOrgId)!.startsWith(a.path));
            if (side === 'dispatcher') assert.ok(dispatcherSide, `${w}: ${a.display_name} is not on the dispatcher side`);
            else if (side === 'handler' || permission === 'order.handle') assert.ok(handlerSide || dispatcherSide, `${w}: ${a.display_name} is not on the handler side`);
          } else {
            assert.ok(e.actor_name.length > 0, w);
          }
        }
        const iso = (x: number | null) => (x === null ? null : new Date(x).toISOString());
        assert.equal(o.status, r.state, `${where}: state`);
        assert.equal(o.handler_org_id, r.handler, `${where}: handler`);
        assert.equal(o.items_open, r.itemsOpen, `${where}: items_open`);
        assert.equal(o.items_open, orderItems.filter((i) => i.state === 'open').length, `${where}: open items`);
        assert.equal(o.satisfaction, r.satisfaction, `${where}: satisfaction`);
        assert.equal(o.supervised, r.supervised ? 1 : 0, `${where}: supervised`);
        assert.equal(o.pending_extension_days, r.pending, `${where}: pending extension`);
        assert.equal(o.extension_days, r.extension, `${where}: extension days`);
        assert.equal(o.reopen_count, r.counts.reopen, `${where}: reopen_count`);
        assert.equal(o.return_count, r.counts.return, `${where}: return_count`);
        assert.equal(o.send_back_count, r.counts.send_back, `${where}: send_back_count`);
        assert.equal(o.merged_into_id, r.merged, `${where}: merged_into_id`);
        assert.equal(o.on_the_spot, r.onSpot ? 1 : 0, `${where}: on_the_spot`);
        assert.equal(o.version, 1 + evs.length - intake, `${where}: version`);
        assert.equal(o.accepted_at, iso(r.acceptedAt), `${where}: accepted_at`);
        assert.equal(o.dispatched_at, iso(r.dispatchedAt), `${where}: dispatched_at`);
        assert.equal(o.signed_at, iso(r.signedAt), `${where}: signed_at`);
        assert.equal(o.replied_at, iso(r.repliedAt), `${where}: replied_at`);
        assert.equal(o.closed_at, iso(r.closedAt), `${where}: closed_at`);
        assert.equal(o.evaluated_at, iso(r.evaluatedAt), `${where}: evaluated_at`);
        assert.equal(o.sign_due_at, iso(r.signDue), `${where}: sign_due_at`);
        assert.equal(o.handle_due_at, iso(r.handleDue), `${where}: handle_due_at`);
        assert.equal(o.closed_on_time, r.closedOnTime === null ? null : r.closedOnTime ? 1 : 0, `${where}: closed_on_time`);
        if (r.handlingMs === null) assert.equal(o.handling_work_hours, null, where);
        else assert.ok(Math.abs(o.handling_work_hours! - r.handlingMs / 3_600_000) < 1e-6, `${where}: handling_work_hours`);
        if (o.merged_into_id !== null) {
          const primary = orders.find((p) => p.id === o.merged_into_id)!;
          const mergeAt = evs.at(-1)!.created_at;
          // The primary was open when the duplicate was merged into it.
          const before = (byOrder.get(primary.id) ?? []).filter((e) => e.created_at <= mergeAt).at(-1)!;
          assert.ok(OPEN_STATES.includes(before.to_status as OrderState), `${where}: merged into a closed order`);
          assert.equal(JSON.parse(evs.at(-1)!.data!).primaryNumber, primary.number, where);
        }
      }
    });

    it('stores reporter phones encrypted, hashed and masked as intake does, never in plain text', async () => {
      const rows = await env.ctx.db
        .selectFrom('work_orders')
        .select(['reporter_phone_enc', 'reporter_phone_hash', 'reporter_phone_masked', 'channel', 'hotline_number', 'access_code_hash', 'reporter_name', 'description', 'title'])
        .execute();
      const withPhone = rows.filter((r) => r.reporter_phone_enc !== null);
      assert.ok(withPhone.length > 1000);
      for (const r of withPhone) {
        const phone = env.ctx.crypto.decrypt(r.reporter_phone_enc!);
        assert.match(phone, /^1[3-9]\d{9}$/);
        assert.equal(r.reporter_phone_hash, env.ctx.crypto.lookupHash(phone));
        assert.equal(r.reporter_phone_masked, maskPhone(phone));
        assert.ok(!r.reporter_phone_enc!.includes(phone) && !`${r.title}${r.description}${r.reporter_name}`.includes(phone));
      }
      for (const r of rows) {
        if (r.reporter_phone_enc === null) assert.equal(r.reporter_phone_hash, null);
        if (r.channel === 'hotline') assert.ok(r.hotline_number && r.reporter_phone_enc, 'a 12345 order has its number and the caller');
        if (r.channel === 'web') assert.ok(r.access_code_hash && r.reporter_phone_enc, 'a public report has its access code and phone');
      }
    });

    it('has realistic spreads: channels, states open and final, callbacks mostly satisfied, a few of every exception', async () => {
      const rows = await env.ctx.db.selectFrom('work_orders').selectAll().execute();
      const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
      for (const c of CHANNELS.filter((x) => x !== 'open311')) assert.ok(share((r) => r.channel === c) > 0.03, c);
      for (const s of OPEN_STATES) assert.ok(rows.some((r) => r.status === s), `an open order in ${s}`);
      assert.ok(share((r) => r.status === 'closed' || r.status === 'evaluated') > 0.85);
      const evaluated = rows.filter((r) => r.satisfaction !== null);
      assert.ok(evaluated.filter((r) => r.satisfaction === 'satisfied').length / evaluated.length > 0.75);
      assert.ok(evaluated.filter((r) => r.satisfaction === 'dissatisfied').length / evaluated.length < 0.05);
      const some = (what: string, f: (r: (typeof rows)[number]) => boolean, lo: number, hi: number) => {
        const n = share(f);
        assert.ok(n > lo && n < hi, `${what}: ${(n * 100).toFixed(2)} %`);
      };
      some('on the spot', (r) => r.on_the_spot === 1, 0.05, 0.25);
      some('returned', (r) => r.return_count > 0, 0.005, 0.08);
      some('reopened', (r) => r.reopen_count > 0, 0.005, 0.05);
      some('sent back', (r) => r.send_back_count > 0, 0.005, 0.08);
      some('extended', (r) => r.extension_days > 0, 0.005, 0.1);
      some('supervised', (r) => r.supervised === 1, 0.005, 0.08);
      some('merged', (r) => r.status === 'merged', 0.005, 0.06);
      some('closed late', (r) => r.closed_on_time === 0, 0.005, 0.08);
      assert.ok(rows.some((r) => r.pending_extension_days !== null), 'an extension awaiting approval');
      assert.ok(rows.some((r) => r.praise === 1 && r.praised_person));
      const now = new Date().toISOString();
      const overdue = rows.filter((r) => (r.status === 'dispatched' || r.status === 'in_progress') && r.handle_due_at! < now);
      assert.ok(overdue.length >= 1 && overdue.length <= 30, `${overdue.length} overdue now`);
      const items = await env.ctx.db.selectFrom('order_items').select(['order_id', 'state']).execute();
      assert.ok(new Set(items.map((i) => i.order_id)).size > 50, 'complex orders with checklists');
      const weekday = rows.filter((r) => [1, 2, 3, 4, 5].includes(new Date(Date.parse(r.created_at) + 8 * 3_600_000).getUTCDay())).length;
      assert.ok(weekday / rows.length > 0.85, 'mostly registered on weekdays');
      for (const u of ['normal', 'urgent', 'emergency']) assert.ok(rows.some((r) => r.urgency === u), u);
      const categories = new Set(rows.map((r) => r.category_id));
      assert.ok(categories.size >= 15, `${categories.size} categories`);
    });

    it('places every order inside its grid polygon or at its household', async () => {
      const index = await buildGridIndex(env.ctx.db);
      const rows = await env.ctx.db
        .selectFrom('work_orders as w')
        .innerJoin('org_units as o', 'o.id', 'w.org_id')
        .leftJoin('households as h', 'h.id', 'w.household_id')
        .select(['w.number', 'w.org_id', 'w.lng', 'w.lat', 'o.kind', 'h.org_id as household_org'])
        .execute();
      for (const r of rows) {
        if (r.household_org !== null) assert.equal(r.org_id, r.household_org, r.number);
        if (r.kind === 'street') continue; // the 12345 cases at 吴江经济技术开发区派出所
        assert.equal(r.kind, 'micro_grid', r.number);
        assert.ok(r.lng !== null && r.lat !== null, r.number);
        assert.equal(index.locate(r.lng!, r.lat!)?.id, r.org_id, `${r.number} at ${r.lng},${r.lat}`);
      }
    });

    it('has the seed cases: the garden of 竹辉新村, the household migration and the 12345 praise order', async () => {
      const db = env.ctx.db;
      const eventsOf = (id: number) => db.selectFrom('order_events').selectAll().where('order_id', '=', id).orderBy('id').execute();
      const garden = await db.selectFrom('work_orders').selectAll().where('title', 'like', '11幢与17幢之间建筑垃圾%').executeTakeFirstOrThrow();
      assert.equal(garden.status, 'evaluated');
      assert.equal(garden.satisfaction, 'satisfied');
      assert.equal(garden.extension_days, 10);
      const gardenEvents = await eventsOf(garden.id);
      const closing = gardenEvents.find((e) => e.action === 'close')!;
      assert.match(closing.note!, /小花园/);
      assert.match(gardenEvents.find((e) => e.action === 'reply')!.note!, /海棠心愿箱/);
      const gardenItems = await db.selectFrom('order_items').selectAll().where('order_id', '=', garden.id).execute();
      assert.equal(gardenItems.length, 8);
      assert.ok(gardenItems.every((i) => i.state === 'done'));
      const merged = await db.selectFrom('work_orders').select(['channel']).where('merged_into_id', '=', garden.id).execute();
      assert.deepEqual(merged.map((m) => m.channel).sort(), ['hotline', 'walk_in', 'web']);

      const police = await orgByName('吴江经济技术开发区派出所');
      const migration = await db.selectFrom('work_orders as w').innerJoin('order_categories as c', 'c.id', 'w.category_id').selectAll('w').where('c.code', '=', 'hukou_migration').where('w.handler_org_id', '=', police.id).executeTakeFirstOrThrow();
      assert.equal(migration.channel, 'walk_in');
      assert.equal(migration.reporter_name, '杨先生');
      assert.equal(migration.status, 'evaluated');
      const mEvents = await eventsOf(migration.id);
      const hour = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).getUTCHours() + new Date(Date.parse(iso)).getUTCMinutes() / 60;
      const afterHours = mEvents.filter((e) => e.actor_name === '曹金' && e.action === 'item_update' && hour(e.created_at) >= 17.5);
      assert.equal(afterHours.length, 1, 'contacting the original police station after hours');
      const reply = mEvents.find((e) => e.action === 'reply')!;
      assert.equal(reply.actor_name, '曹金');
      assert.match(reply.note!, /落户吴江/);
      assert.equal(beijingDate(Date.parse(reply.created_at)) > beijingDate(Date.parse(migration.created_at)), true, 'completed the next morning');
      assert.ok(hour(reply.created_at) < 12);

      const praise = await db.selectFrom('work_orders').selectAll().where('praise', '=', 1).where('praised_person', '=', '曹金').executeTakeFirstOrThrow();
      assert.equal(praise.praised_org_id, police.id);
      assert.equal(praise.channel, 'hotline');
      assert.ok(praise.hotline_number);
      assert.equal(praise.reporter_name, '杨先生');
      assert.ok(praise.created_at > migration.closed_at!);
      assert.ok(['closed', 'evaluated'].includes(praise.status));

      // The 派出所's demo account sees both orders as their handler.
      const officer = await login(env.app, 'police_wj', DEMO_PASSWORD);
      const list = (await officer.get('/api/orders?view=unit')).json();
      assert.deepEqual(list.items.map((i: { id: number }) => i.id).sort(), [migration.id, praise.id].sort());
    });

    it('lists and searches the orders of a community for its staff', async () => {
      const staff = await login(env.app, 'staff', DEMO_PASSWORD);
      const zhuhui = await orgByName('竹辉社区');
      const inZhuhui = await env.ctx.db
        .selectFrom('work_orders as w')
        .innerJoin('org_units as o', 'o.id', 'w.org_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('o.path', 'like', `${zhuhui.path}%`)
        .executeTakeFirstOrThrow();
      const all = (await staff.get('/api/orders?pageSize=50')).json();
      assert.ok(all.total >= Number(inZhuhui.n) && all.total > 1000, `${all.total}`);
      assert.equal(all.items.length, 50);
      const found = (await staff.get(`/api/orders?q=${encodeURIComponent('建筑垃圾')}`)).json();
      assert.ok(found.total >= 1);
      const garbage = (await staff.get(`/api/orders?q=${encodeURIComponent('垃圾')}`)).json();
      assert.ok(garbage.total > 50);
      const overdue = (await staff.get('/api/orders?view=overdue')).json();
      assert.ok(overdue.items.every((i: { sla: string }) => i.sla === 'overdue'));
    });

    it('puts what waits for each demo account in its bell: new reports and replies for staff, dispatches for handlers', async () => {
      const notes = await env.ctx.db
        .selectFrom('notifications as n')
        .innerJoin('accounts as a', 'a.id', 'n.account_id')
        .innerJoin('work_orders as w', 'w.id', 'n.order_id')
        .select(['a.username', 'n.kind', 'n.read_at', 'w.status', 'w.handler_org_id', 'a.org_id'])
        .execute();
      const staffNotes = notes.filter((n) => n.username === 'staff');
      // Reports to accept and replies to verify go to the community's staff.
      assert.ok(staffNotes.some((n) => (n.kind === 'order.submitted' && n.status === 'submitted') || (n.kind === 'order.replied' && n.status === 'replied')));
      assert.ok(notes.filter((n) => n.kind === 'order.submitted' || n.kind === 'order.replied').every((n) => ['submitted', 'replied'].includes(n.status)));
      assert.ok(staffNotes.some((n) => n.read_at === null), 'the staff account has unread notes');
      // Dispatch notes go to the accounts of the unit the order is dispatched to, and only there.
      const dispatched = notes.filter((n) => n.kind === 'order.dispatched');
      assert.ok(dispatched.length > 0);
      assert.ok(dispatched.every((n) => n.handler_org_id === n.org_id && ['dispatched', 'in_progress'].includes(n.status)));
      const staff = await login(env.app, 'staff', DEMO_PASSWORD);
      const bell = (await staff.get('/api/notifications')).json();
      assert.ok(bell.unread > 0, JSON.stringify(bell).slice(0, 200));
    });
  });
}
