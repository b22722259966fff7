import {
  allowedActions,
  hasPermission,
  OPEN_STATES,
  ROLE_PERMISSIONS,
  type CreateItemBody,
  type OrderDetail,
  type OrgUnit,
  type OrderList,
  type OrderListQuery,
  type OrderState,
  type OrderSummary,
  type PublicOrderView,
  type PublicRateBody,
  type Satisfaction,
  type UpdateItemBody,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { queryTerms } from '../../lib/segment.js';
import { beijingDate, type WorkCalendar } from '../../lib/working-time.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { notify } from '../notifications/notification.service.js';
import { mapOrgUnit } from '../org/org.mapper.js';
import { findOrgUnit, pathIds } from '../org/org.repository.js';
import { maskName } from '@haitang/contracts';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { defaultHandlerOf } from './category.service.js';
import { accessCodeHash } from './order.intake.js';
import { decodePhotos, insertPhotos } from './order.photos.js';
import { authorizeOrder } from './order.policy.js';
import {
  countOrders,
  dispatchersOf,
  findAttachment,
  findAttachmentMeta,
  findEvents,
  findItems,
  findMergedIds,
  findOrder,
  topOrderId,
  findOrderByNumber,
  findOrderIdPage,
  findOrdersByIds,
  isWholeTree,
  insertEvent,
  type OrderFilter,
  type OrderRow,
} from './order.repository.js';
import { slaOf } from './order.sla.js';
import { checkHandler, conditionalUpdate, guardFacts } from './order.transition.js';

export function mapSummary(o: OrderRow, cal: WorkCalendar, now: number): OrderSummary {
  const { sla, dueAt } = slaOf(cal, o, now);
  return {
    id: o.id,
    number: o.number,
    hotlineNumber: o.hotline_number,
    title: o.title,
    channel: o.channel as OrderSummary['channel'],
    categoryId: o.category_id,
    categoryName: o.category_name,
    urgency: o.urgency as OrderSummary['urgency'],
    state: o.status as OrderState,
    orgId: o.org_id,
    orgName: o.org_name,
    handlerOrgId: o.handler_org_id,
    handlerOrgName: o.handler_org_name,
    address: o.address,
    lng: o.lng,
    lat: o.lat,
    praise: o.praise === 1,
    onTheSpot: o.on_the_spot === 1,
    supervised: o.supervised === 1,
    satisfaction: o.satisfaction as Satisfaction | null,
    reopenCount: o.reopen_count,
    mergedIntoId: o.merged_into_id,
    dueAt,
    sla,
    createdAt: o.created_at,
    version: o.version,
  };
}

export async function getOrder(ctx: AppContext, actor: Actor, id: number): Promise<OrderDetail> {
  const { order: o, sides } = authorizeOrder(actor, await findOrder(ctx.db, id));
  const cal = await loadCalendar(ctx.db);
  const [events, items, attachments, mergedOrderIds, suggestedHandlerOrgId] = await Promise.all([
    findEvents(ctx.db, id),
    findItems(ctx.db, id),
    findAttachmentMeta(ctx.db, id),
    findMergedIds(ctx.db, id),
    suggestedHandlerOf(ctx, actor, o),
  ]);
  return orderDetail(actor, { order: o, sides }, cal, Date.now(), { events, items, attachments, mergedOrderIds, suggestedHandlerOrgId });
}

/** What an order's page shows besides the order's own row. */
export interface OrderParts {
  events: { id: number; action: string; from_status: string | null; to_status: string | null; actor_name: string; note: string | null; data: string | null; created_at: string }[];
  items: { id: number; title: string; owner_org_id: number | null; owner_org_name: string | null; owner_name: string | null; due_date: string | null; state: string; note: string | null; version: number }[];
  attachments: { id: number; event_id: number | null; item_id: number | null; name: string; mime: string; size: number }[];
  mergedOrderIds: number[];
  suggestedHandlerOrgId: number | null;
}

/** The order as the actor sees it (names masked as the role requires, the actions it may take). */
export function orderDetail(actor: Actor, { order: o, sides }: ReturnType<typeof authorizeOrder>, cal: WorkCalendar, now: number, parts: OrderParts): OrderDetail {
  const { events, items, attachments, mergedOrderIds, suggestedHandlerOrgId } = parts;
  const today = beijingDate(now);
  const fullNames = canSeeFullNames(actor);
  // Object.assign, not `{ ...summary, more }`: on Node 20 an object spread followed by twenty more
  // properties took ~75 µs an object (Object.assign: under 1 µs), a tenth of an intake.
  return Object.assign(mapSummary(o, cal, now), {
    description: o.description,
    originalDescription: o.original_description,
    householdId: o.household_id,
    reporterName: o.reporter_name === null ? null : fullNames ? o.reporter_name : maskName(o.reporter_name),
    reporterPhone: o.reporter_phone_masked,
    anonymous: o.anonymous === 1,
    praisedPerson: o.praised_person,
    praisedOrgId: o.praised_org_id,
    signDueAt: o.sign_due_at,
    handleDueAt: o.handle_due_at,
    extensionDays: o.extension_days,
    pendingExtension: o.pending_extension_days === null ? null : { days: o.pending_extension_days, note: o.pending_extension_note ?? '' },
    returnCount: o.return_count,
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      ownerOrgId: i.owner_org_id,
      ownerOrgName: i.owner_org_name,
      ownerName: i.owner_name,
      dueDate: i.due_date,
      state: i.state as 'open' | 'done' | 'waived',
      note: i.note,
      overdue: i.state === 'open' && i.due_date !== null && i.due_date < today,
      attachmentIds: attachments.filter((a) => a.item_id === i.id).map((a) => a.id),
      version: i.version,
    })),
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      fromState: e.from_status as OrderState | null,
      toState: e.to_status as OrderState | null,
      actorName: e.actor_name,
      note: e.note,
      data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null,
      attachmentIds: attachments.filter((a) => a.event_id === e.id).map((a) => a.id),
      createdAt: e.created_at,
    })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size })),
    mergedOrderIds,
    suggestedHandlerOrgId,
    allowedActions: allowedActions(o.status as OrderState, { permissions: ROLE_PERMISSIONS[actor.role], sides, facts: guardFacts(cal, o, now) }),
  });
}

