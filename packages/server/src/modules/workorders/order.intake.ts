import { createHash, randomInt } from 'node:crypto';
import {
  checkPhone,
  maskPhone,
  normalizePhone,
  type CreateOrderBody,
  type OrderDetail,
  type PublicReportBody,
  type PublicReportReceipt,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import type { OrgUnitRow } from '../../db/schema.js';
import { isInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { AppError } from '../../lib/errors.js';
import { documentTerms } from '../../lib/segment.js';
import { reportTitle, searchableText } from './order.fts.js';
import { hitRateLimit } from '../auth/auth.repository.js';
import { householdAddress } from '../households/household.address.js';
import { findHousehold } from '../households/household.repository.js';
import { notify } from '../notifications/notification.service.js';
import { isUniqueViolation } from '../residents/resident.repository.js';
import { findOrgUnit } from '../org/org.repository.js';
import { cachedCategory } from './category.service.js';
import { decodePhotos } from './order.photos.js';
import { authorizeOrder } from './order.policy.js';
import { dispatchersOf, type OrderRow } from './order.repository.js';
import { routePoint } from './order.routing.js';
import { orderDetail, suggestedHandlerOf } from './order.service.js';
import type { NewOrder, WrittenOrder } from './order.writer.js';

const PLACE_KINDS = ['community', 'grid', 'micro_grid'];

async function activeCategory(ctx: AppContext, id: number) {
  const c = await cachedCategory(ctx.db, id);
  if (!c || c.status !== 'active') throw new AppError('VALIDATION_FAILED', { detail: '问题类别不存在或已停用' }, { field: 'categoryId' });
  return c;
}

/** The org node a problem belongs to: the chosen grid, the household's micro-grid or the map point's grid. */
async function placeOf(
  ctx: AppContext,
  scopePath: string,
  p: { orgId?: number | null; householdId?: number | null; lng?: number | null; lat?: number | null },
): Promise<{ org: OrgUnitRow; householdId: number | null; address: string | null }> {
  let householdId: number | null = null;
  let address: string | null = null;
  let orgId: number | null = null;
  if (p.householdId != null) {
    const h = await findHousehold(ctx.db, p.householdId);
    if (!h || !h.org_path.startsWith(scopePath)) throw new AppError('NOT_FOUND');
    householdId = h.id;
    // The household's address goes with the order (unless one was typed, or another place chosen).
    if (p.orgId == null) address = h.address?.trim() || (h.building_name && h.room ? householdAddress(h.building_name, h.unit_label, h.room) : null);
    orgId = h.org_id;
  }
  if (p.orgId != null) orgId = p.orgId;
  if (orgId === null && p.lng != null && p.lat != null) {
    orgId = await routePoint(ctx.db, p.lng, p.lat);
    if (orgId === null) throw new AppError('VALIDATION_FAILED', { detail: '该位置不在任何网格内,请选择所属网格' }, { field: 'lng' });
  }
  if (orgId === null) throw new AppError('VALIDATION_FAILED', { detail: '请选择位置、户或所属网格' }, { field: 'orgId' });
  const org = await findOrgUnit(ctx.db, orgId);
  // Outside the area answers like a node that does not exist (no existence leak).
  if (!org || !org.path.startsWith(scopePath)) throw new AppError('NOT_FOUND');
  if (!PLACE_KINDS.includes(org.kind) || org.status !== 'active') {
    throw new AppError('VALIDATION_FAILED', { detail: '所属网格不是社区、网格或微网格,或已停用' }, { field: 'orgId' });
  }
  return { org, householdId, address };
}

function reporterPhone(ctx: AppContext, raw: string | null | undefined) {
  if (!raw) return { reporter_phone_enc: null, reporter_phone_hash: null, reporter_phone_masked: null };
  if (!checkPhone(raw)) throw new AppError('INVALID_PHONE', {}, { field: 'reporterPhone' });
  const phone = normalizePhone(raw);
  return { reporter_phone_enc: ctx.crypto.encrypt(phone), reporter_phone_hash: ctx.crypto.lookupHash(phone), reporter_phone_masked: maskPhone(phone) };
}

export function accessCodeHash(code: string): string {
  return createHash('sha256').update(`haitang/order-access/${code.toUpperCase()}`).digest('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The reporter's access code: random, or — when the page sent its own request id — derived from
 * that id with a server key, so that a repeated request gets the same code back although only its
 * hash is stored.
 */
function newAccessCode(ctx: AppContext, requestId?: string): string {
  let s = '';
  if (requestId) {
    const bytes = Buffer.from(ctx.crypto.lookupHash(`order-access-code/${requestId}`), 'base64url');
    for (let i = 0; i < 8; i++) s += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
    return s;
  }
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** The receipt of a report already made with this request id, if any. */
async function earlierReport(ctx: AppContext, requestId: string | undefined): Promise<PublicReportReceipt | null> {
  if (!requestId) return null;
  const row = await ctx.db.selectFrom('work_orders').select('number').where('client_request_id', '=', requestId).executeTakeFirst();
  return row ? { number: row.number, accessCode: newAccessCode(ctx, requestId) } : null;
}

/**
 * The new order as its author sees it, built from what was written rather than read back: the
 * same answer as GET /api/orders/:id (a test holds them equal), without its six queries.
 */
async function answer(
  ctx: AppContext,
  actor: Actor,
  w: WrittenOrder,
  names: { category: string; defaultHandler: number | null; org: OrgUnitRow; handler: OrgUnitRow | null },
): Promise<OrderDetail> {
  const row: OrderRow = Object.assign(w.row, {
    category_name: names.category,
    org_name: names.org.name,
    org_path: names.org.path,
    handler_org_name: names.handler?.name ?? null,
    handler_org_path: names.handler?.path ?? null,
  });
  const seen = authorizeOrder(actor, row);
  const ownerIds = [...new Set(w.items.flatMap((i) => (i.owner_org_id === null ? [] : [i.owner_org_id])))];
  const owners = new Map(
    ownerIds.length ? (await ctx.db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ownerIds).execute()).map((o) => [o.id, o.name]) : [],
  );
  const [cal, suggestedHandlerOrgId] = await Promise.all([loadCalendar(ctx.db), suggestedHandlerOf(ctx, actor, row, names.defaultHandler)]);
  return orderDetail(actor, seen, cal, Date.now(), {
    events: w.events,
    items: w.items.map((i) => ({ ...i, owner_org_name: i.owner_org_id === null ? null : (owners.get(i.owner_org_id) ?? null), state: 'open', note: null, version: 1 })),
    attachments: w.attachments.map((a) => ({ ...a, item_id: null })),
    mergedOrderIds: [],
    suggestedHandlerOrgId,
  });
}

/**
 * Intake by staff, grid workers and hotline operators: the order starts accepted (they register
 * it themselves). With `resolveOnSpot` a simple problem is closed in the same step, with evidence.
 */
export async function createOrder(ctx: AppContext, actor: Actor, body: CreateOrderBody): Promise<OrderDetail> {
  requirePermission(actor, 'order.create');
  if (body.resolveOnSpot) requirePermission(actor, 'order.resolve');
  const category = await activeCategory(ctx, body.categoryId);
  const { org, householdId, address } = await placeOf(ctx, actor.orgPath, body);
  if (body.reporterResidentId != null) {
    const r = await ctx.db
      .selectFrom('residents as r')
      .innerJoin('org_units as o', 'o.id', 'r.org_id')
      .select(['r.id', 'o.path'])
      .where('r.id', '=', body.reporterResidentId)
      .executeTakeFirst();
    if (!r || !isInScope(actor, r.path)) throw new AppError('NOT_FOUND');
  }
  if (body.praise?.orgId != null && !(await findOrgUnit(ctx.db, body.praise.orgId))) {
    throw new AppError('VALIDATION_FAILED', { detail: '被表扬的单位不存在' }, { field: 'praise' });
  }
  if (body.resolveOnSpot && body.items?.length) {
    throw new AppError('VALIDATION_FAILED', { detail: '现场处置的简单问题不需要清单;复杂问题请逐项办理' }, { field: 'resolveOnSpot' });
  }
  const photos = decodePhotos(body.photos);
  const at = new Date().toISOString();
  const urgency = body.urgency ?? 'normal';
  const onSpot = !!body.resolveOnSpot;
  const praise = !!body.praise;
  const events: NewOrder['events'] = [
    { action: 'submit', from: null, to: 'submitted', data: { channel: body.channel } },
    { action: 'accept', from: 'submitted', to: 'accepted' },
  ];
  if (onSpot) events.push({ action: 'resolve_on_spot', from: 'accepted', to: 'closed', note: body.resolveOnSpot!.note });
  const status = onSpot ? 'closed' : 'accepted';
  try {
    const written = await ctx.orderWriter.write({
      values: {
        hotline_number: body.hotlineNumber ?? null,
        channel: body.channel,
        category_id: category.id,
        urgency,
        title: body.title.trim(),
        description: body.description.trim(),
        original_description: body.description.trim(),
        org_id: org.id,
        household_id: householdId,
        lng: body.lng ?? null,
        lat: body.lat ?? null,
        address: body.address?.trim() || address,
        reporter_resident_id: body.reporterResidentId ?? null,
        reporter_name: body.reporterName?.trim() || null,
        ...reporterPhone(ctx, body.reporterPhone),
        anonymous: body.anonymous ? 1 : 0,
        handler_org_id: onSpot ? org.id : null,
        created_by: actor.id,
        status,
        praise: praise ? 1 : 0,
        praised_person: body.praise?.person.trim() ?? null,
        praised_org_id: body.praise?.orgId ?? null,
        on_the_spot: onSpot ? 1 : 0,
        items_open: body.items?.length ?? 0,
        accepted_at: at,
        closed_at: onSpot ? at : null,
        closed_on_time: onSpot ? 1 : null,
        // Resolved in the step that registers it: no handling time.
        handling_work_hours: onSpot ? 0 : null,
      },
      at,
      actor: { id: actor.id, name: actor.displayName },
      events,
      photos,
      items: body.items ?? [],
      terms: documentTerms(searchableText({ title: body.title.trim(), description: body.description.trim() })),
    });
    return await answer(ctx, actor, written, { category: category.name, defaultHandler: category.default_handler, org, handler: onSpot ? org : null });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('DUPLICATE', { detail: `12345 工单号 ${body.hotlineNumber} 已登记` }, { field: 'hotlineNumber' });
    }
    throw err;
  }
}

/**
 * A resident's report from the public page (no account needed): rate-limited per address and per
 * phone, placed by the map point or the chosen community, waiting for staff to accept it. The
 * receipt's access code lets the reporter follow and rate the order.
 */
export async function publicReport(
  ctx: AppContext,
  body: PublicReportBody,
  who: { ip: string | null; accountId: number | null },
): Promise<PublicReportReceipt> {
  if (!checkPhone(body.contactPhone)) throw new AppError('INVALID_PHONE', {}, { field: 'contactPhone' });
  // A repeat of a report that was made (its answer got lost): the same receipt, no second order.
  const earlier = await earlierReport(ctx, body.requestId);
  if (earlier) return earlier;
  const phone = normalizePhone(body.contactPhone);
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
  const limit = ctx.config.publicReportsPerHour;
  if ((await hitRateLimit(ctx.db, `report:ip:${who.ip ?? 'unknown'}`, hour)) > limit * 4) throw new AppError('RATE_LIMITED');
  if ((await hitRateLimit(ctx.db, `report:phone:${ctx.crypto.lookupHash(phone)}`, hour)) > limit) throw new AppError('RATE_LIMITED');
  const category = await activeCategory(ctx, body.categoryId);
  const { org } = await placeOf(ctx, '/', { orgId: body.orgId, lng: body.lng, lat: body.lat });
  const photos = decodePhotos(body.photos);
  const at = new Date().toISOString();
  const code = newAccessCode(ctx, body.requestId);
  // By characters, not UTF-16 units: a cut inside an emoji would leave half of it.
  const title = reportTitle(body.description.trim());
  const write = () =>
    ctx.orderWriter.write({
      values: {
        channel: 'web',
        category_id: category.id,
        urgency: 'normal',
        title,
        description: body.description.trim(),
        original_description: body.description.trim(),
        org_id: org.id,
        lng: body.lng ?? null,
        lat: body.lat ?? null,
        address: body.address?.trim() || null,
        reporter_account_id: who.accountId,
        reporter_name: body.contactName.trim(),
        ...reporterPhone(ctx, phone),
        anonymous: body.anonymous ? 1 : 0,
        access_code_hash: accessCodeHash(code),
        client_request_id: body.requestId ?? null,
        status: 'submitted',
      },
      at,
      actor: { id: null, name: body.anonymous ? '匿名居民' : body.contactName.trim() },
      events: [{ action: 'submit', from: null, to: 'submitted', data: { channel: 'web' } }],
      photos,
      items: [],
      terms: documentTerms(searchableText({ title, description: body.description.trim() })),
      after: async (trx, created) =>
        notify(trx, await dispatchersOf(trx, org.path), { kind: 'order.submitted', orderId: created.id, title: `新的居民诉求:${title}` }, at),
    });
  try {
    const { number } = await write();
    return { number, accessCode: code };
  } catch (err) {
    // The same request arriving twice at once: the second loses the unique index to the first.
    const first = isUniqueViolation(err) ? await earlierReport(ctx, body.requestId) : null;
    if (first) return first;
    throw err;
  }
}
