import {
  TRANSITION_BY_ACTION,
  guardHolds,
  type ActionBody,
  type GuardFacts,
  type OrderAction,
  type OrderState,
  type Satisfaction,
  type Urgency,
} from '@haitang/contracts';
import type { Transaction, Updateable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, WorkOrdersTable } from '../../db/schema.js';
import { isInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { addWorkingDays, workingMsBetween, withinWorkingDays, type WorkCalendar } from '../../lib/working-time.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { notify, type NewNotification } from '../notifications/notification.service.js';
import { findOrgUnit, pathIds } from '../org/org.repository.js';
import { enqueueWebhook, type WebhookOrder } from '../webhooks/webhook.service.js';
import { decodePhotos, insertPhotos } from './order.photos.js';
import { authorizeOrder } from './order.policy.js';
import { accountsAt, dispatchersOf, findOrder, insertEvent, type OrderRow } from './order.repository.js';
import { deadlinesFrom, slaLimits } from './order.sla.js';
import { MAX_EXTENSION_DAYS, RETURN_WINDOW_DAYS } from './reference-data.js';

/** Roles that handle an order dispatched to their unit. */
/** The roles of a unit's accounts that act on the orders dispatched to it. */
export const HANDLER_ROLES = ['department_handler', 'grid_worker', 'community_staff'];

export function guardFacts(cal: WorkCalendar, o: OrderRow, now: number): GuardFacts {
  return {
    pendingExtension: o.pending_extension_days !== null,
    itemsOpen: o.items_open,
    satisfaction: o.satisfaction as Satisfaction | null,
    supervised: o.supervised === 1,
    returnAllowed: o.dispatched_at !== null && withinWorkingDays(cal, Date.parse(o.dispatched_at), RETURN_WINDOW_DAYS, now),
  };
}

/** A unit an order can be dispatched to: a department above or beside its place, or a grid in it. */
/** A unit that may take work of this order: a department along its place, or a unit of the actor's area. */
export async function checkHandler(ctx: AppContext, actor: Actor, o: OrderRow, handlerOrgId: number) {
  const h = await findOrgUnit(ctx.db, handlerOrgId);
  const ok =
    h &&
    h.status === 'active' &&
    ((h.kind === 'department' && h.parent_id !== null && pathIds(o.org_path).includes(h.parent_id)) ||
      (['community', 'grid', 'micro_grid', 'department'].includes(h.kind) && isInScope(actor, h.path)));
  if (!ok) throw new AppError('VALIDATION_FAILED', { detail: '处置单位不存在、已停用,或不能承办本区域的工单' }, { field: 'handlerOrgId' });
  return h!;
}

/**
 * Runs one action of the transition table on an order. Checks in order: the order exists for the
 * actor (404), the role may take the action (403), the state allows it (409 INVALID_TRANSITION),
 * the actor stands on the action's side (403), its guard holds (409), the body carries what it
 * needs (400). Then one conditional update on (id, version, status): a lost race is 409 and
 * nothing is written. The event is written in the same transaction.
 */
export async function transition(ctx: AppContext, actor: Actor, id: number, action: OrderAction, body: ActionBody): Promise<void> {
  const t = TRANSITION_BY_ACTION[action];
  requirePermission(actor, t.permission);
  const { order: o, sides } = authorizeOrder(actor, await findOrder(ctx.db, id));
  if (body.version !== o.version) throw new AppError('VERSION_CONFLICT');
  const state = o.status as OrderState;
  if (!t.from.includes(state)) throw new AppError('INVALID_TRANSITION', { state, action });
  if (!sides.includes(t.side)) throw new AppError('FORBIDDEN');
  const cal = await loadCalendar(ctx.db);
  const nowMs = Date.now();
  const at = new Date(nowMs).toISOString();
  if (!guardHolds(t.guard, guardFacts(cal, o, nowMs))) throw new AppError('INVALID_TRANSITION', { state, action, guard: t.guard });
  const note = body.note?.trim() || null;
  if (t.needs.note && !note) throw new AppError('VALIDATION_FAILED', { detail: '请填写说明' }, { field: 'note' });
  if (t.needs.satisfaction && !body.satisfaction) throw new AppError('VALIDATION_FAILED', { detail: '请选择满意度' }, { field: 'satisfaction' });
  if (t.needs.evidence && !note && !body.photos?.length) {
    throw new AppError('VALIDATION_FAILED', { detail: '现场处置须留下照片或处置说明' }, { field: 'note' });
  }
  const photos = decodePhotos(body.photos);

  const set: Updateable<WorkOrdersTable> = {};
  const data: Record<string, unknown> = {};
  const notes: { to: number[]; n: NewNotification }[] = [];
  const toHandler = async (n: Omit<NewNotification, 'orderId'>) =>
    o.handler_org_id !== null && notes.push({ to: await accountsAt(ctx.db, o.handler_org_id, HANDLER_ROLES), n: { ...n, orderId: o.id } });
  const toDispatchers = async (n: Omit<NewNotification, 'orderId'>) =>
    notes.push({ to: await dispatchersOf(ctx.db, o.org_path), n: { ...n, orderId: o.id } });
  const toReporter = (n: Omit<NewNotification, 'orderId'>) => {
    if (o.reporter_account_id !== null) notes.push({ to: [o.reporter_account_id], n: { ...n, orderId: o.id } });
  };
  const closeFields = () => {
    set.closed_at = at;
    set.closed_on_time = o.handle_due_at === null || at <= o.handle_due_at ? 1 : 0;
    set.handling_work_hours = workingMsBetween(cal, Date.parse(o.accepted_at ?? o.created_at), nowMs) / 3_600_000;
  };

  switch (action) {
    case 'accept':
      set.accepted_at = at;
      toReporter({ kind: 'order.accepted', title: `您的诉求 ${o.number} 已受理` });
      break;
    case 'reject':
      toReporter({ kind: 'order.rejected', title: `您的诉求 ${o.number} 不予受理`, body: note });
      break;
    case 'dispatch': {
      if (body.handlerOrgId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择处置单位' }, { field: 'handlerOrgId' });
      const h = await checkHandler(ctx, actor, o, body.handlerOrgId);
      const limits = await slaLimits(ctx.db, o.category_id, o.urgency as Urgency);
      const due = deadlinesFrom(cal, limits, nowMs);
      Object.assign(set, {
        handler_org_id: h.id,
        dispatched_at: at,
        signed_at: null,
        sign_due_at: new Date(due.signDue).toISOString(),
        handle_due_at: new Date(due.handleDue).toISOString(),
        extension_days: 0,
        pending_extension_days: null,
        pending_extension_note: null,
      });
      Object.assign(data, { handlerOrgId: h.id, handlerOrgName: h.name, signDueAt: set.sign_due_at, handleDueAt: set.handle_due_at });
      notes.push({ to: await accountsAt(ctx.db, h.id, HANDLER_ROLES), n: { kind: 'order.dispatched', orderId: o.id, title: `新派工单 ${o.number}:${o.title}` } });
      break;
    }
    case 'sign':
      set.signed_at = at;
      break;
    case 'return':
      Object.assign(set, {
        handler_org_id: null,
        sign_due_at: null,
        handle_due_at: null,
        dispatched_at: null,
        signed_at: null,
        return_count: o.return_count + 1,
        supervised: 0,
      });
      data.handlerOrgId = o.handler_org_id;
      await toDispatchers({ kind: 'order.returned', title: `工单 ${o.number} 被退回`, body: note });
      break;
    case 'request_extension': {
      const days = body.days;
      if (!days) throw new AppError('VALIDATION_FAILED', { detail: '请填写延期的工作日数' }, { field: 'days' });
      if (o.extension_days + days > MAX_EXTENSION_DAYS) {
        throw new AppError('VALIDATION_FAILED', { detail: `延期合计不能超过 ${MAX_EXTENSION_DAYS} 个工作日(已延 ${o.extension_days} 天)` }, { field: 'days' });
      }
      Object.assign(set, { pending_extension_days: days, pending_extension_note: note });
      data.days = days;
      await toDispatchers({ kind: 'order.extension_requested', title: `工单 ${o.number} 申请延期 ${days} 个工作日`, body: note });
      break;
    }
    case 'approve_extension': {
      const days = o.pending_extension_days!;
      const due = addWorkingDays(cal, Date.parse(o.handle_due_at ?? at), days);
      Object.assign(set, {
        handle_due_at: new Date(due).toISOString(),
        extension_days: o.extension_days + days,
        pending_extension_days: null,
        pending_extension_note: null,
      });
      Object.assign(data, { days, handleDueAt: set.handle_due_at });
      await toHandler({ kind: 'order.extension_approved', title: `工单 ${o.number} 延期已批准` });
      break;
    }
    case 'deny_extension':
      Object.assign(set, { pending_extension_days: null, pending_extension_note: null });
      data.days = o.pending_extension_days;
      await toHandler({ kind: 'order.extension_denied', title: `工单 ${o.number} 延期未批准`, body: note });
      break;
    case 'reply':
      set.replied_at = at;
      await toDispatchers({ kind: 'order.replied', title: `工单 ${o.number} 已办结,待核查` });
      break;
    case 'close':
      closeFields();
      toReporter({ kind: 'order.closed', title: `您的诉求 ${o.number} 已办结` });
      break;
    case 'send_back':
      set.send_back_count = o.send_back_count + 1;
      await toHandler({ kind: 'order.sent_back', title: `工单 ${o.number} 核查未通过,请继续办理`, body: note });
      break;
    case 'resolve_on_spot':
      closeFields();
      Object.assign(set, { on_the_spot: 1, handler_org_id: o.org_id, closed_on_time: 1 });
      break;
    case 'callback':
      Object.assign(set, { satisfaction: body.satisfaction, evaluated_at: at });
      data.satisfaction = body.satisfaction;
      break;
    case 'reopen': {
      const limits = await slaLimits(ctx.db, o.category_id, o.urgency as Urgency);
      const due = deadlinesFrom(cal, limits, nowMs);
      Object.assign(set, {
        reopen_count: o.reopen_count + 1,
        handler_org_id: o.handler_org_id ?? o.org_id,
        dispatched_at: at,
        signed_at: at,
        handle_due_at: new Date(due.handleDue).toISOString(),
        sign_due_at: null,
        closed_at: null,
        closed_on_time: null,
        handling_work_hours: null,
        evaluated_at: null,
        replied_at: null,
        satisfaction: null,
        extension_days: 0,
      });
      await toHandler({ kind: 'order.reopened', title: `工单 ${o.number} 回访不满意,需重办`, body: note });
      break;
    }
    case 'merge': {
      if (body.primaryId === undefined || body.primaryId === o.id) {
        throw new AppError('VALIDATION_FAILED', { detail: '请选择要合并到的主工单' }, { field: 'primaryId' });
      }
      const primary = await findOrder(ctx.db, body.primaryId);
      if (!primary || !isInScope(actor, primary.org_path) || primary.merged_into_id !== null || !['submitted', 'accepted', 'dispatched', 'in_progress', 'replied'].includes(primary.status)) {
        throw new AppError('VALIDATION_FAILED', { detail: '主工单不存在、不在办理中或不在您的管辖范围内' }, { field: 'primaryId' });
      }
      set.merged_into_id = primary.id;
      Object.assign(data, { primaryId: primary.id, primaryNumber: primary.number });
      toReporter({ kind: 'order.merged', title: `您的诉求 ${o.number} 已与 ${primary.number} 合并办理` });
      break;
    }
    case 'supervise':
      set.supervised = 1;
      await toHandler({ kind: 'order.supervised', title: `督办:工单 ${o.number} 请加快办理`, body: note });
      break;
  }
  const to = t.to ?? state;
  await ctx.db.transaction().execute(async (trx) => {
    await conditionalUpdate(trx, o, { ...set, status: to }, at);
    const eventId = await insertEvent(trx, { orderId: o.id, action, from: state, to, actorId: actor.id, actorName: actor.displayName, note, data: Object.keys(data).length ? data : undefined, at });
    if (photos.length) await insertPhotos(trx, o.id, photos, at, { eventId });
    if (WEBHOOK_ACTIONS.has(action)) {
      const after = { ...o, ...set, status: to } as OrderRow;
      await enqueueWebhook(trx, after.handler_org_id, { event: `order.${action}`, occurredAt: at, note, order: webhookOrder(after) });
    }
    for (const n of notes) await notify(trx, n.to.filter((a) => a !== actor.id), n.n, at);
    // Reporters of merged orders follow the primary: they hear of its closing too.
    if (action === 'close' || action === 'reply') await notifyMergedReporters(trx, o, at);
  });
}

/** What a handler unit's outside system hears of: work arriving or coming back, pressure, the end. */
const WEBHOOK_ACTIONS = new Set<OrderAction>(['dispatch', 'supervise', 'send_back', 'reopen', 'approve_extension', 'deny_extension', 'close', 'merge']);

function webhookOrder(o: OrderRow): WebhookOrder {
  return {
    id: o.id,
    number: o.number,
    hotlineNumber: o.hotline_number,
    status: o.status,
    categoryId: o.category_id,
    urgency: o.urgency,
    title: o.title,
    description: o.description,
    address: o.address,
    lng: o.lng,
    lat: o.lat,
    handlerOrgId: o.handler_org_id,
    signDueAt: o.sign_due_at,
    handleDueAt: o.handle_due_at,
    supervised: !!o.supervised,
  };
}

/** `update … where id = ? and version = ? and status = ?`: zero rows means somebody acted first. */
export async function conditionalUpdate(trx: Transaction<DB>, o: Pick<OrderRow, 'id' | 'version' | 'status'>, set: Updateable<WorkOrdersTable>, at: string) {
  const r = await trx
    .updateTable('work_orders')
    .set((eb) => ({ ...set, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', o.id)
    .where('version', '=', o.version)
    .where('status', '=', o.status)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT');
}

async function notifyMergedReporters(trx: Transaction<DB>, o: OrderRow, at: string) {
  const merged = await trx
    .selectFrom('work_orders')
    .select(['id', 'number', 'reporter_account_id'])
    .where('merged_into_id', '=', o.id)
    .where('reporter_account_id', 'is not', null)
    .execute();
  for (const m of merged) {
    await notify(trx, [m.reporter_account_id!], { kind: 'order.merged_progress', orderId: m.id, title: `您的诉求 ${m.number}(已并入 ${o.number})有新进展` }, at);
  }
}