/** A photo of an order the actor may see. */
export async function getAttachment(ctx: AppContext, actor: Actor, orderId: number, attachmentId: number) {
  authorizeOrder(actor, await findOrder(ctx.db, orderId));
  const a = await findAttachment(ctx.db, attachmentId);
  if (!a || a.order_id !== orderId) throw new AppError('NOT_FOUND');
  return a;
}

/** Beijing day boundaries as UTC instants, for date filters. */
function dayStartIso(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

/**
 * PostgreSQL: expected probes below which a whole-tree search walks the newest orders (a few ms);
 * collecting a rarer word's matches costs less: 20 ms for 7,551 matches, where walking to a page
 * of them took 2,600 probes. (SQLite's FTS5 index reads matches newest first: no walk.)
 */
const WALK_PROBES = 2_000;

export async function listOrders(ctx: AppContext, actor: Actor, q: OrderListQuery): Promise<OrderList> {
  requirePermission(actor, 'order.read');
  const f: OrderFilter = { scopePath: actor.orgPath };
  const nowIso = new Date().toISOString();
  if (q.orgId !== undefined) {
    const org = await findOrgUnit(ctx.db, q.orgId);
    // A node outside the area narrows to nothing (like the other lists): it reveals nothing either way.
    if (!org || !org.path.startsWith(actor.orgPath)) return { items: [], total: 0 };
    f.orgPath = org.path;
  }
  if (q.state) f.state = q.state;
  if (q.categoryId !== undefined) f.categoryId = q.categoryId;
  if (q.handlerOrgId !== undefined) f.handlerOrgId = q.handlerOrgId;
  if (q.channel) f.channel = q.channel;
  if (q.from) f.from = dayStartIso(q.from);
  if (q.to) f.to = new Date(Date.parse(dayStartIso(q.to)) + 86_400_000).toISOString();
  if (q.overdue) f.overdueAt = nowIso;
  if (q.open) f.states = OPEN_STATES;
  switch (q.view) {
    case 'mine':
      f.createdBy = actor.id;
      f.mineOrgId = actor.orgId;
      break;
    case 'unit':
      f.handlerOrgId = actor.orgId;
      break;
    case 'overdue':
      f.overdueAt = nowIso;
      break;
    case 'to_verify':
      f.state = 'replied';
      break;
  }
  const text = q.q?.trim();
  if (text) {
    if (/^[0-9A-Za-z-]{6,40}$/.test(text)) f.number = text.toUpperCase().startsWith('HT') ? text.toUpperCase() : text;
    else {
      const terms = queryTerms(text);
      if (!terms.length) return { items: [], total: 0 };
      f.terms = terms;
      f.wholeTree = await isWholeTree(ctx.db, actor.orgPath);
    }
  }
  const pageSize = q.pageSize ?? 20;
  const offset = ((q.page ?? 1) - 1) * pageSize;
  let ids: number[];
  let total: number;
  if (ctx.dialect === 'postgres' && f.wholeTree && f.terms && !f.orgPath) {
    // The whole city: the count first. When the matches are common enough that walking the newest
    // orders meets a page of them within WALK_PROBES probes, walk (see OrderFilter.walkNewest).
    let top: number;
    [total, top] = await Promise.all([countOrders(ctx.db, ctx.dialect, f), topOrderId(ctx.db)]);
    const probes = total === 0 ? Infinity : ((offset + pageSize) * top) / total;
    f.walkNewest = probes <= WALK_PROBES;
    ids = total === 0 ? [] : await findOrderIdPage(ctx.db, ctx.dialect, f, pageSize, offset);
  } else {
    [ids, total] = await Promise.all([findOrderIdPage(ctx.db, ctx.dialect, f, pageSize, offset), countOrders(ctx.db, ctx.dialect, f)]);
  }
  const rows = await findOrdersByIds(ctx.db, ids);
  const cal = await loadCalendar(ctx.db);
  const now = Date.now();
  return { items: rows.map((r) => mapSummary(r, cal, now)), total };
}

function requireItemWork(o: OrderRow, sides: string[]) {
  if (!['accepted', 'dispatched', 'in_progress'].includes(o.status)) {
    throw new AppError('INVALID_TRANSITION', { state: o.status, action: 'item' });
  }
  if (!sides.includes('handler') && !sides.includes('dispatcher')) throw new AppError('FORBIDDEN');
}

/** Adds a checklist item (a complex order is worked item by item). */
export async function addItem(ctx: AppContext, actor: Actor, orderId: number, body: CreateItemBody): Promise<void> {
  requirePermission(actor, 'order.handle');
  const { order: o, sides } = authorizeOrder(actor, await findOrder(ctx.db, orderId));
  requireItemWork(o, sides);
  if (body.ownerOrgId != null) await checkHandler(ctx, actor, o, body.ownerOrgId);
  if (body.version !== o.version) throw new AppError('VERSION_CONFLICT');
  const at = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await conditionalUpdate(trx, o, { items_open: o.items_open + 1 }, at);
    const item = await trx
      .insertInto('order_items')
      .values({ order_id: o.id, title: body.title.trim(), owner_org_id: body.ownerOrgId ?? null, owner_name: body.ownerName ?? null, due_date: body.dueDate ?? null, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { orderId: o.id, action: 'item_add', from: o.status, to: o.status, actorId: actor.id, actorName: actor.displayName, note: body.title.trim(), data: { itemId: item.id }, at });
  });
}

