import type { IndicatorQuery, OrderIndicators } from '@haitang/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../context.js';
import { orgSubtreeIds } from '../../db/subtree.js';
import { requirePermission, requireInScope, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';

/**
 * Work-order indicators of an org node and a period (design.md §3, "as city monthly reports
 * compute them").
 *
 * Which orders: those placed in the node's subtree (`org_id`: the grid or micro-grid of the
 * problem) or dispatched to a unit in it (`handler_org_id`: a department's figures are the orders
 * it handles), each counted once — the same orders the node's staff see in their lists.
 *
 * Which period: an order belongs to the period in which it was received (`created_at`, Beijing
 * dates `from`..`to` inclusive), like the monthly reports of 12345 hotlines, whose base is the
 * month's intake. Every figure is about that cohort in its state at the time of the query: a
 * closure in May of an order received in April raises April's closure rate. A past month's figures
 * therefore still move while its orders are being worked, as a report is a snapshot "as of" the
 * day it is run.
 *
 * Exclusions: merged duplicates (status `merged`) are not counted at all (their primary is);
 * praise orders (表扬工单) count only in `praise`, never in another count or a rate.
 *
 * One aggregate statement over the cohort, on the row's own columns (no join to the timeline), so
 * it scales with the size of the cohort. The action counts (dispatches, replies) are rebuilt from
 * the counters the transitions keep on the row; order.indicators.test.ts checks them against the
 * event timeline of orders driven through every path of the transition table.
 */

/** The instant a Beijing date begins, as the ISO text timestamps are stored in. */
function beijingDayStart(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** A rounded figure for display (hours to one hundredth). */
const round2 = (x: number) => Math.round(x * 100) / 100;

export async function orderIndicators(ctx: AppContext, actor: Actor, q: IndicatorQuery): Promise<OrderIndicators> {
  requirePermission(actor, 'order.read');
  const orgId = q.orgId ?? actor.orgId;
  const org = await findOrgUnit(ctx.db, orgId);
  // Outside the actor's area answers like a node that does not exist.
  requireInScope(actor, org?.path);
  if (q.to < q.from) throw new AppError('VALIDATION_FAILED', { detail: '结束日期不能早于开始日期' }, { field: 'to' });
  const start = beijingDayStart(q.from);
  const end = beijingDayStart(nextDay(q.to));
  const path = org!.path;
  const wholeTree =
    org!.parent_id === null &&
    Number((await ctx.db.selectFrom('org_units').select((eb) => eb.fn.countAll().as('n')).where('parent_id', 'is', null).executeTakeFirstOrThrow()).n) === 1;

  // Counted for non-praise orders only: `np(x)` is x for an ordinary order and 0 for a praise order.
  const np = (expr: RawBuilder<unknown>) => sql<number>`sum(case when w.praise = 0 then ${expr} else 0 end)`;
  const closedNow = sql`w.status in ('closed', 'evaluated')`;

  const r = await ctx.db
    .selectFrom('work_orders as w')
    .where('w.created_at', '>=', start)
    .where('w.created_at', '<', end)
    .where('w.status', '<>', 'merged')
    // The only root of the tree holds every order: the period's range alone, without a scope test
    // per order (the city's figures over a year read every order of the year).
    .$if(!wholeTree, (qb) =>
      qb.where((eb) => {
        if (ctx.dialect === 'postgres') {
          // The area's org ids as one array: two bitmap scans of the org and handler indexes. With
          // `in (subquery)` the planner read the period's every order and tested each (0.5 s for a
          // street's year in a million orders).
          const ids = sql`array(select u.id from org_units u where u.path >= ${path} and u.path < ${`${path.slice(0, -1)}0`})`;
          return eb.or([sql<boolean>`w.org_id = any(${ids})`, sql<boolean>`w.handler_org_id = any(${ids})`]);
        }
        return eb.or([eb('w.org_id', 'in', orgSubtreeIds(ctx.db, ctx.dialect, path)), eb('w.handler_org_id', 'in', orgSubtreeIds(ctx.db, ctx.dialect, path))]);
      }),
    )
    .select([
      // 表扬工单: thanks, not a problem; reported on their own.
      sql<number>`sum(case when w.praise = 1 then 1 else 0 end)`.as('praise'),
      // received 受理量 = orders registered in the period (any state but merged).
      np(sql`1`).as('received'),
      // rejected 不予受理 = refused at intake (submitted → rejected).
      np(sql`case when w.status = 'rejected' then 1 else 0 end`).as('rejected'),
      // accepted 已受理 = orders that passed acceptance (the instant is kept; a rejected order has none).
      np(sql`case when w.accepted_at is not null then 1 else 0 end`).as('accepted'),
      // closed 已结案 = orders closed now (closed, or closed and called back); a reopened order is
      // not closed until it is closed again.
      np(sql`case when ${closedNow} then 1 else 0 end`).as('closed'),
      // closed on time 按期结案 = closed orders whose closing met the handling deadline (extensions
      // included; an on-the-spot resolution is on time).
      np(sql`case when ${closedNow} and w.closed_on_time = 1 then 1 else 0 end`).as('closedOnTime'),
      // callbacks 回访量 = orders rated by a callback, once each, by their latest rating: the
      // rating on the row, or — for a reopened order not yet rated again — the "dissatisfied" that
      // reopened it (reopening clears the rating and needs a dissatisfied one).
      np(sql`case when w.satisfaction is not null or w.reopen_count > 0 then 1 else 0 end`).as('callbacks'),
      // satisfied or basically satisfied 满意 + 基本满意, by the latest rating.
      np(sql`case when w.satisfaction in ('satisfied', 'basically_satisfied') then 1 else 0 end`).as('satisfiedOrBasically'),
      // on the spot 现场解决 = simple problems resolved on the spot, with evidence.
      np(sql`case when w.on_the_spot = 1 then 1 else 0 end`).as('onTheSpot'),
      // reopened 重办 = orders reopened after a dissatisfied callback, at least once.
      np(sql`case when w.reopen_count > 0 then 1 else 0 end`).as('reopened'),
      // ever closed = closed now, or closed before and reopened (each reopen follows a closing).
      np(sql`case when ${closedNow} or w.reopen_count > 0 then 1 else 0 end`).as('everClosed'),
      // dispatched 派遣次数 = dispatch actions: every return (退单) undid one dispatch, and an order
      // past dispatch (dispatched … evaluated) that was not resolved on the spot holds one more.
      np(sql`w.return_count + case when w.on_the_spot = 0 and w.status in ('dispatched', 'in_progress', 'replied', 'closed', 'evaluated') then 1 else 0 end`).as(
        'dispatched',
      ),
      // returned 退单次数 = return actions.
      np(sql`w.return_count`).as('returned'),
      // handled 办结回复次数 = reply actions: each reply ends sent back (send_back_count), closed
      // (closings = reopens + closed now, less the closing on the spot, which had no reply) or
      // waiting for verification (replied).
      np(
        sql`w.send_back_count + w.reopen_count - w.on_the_spot + case when w.status in ('replied', 'closed', 'evaluated') then 1 else 0 end`,
      ).as('handled'),
      // sent back 返工 = verifications that failed (replied → in_progress).
      np(sql`w.send_back_count`).as('sentBack'),
      // handling time of closed orders, in working hours from acceptance to closing.
      np(sql`case when ${closedNow} and w.handling_work_hours is not null then w.handling_work_hours else 0 end`).as('hoursSum'),
      np(sql`case when ${closedNow} and w.handling_work_hours is not null then 1 else 0 end`).as('hoursCount'),
    ])
    .executeTakeFirstOrThrow();

  // pg returns sums of integers as strings (bigint/numeric), SQLite null over no rows: normalise.
  const n = (v: unknown) => Number(v ?? 0);
  const received = n(r.received);
  const accepted = n(r.accepted);
  const closed = n(r.closed);
  const closedOnTime = n(r.closedOnTime);
  const callbacks = n(r.callbacks);
  const satisfiedOrBasically = n(r.satisfiedOrBasically);
  const onTheSpot = n(r.onTheSpot);
  const reopened = n(r.reopened);
  const everClosed = n(r.everClosed);
  const dispatched = n(r.dispatched);
  const returned = n(r.returned);
  const handled = n(r.handled);
  const sentBack = n(r.sentBack);
  const hoursCount = n(r.hoursCount);
  // due to close 应结案 = accepted, not parked (挂账), not rejected. The loop has no parked state
  // and a rejected order is never accepted, so it is the accepted orders.
  const dueToClose = accepted;
  return {
    orgId,
    from: q.from,
    to: q.to,
    received,
    rejected: n(r.rejected),
    dueToClose,
    closed,
    closedOnTime,
    callbacks,
    satisfiedOrBasically,
    accepted,
    onTheSpot,
    reopened,
    everClosed,
    dispatched,
    returned,
    handled,
    sentBack,
    praise: n(r.praise),
    // closure rate 结案率 = closed / due to close
    closureRate: ratio(closed, dueToClose),
    // on-time closure rate 按期结案率 = closed within the limit / due to close
    onTimeClosureRate: ratio(closedOnTime, dueToClose),
    // satisfaction rate 满意率 = (satisfied + basically satisfied) / callbacks
    satisfactionRate: ratio(satisfiedOrBasically, callbacks),
    // on-the-spot rate 现场解决率 = resolved on the spot / accepted
    onTheSpotRate: ratio(onTheSpot, accepted),
    // reopen rate 重办率 = reopened / closed at least once
    reopenRate: ratio(reopened, everClosed),
    // rework rate 返工率 = sent back at verification / handled
    reworkRate: ratio(sentBack, handled),
    // accurate dispatch rate 准确派遣率 = (dispatched − returned) / dispatched
    accurateDispatchRate: ratio(dispatched - returned, dispatched),
    // average handling time 平均处置时长 = working hours from acceptance to closing, over closed orders
    avgHandlingWorkHours: hoursCount === 0 ? null : round2(n(r.hoursSum) / hoursCount),
  };
}