/** Marks an item done (with evidence), waived (with a reason) or open again. */
export async function updateItem(ctx: AppContext, actor: Actor, orderId: number, itemId: number, body: UpdateItemBody): Promise<void> {
  requirePermission(actor, 'order.handle');
  const { order: o, sides } = authorizeOrder(actor, await findOrder(ctx.db, orderId));
  requireItemWork(o, sides);
  const item = await ctx.db.selectFrom('order_items').selectAll().where('id', '=', itemId).where('order_id', '=', orderId).executeTakeFirst();
  if (!item) throw new AppError('NOT_FOUND');
  if (body.version !== item.version) throw new AppError('VERSION_CONFLICT');
  const note = body.note?.trim() || null;
  const state = body.state ?? item.state;
  if (body.state !== undefined && body.state !== item.state) {
    if (state === 'waived' && !note) throw new AppError('VALIDATION_FAILED', { detail: '免办须说明理由' }, { field: 'note' });
    if (state === 'done' && !note && !body.photos?.length) throw new AppError('VALIDATION_FAILED', { detail: '完成事项须留下照片或说明' }, { field: 'note' });
  }
  if (body.ownerOrgId != null) await checkHandler(ctx, actor, o, body.ownerOrgId);
  const photos = decodePhotos(body.photos);
  const delta = (item.state === 'open' ? -1 : 0) + (state === 'open' ? 1 : 0);
  const at = new Date().toISOString();
  const changes: Record<string, unknown> = {};
  if (body.ownerOrgId !== undefined) changes.owner_org_id = body.ownerOrgId;
  if (body.ownerName !== undefined) changes.owner_name = body.ownerName?.trim() || null;
  if (body.dueDate !== undefined) changes.due_date = body.dueDate;
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('order_items')
      .set((eb) => ({ ...changes, state, ...(note !== null || body.state !== undefined ? { note } : {}), updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', itemId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT');
    // The order's version moves too, so that a reply racing with an item change loses cleanly.
    await conditionalUpdate(trx, o, { items_open: o.items_open + delta }, at);
    const eventId = await insertEvent(trx, {
      orderId: o.id,
      action: 'item_update',
      from: o.status,
      to: o.status,
      actorId: actor.id,
      actorName: actor.displayName,
      note,
      data: { itemId, title: item.title, state, ...(body.ownerOrgId !== undefined ? { ownerOrgId: body.ownerOrgId } : {}), ...(body.ownerName !== undefined ? { ownerName: body.ownerName } : {}), ...(body.dueDate !== undefined ? { dueDate: body.dueDate } : {}) },
      at,
    });
    if (photos.length) await insertPhotos(trx, o.id, photos, at, { eventId, itemId });
  });
}

const PUBLIC_ACTIONS = new Set(['submit', 'accept', 'reject', 'dispatch', 'reply', 'close', 'resolve_on_spot', 'callback', 'reopen', 'merge']);

async function publicOrder(ctx: AppContext, number: string, code: string): Promise<OrderRow> {
  const o = await findOrderByNumber(ctx.db, number.trim().toUpperCase());
  // A wrong code looks exactly like a wrong number.
  if (!o || !o.access_code_hash || o.access_code_hash !== accessCodeHash(code.trim())) throw new AppError('NOT_FOUND');
  return o;
}

/** What the reporter sees by number and access code: state and the public steps, no staff names. */
export async function followOrder(ctx: AppContext, number: string, code: string): Promise<PublicOrderView> {
  const o = await publicOrder(ctx, number, code);
  const events = await findEvents(ctx.db, o.id);
  const primary = o.merged_into_id ? await findOrder(ctx.db, o.merged_into_id) : null;
  const shown = primary ?? o;
  const shownEvents = primary ? [...events, ...(await findEvents(ctx.db, primary.id))] : events;
  return {
    number: o.number,
    state: shown.status as OrderState,
    categoryName: o.category_name,
    description: o.description,
    createdAt: o.created_at,
    mergedIntoNumber: primary?.number ?? null,
    satisfaction: o.satisfaction as Satisfaction | null,
    canRate: o.status === 'closed' && o.satisfaction === null,
    timeline: shownEvents
      .filter((e) => PUBLIC_ACTIONS.has(e.action))
      .map((e) => ({ action: e.action, toState: e.to_status as OrderState | null, note: e.action === 'reply' || e.action === 'reject' ? e.note : null, createdAt: e.created_at })),
  };
}

/** The reporter rates a closed order: the callback (回访) done by the resident. */
export async function rateOrder(ctx: AppContext, number: string, body: PublicRateBody): Promise<PublicOrderView> {
  const o = await publicOrder(ctx, number, body.accessCode);
  if (o.status !== 'closed' || o.satisfaction !== null) throw new AppError('INVALID_TRANSITION', { state: o.status, action: 'callback' });
  const at = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await conditionalUpdate(trx, o, { status: 'evaluated', satisfaction: body.satisfaction, evaluated_at: at }, at);
    await insertEvent(trx, {
      orderId: o.id,
      action: 'callback',
      from: 'closed',
      to: 'evaluated',
      actorId: null,
      actorName: o.anonymous ? '匿名居民' : (o.reporter_name ?? '居民'),
      note: body.note?.trim() || null,
      data: { satisfaction: body.satisfaction, by: 'reporter' },
      at,
    });
    if (body.satisfaction === 'dissatisfied') {
      await notify(trx, await dispatchersOf(trx, o.org_path), { kind: 'order.dissatisfied', orderId: o.id, title: `工单 ${o.number} 回访不满意` }, at);
    }
  });
  return followOrder(ctx, number, body.accessCode);
}

/**
 * The units an order may be dispatched to, as dispatch accepts them: the departments attached
 * along the order's place (派出所, 城管, 物业… under its street, district or community) and the
 * communities, grids, micro-grids and departments of the actor's area. Outlines are left out.
 */
function candidateUnits(ctx: AppContext, actor: Actor, orderPath: string) {
  return ctx.db
    .selectFrom('org_units')
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'department'), eb('parent_id', 'in', pathIds(orderPath))]),
        eb.and([
          eb('kind', 'in', ['community', 'grid', 'micro_grid', 'department']),
          eb('path', '>=', actor.orgPath),
          eb('path', '<', `${actor.orgPath.slice(0, -1)}0`),
        ]),
      ]),
    );
}

/**
 * The category's default handler, named to the actor only when it is one of the units the actor
 * could dispatch the order to (what GET /api/orders/:id/handlers lists): a unit elsewhere in the
 * city stays unnamed. One query, for the order detail only (lists do not carry it).
 */
export async function suggestedHandlerOf(ctx: AppContext, actor: Actor, o: OrderRow, categoryDefault?: number | null): Promise<number | null> {
  if (!hasPermission(actor.role, 'order.dispatch')) return null;
  // The caller may know the category's default already (intake does).
  const handler = categoryDefault !== undefined ? categoryDefault : await defaultHandlerOf(ctx.db, o.category_id);
  if (handler === null) return null;
  const r = await candidateUnits(ctx, actor, o.org_path).select('id').where('id', '=', handler).executeTakeFirst();
  return r?.id ?? null;
}

export async function handlerCandidates(ctx: AppContext, actor: Actor, id: number): Promise<{ items: OrgUnit[]; suggestedId: number | null }> {
  requirePermission(actor, 'order.dispatch');
  const { order: o } = authorizeOrder(actor, await findOrder(ctx.db, id));
  const rows = await candidateUnits(ctx, actor, o.org_path).selectAll().orderBy('path').execute();
  const suggested = await defaultHandlerOf(ctx.db, o.category_id);
  return {
    items: rows.map((r) => ({ ...mapOrgUnit(r), geometry: null })),
    suggestedId: suggested !== null && rows.some((r) => r.id === suggested) ? suggested : null,
  };
}
