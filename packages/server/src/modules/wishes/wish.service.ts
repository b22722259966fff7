import {
  maskName,
  WISH_CONTACT_DAYS,
  WISH_REMIND_BEFORE_DAYS,
  wishPriority,
  type ClaimWishesBody,
  type CreateWishBody,
  type FulfilWishBody,
  type ThankWishBody,
  type VerifyWishBody,
  type WishChannel,
  type WishListQuery,
  type WishStatus,
  type WishView,
} from '@haitang/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import { isInScope, requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { viewName } from '../../lib/names.js';
import { requireResidentSelf } from '../activities/activity.policy.js';
import { notify } from '../notifications/notification.service.js';
import { findAncestors, findOrgUnit, pathIds } from '../org/org.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { decodePhotos } from '../workorders/order.photos.js';

type Db = Kysely<DB> | Transaction<DB>;
const DAY = 86_400_000;
/** "2026-12-04 09:30" in Beijing time. */
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export interface WishRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  channel: string;
  wisher_resident_id: number | null;
  wisher_name: string;
  content: string;
  status: string;
  reject_reason: string | null;
  published_at: string | null;
  claim_id: number | null;
  claimant_name: string | null;
  claimant_kind: string | null;
  claimant_resident_id: number | null;
  contact_due_at: string | null;
  contacted_at: string | null;
  fulfilled_at: string | null;
  fulfil_note: string | null;
  thanked_at: string | null;
  thanks_note: string | null;
  version: number;
  created_at: string;
}

function selectWishes(db: Db) {
  return db
    .selectFrom('wishes as w')
    .innerJoin('org_units as o', 'o.id', 'w.org_id')
    .leftJoin('wish_claims as c', 'c.id', 'w.claim_id')
    .select([
      'w.id', 'w.org_id', 'o.name as org_name', 'o.path as org_path', 'w.channel', 'w.wisher_resident_id', 'w.wisher_name', 'w.content',
      'w.status', 'w.reject_reason', 'w.published_at', 'w.claim_id', 'c.claimant_name', 'c.claimant_kind', 'c.claimant_resident_id', 'c.contact_due_at', 'w.contacted_at', 'w.fulfilled_at',
      'w.fulfil_note', 'w.thanked_at', 'w.thanks_note', 'w.version', 'w.created_at',
    ]);
}

async function findWish(db: Db, id: number): Promise<WishRow | undefined> {
  return selectWishes(db).where('w.id', '=', id).executeTakeFirst();
}

interface NameRules {
  wisher(r: WishRow): boolean;
  claimant(r: WishRow): boolean;
}

/** Who sees a full name: staff who may (canSeeFullNames); a resident only their own name. */
function wishNameRules(actor: Actor): NameRules {
  if (actor.role === 'resident') {
    const me = actor.residentId;
    return { wisher: (r) => me !== null && r.wisher_resident_id === me, claimant: (r) => me !== null && r.claimant_resident_id === me };
  }
  const full = canSeeFullNames(actor);
  return { wisher: () => full, claimant: () => full };
}

async function mapWishes(db: Db, rows: WishRow[], names: NameRules): Promise<WishView[]> {
  const ids = rows.map((r) => r.id);
  const photos = ids.length ? await db.selectFrom('wish_photos').select(['id', 'wish_id']).where('wish_id', 'in', ids).orderBy('id').execute() : [];
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    channel: r.channel as WishChannel,
    wisherResidentId: r.wisher_resident_id,
    wisherName: viewName(r.wisher_name, { fullName: names.wisher(r) }),
    publicName: maskName(r.wisher_name),
    content: r.content,
    status: r.status as WishStatus,
    rejectReason: r.reject_reason,
    publishedAt: r.published_at,
    priority: r.status === 'published' ? wishPriority(r.published_at, now) : 0,
    claimId: r.claim_id,
    // A person's name is a resident's: masked like any; a team's or a unit's is not personal.
    claimantName: r.claimant_name && r.claimant_kind === 'person' ? viewName(r.claimant_name, { fullName: names.claimant(r) }) : r.claimant_name,
    contactDueAt: r.contact_due_at,
    contactOverdue: r.status === 'claimed' && !!r.contact_due_at && Date.parse(r.contact_due_at) < now,
    contactedAt: r.contacted_at,
    fulfilledAt: r.fulfilled_at,
    fulfilNote: r.fulfil_note,
    photoIds: photos.filter((p) => p.wish_id === r.id).map((p) => p.id),
    thankedAt: r.thanked_at,
    thanksNote: r.thanks_note,
    version: r.version,
    createdAt: r.created_at,
  }));
}

const byPriority = (a: WishView, b: WishView) => b.priority - a.priority || (a.publishedAt ?? a.createdAt).localeCompare(b.publishedAt ?? b.createdAt);

/** Staff: the wishes of their subtree (or a node inside it); the longest-waiting open ones first. */
export async function listWishes(ctx: AppContext, actor: Actor, q: WishListQuery): Promise<{ items: WishView[] }> {
  requirePermission(actor, 'activity.read');
  let path = actor.orgPath;
  if (q.orgId !== undefined) {
    const node = await findOrgUnit(ctx.db, q.orgId);
    requireInScope(actor, node?.path);
    path = node!.path;
  }
  let query = selectWishes(ctx.db).where('o.path', '>=', path).where('o.path', '<', `${path.slice(0, -1)}0`);
  if (q.status) query = query.where('w.status', '=', q.status);
  // Open wishes first, the longest-waiting first, so the limit never drops them.
  const rows = await query
    .orderBy((eb) => eb.case().when('w.status', '=', 'published').then(0).else(1).end())
    .orderBy('w.published_at')
    .orderBy('w.id', 'desc')
    .limit(500)
    .execute();
  return { items: (await mapWishes(ctx.db, rows, wishNameRules(actor))).sort(byPriority) };
}

async function authorizeWrite(ctx: AppContext, actor: Actor, id: number): Promise<WishRow> {
  requirePermission(actor, 'activity.write');
  const row = await findWish(ctx.db, id);
  requireInScope(actor, row?.org_path);
  return row!;
}

async function view(ctx: AppContext, actor: Actor, id: number): Promise<WishView> {
  const [v] = await mapWishes(ctx.db, [(await findWish(ctx.db, id))!], wishNameRules(actor));
  return v!;
}

/** Staff record a wish collected on a visit, from the box or a card: of a resident of their area, or by name. */
export async function createWish(ctx: AppContext, actor: Actor, body: CreateWishBody): Promise<WishView> {
  requirePermission(actor, 'activity.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (!['community', 'grid', 'micro_grid'].includes(node!.kind)) throw new AppError('VALIDATION_FAILED', { detail: '心愿应登记在社区或网格' }, { field: 'orgId' });
  let name = body.wisherName?.trim() ?? '';
  let residentId: number | null = null;
  if (body.residentId !== undefined) {
    const r = await ctx.db.selectFrom('residents as r').innerJoin('org_units as o', 'o.id', 'r.org_id').select(['r.id', 'r.name', 'o.path']).where('r.id', '=', body.residentId).executeTakeFirst();
    requireInScope(actor, r?.path);
    residentId = r!.id;
    name = r!.name;
  }
  if (!name) throw new AppError('VALIDATION_FAILED', { detail: '请选择居民或填写心愿人姓名' }, { field: 'wisherName' });
  return insertWish(ctx, actor, { orgId: node!.id, channel: body.channel, residentId, name, content: body.content.trim() });
}

/** A resident makes a wish online; the community verifies it before it is published. */
export async function createMyWish(ctx: AppContext, actor: Actor, content: string): Promise<WishView> {
  const residentId = requireResidentSelf(actor);
  const r = await ctx.db.selectFrom('residents').select(['name', 'org_id']).where('id', '=', residentId).executeTakeFirstOrThrow();
  return insertWish(ctx, actor, { orgId: r.org_id, channel: 'online', residentId, name: r.name, content: content.trim() });
}

async function insertWish(ctx: AppContext, actor: Actor, w: { orgId: number; channel: string; residentId: number | null; name: string; content: string }): Promise<WishView> {
  const now = nowIso();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('wishes')
      .values({
        org_id: w.orgId, channel: w.channel, wisher_resident_id: w.residentId, wisher_name: w.name, wisher_surname: maskName(w.name).replace(/\*/g, ''),
        content: w.content, created_by: actor.id, created_at: now, updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx.dialect, actor, { action: 'wish.create', entityType: 'wish', entityId: id, orgId: w.orgId, after: { channel: w.channel, content: w.content } });
    return id;
  });
  return view(ctx, actor, id);
}

/** A resident's own wishes and where each stands. */
export async function myWishes(ctx: AppContext, actor: Actor): Promise<{ items: WishView[] }> {
  const residentId = requireResidentSelf(actor);
  const rows = await selectWishes(ctx.db).where('w.wisher_resident_id', '=', residentId).orderBy('w.id', 'desc').execute();
  return { items: await mapWishes(ctx.db, rows, wishNameRules(actor)) };
}

async function step(
  ctx: AppContext,
  actor: Actor,
  row: WishRow,
  version: number,
  to: WishStatus,
  set: Record<string, unknown>,
  action: string,
  then?: (trx: Transaction<DB>, now: string) => Promise<void>,
): Promise<WishView> {
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'wishes', row.id, version, { status: to, ...set } as never, { now, also: { status: row.status } });
    await then?.(trx, now);
    await writeAudit(trx, ctx.dialect, actor, { action, entityType: 'wish', entityId: row.id, orgId: row.org_id, before: { status: row.status }, after: { status: to, ...set } });
  });
  return view(ctx, actor, row.id);
}

const expect = (row: WishRow, from: WishStatus, detail: string) => {
  if (row.status !== from) throw new AppError('INVALID_TRANSITION', { detail });
};

/** Verified (then published) or not accepted, with a reason. */
export async function verifyWish(ctx: AppContext, actor: Actor, id: number, body: VerifyWishBody): Promise<WishView> {
  const row = await authorizeWrite(ctx, actor, id);
  expect(row, 'collected', '只有待核实的心愿可以核实');
  if (body.approve) return step(ctx, actor, row, body.version, 'verified', {}, 'wish.verify');
  const reason = body.reason?.trim();
  if (!reason) throw new AppError('VALIDATION_FAILED', { detail: '请填写未通过的原因' }, { field: 'reason' });
  return step(ctx, actor, row, body.version, 'rejected', { reject_reason: reason }, 'wish.reject');
}

export async function publishWish(ctx: AppContext, actor: Actor, id: number, version: number): Promise<WishView> {
  const row = await authorizeWrite(ctx, actor, id);
  expect(row, 'verified', '只有已核实的心愿可以发布');
  return step(ctx, actor, row, version, 'published', { published_at: nowIso() }, 'wish.publish');
}

export async function contactWish(ctx: AppContext, actor: Actor, id: number, version: number): Promise<WishView> {
  const row = await authorizeWrite(ctx, actor, id);
  expect(row, 'claimed', '只有已认领的心愿可以登记联系');
  return step(ctx, actor, row, version, 'contacted', { contacted_at: nowIso() }, 'wish.contact');
}

/** Fulfilled, with at least one photo (the evidence) and a note. */
export async function fulfilWish(ctx: AppContext, actor: Actor, id: number, body: FulfilWishBody): Promise<WishView> {
  const row = await authorizeWrite(ctx, actor, id);
  expect(row, 'contacted', '请先登记与心愿人的联系');
  const photos = decodePhotos(body.photos);
  return step(ctx, actor, row, body.version, 'fulfilled', { fulfilled_at: nowIso(), fulfil_note: body.note.trim() }, 'wish.fulfil', async (trx, now) => {
    for (const p of photos) await trx.insertInto('wish_photos').values({ wish_id: row.id, name: p.name, mime: p.mime, size: p.data.length, data: p.data, created_at: now }).execute();
  });
}

export async function thankWish(ctx: AppContext, actor: Actor, id: number, body: ThankWishBody): Promise<WishView> {
  const row = await authorizeWrite(ctx, actor, id);
  expect(row, 'fulfilled', '只有已实现的心愿可以致谢');
  return step(ctx, actor, row, body.version, 'thanked', { thanked_at: nowIso(), thanks_note: body.note.trim() }, 'wish.thank');
}

/** A photo of a fulfilled wish: staff of its area, or the wisher. */
export async function wishPhoto(ctx: AppContext, actor: Actor, id: number, photoId: number): Promise<{ mime: string; data: Buffer }> {
  const row = await findWish(ctx.db, id);
  if (actor.role === 'resident') {
    if (!row || row.wisher_resident_id !== requireResidentSelf(actor)) throw new AppError('NOT_FOUND');
  } else {
    requirePermission(actor, 'activity.read');
    requireInScope(actor, row?.org_path);
  }
  const photo = await ctx.db.selectFrom('wish_photos').select(['mime', 'data']).where('id', '=', photoId).where('wish_id', '=', id).executeTakeFirst();
  if (!photo) throw new AppError('NOT_FOUND');
  return { mime: photo.mime, data: Buffer.from(photo.data) };
}

/** The path of the community a node lies in ('' when none). */
async function communityPath(db: Db, path: string): Promise<string> {
  return (await findAncestors(db, path)).find((o) => o.kind === 'community')?.path ?? '';
}

/**
 * Claims published wishes in one claim: staff for a person, a team or a partner unit of their area;
 * a resident for themself (wishes of their own community). Every wish must still be open: of two
 * claims racing for one wish exactly one gets it (409 for the other, nothing claimed). The claimant
 * (or, without an account, the staff member who took the claim) is told to make contact within
 * seven days.
 */
export async function claimWishes(ctx: AppContext, actor: Actor, body: ClaimWishesBody): Promise<{ items: WishView[] }> {
  const wishIds = [...new Set(body.wishIds)];
  const rows = await selectWishes(ctx.db).where('w.id', 'in', wishIds).execute();
  let claimant: { kind: string; residentId: number | null; teamId: number | null; allianceId: number | null; name: string; remind: number | null };
  let scopePath: string;
  if (actor.role === 'resident') {
    const residentId = requireResidentSelf(actor);
    scopePath = await communityPath(ctx.db, actor.orgPath);
    // What a resident may claim is what the public page shows: anything else is 404 to them.
    if (!scopePath || rows.length !== wishIds.length || rows.some((r) => !r.org_path.startsWith(scopePath) || r.status !== 'published' && r.claim_id === null)) {
      throw new AppError('NOT_FOUND');
    }
    if (rows.some((r) => r.wisher_resident_id === residentId)) throw new AppError('CONFLICT', { detail: '不能认领自己的心愿' });
    const me = await ctx.db.selectFrom('residents').select('name').where('id', '=', residentId).executeTakeFirstOrThrow();
    claimant = { kind: 'person', residentId, teamId: null, allianceId: null, name: me.name, remind: actor.id };
  } else {
    requirePermission(actor, 'activity.write');
    if (rows.length !== wishIds.length || rows.some((r) => !isInScope(actor, r.org_path))) throw new AppError('NOT_FOUND');
    claimant = await staffClaimant(ctx, actor, body);
    scopePath = actor.orgPath;
  }
  if (rows.some((r) => r.status !== 'published')) throw new AppError('CONFLICT', { detail: '所选心愿中有的已被认领或不在待认领状态' });
  const orgId = rows[0]!.org_id;
  const now = nowIso();
  const due = new Date(Date.now() + WISH_CONTACT_DAYS * DAY).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const { id: claimId } = await trx
      .insertInto('wish_claims')
      .values({
        org_id: orgId, claimant_kind: claimant.kind, claimant_resident_id: claimant.residentId, claimant_team_id: claimant.teamId,
        claimant_alliance_id: claimant.allianceId, claimant_name: claimant.name, remind_account_id: claimant.remind, contact_due_at: due,
        reminded_at: null, created_by: actor.id, created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await trx
      .updateTable('wishes')
      .set((eb) => ({ status: 'claimed', claim_id: claimId, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', 'in', wishIds)
      .where('status', '=', 'published')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== wishIds.length) throw new AppError('CONFLICT', { detail: '所选心愿中有的刚被他人认领' });
    if (claimant.remind !== null) {
      await notify(trx, [claimant.remind], {
        kind: 'wish_claimed', wishId: wishIds[0]!, title: `已认领 ${wishIds.length} 个微心愿`,
        body: `请在 ${WISH_CONTACT_DAYS} 日内(${beijingDay(due)} 前)联系心愿人`,
      }, now);
    }
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'wish.claim', entityType: 'wish_claim', entityId: claimId, orgId, after: { wishIds, claimant: claimant.name, kind: claimant.kind },
    });
  });
  const after = await selectWishes(ctx.db).where('w.id', 'in', wishIds).execute();
  return { items: await mapWishes(ctx.db, after, wishNameRules(actor)) };
}

async function staffClaimant(ctx: AppContext, actor: Actor, body: ClaimWishesBody) {
  const kind = body.claimantKind ?? 'person';
  if (kind === 'person') {
    if (body.residentId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择认领人' }, { field: 'residentId' });
    const r = await ctx.db.selectFrom('residents as r').innerJoin('org_units as o', 'o.id', 'r.org_id').select(['r.id', 'r.name', 'r.status', 'o.path']).where('r.id', '=', body.residentId).executeTakeFirst();
    requireInScope(actor, r?.path);
    if (r!.status !== 'active') throw new AppError('CONFLICT', { detail: '该居民不是在册状态' });
    const acc = await ctx.db.selectFrom('accounts').select('id').where('resident_id', '=', r!.id).where('status', '=', 'active').executeTakeFirst();
    return { kind, residentId: r!.id, teamId: null, allianceId: null, name: r!.name, remind: acc?.id ?? actor.id };
  }
  if (kind === 'team') {
    if (body.teamId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择认领的队伍' }, { field: 'teamId' });
    const t = await ctx.db.selectFrom('teams as t').innerJoin('org_units as o', 'o.id', 't.org_id').select(['t.id', 't.name', 't.status', 'o.path']).where('t.id', '=', body.teamId).executeTakeFirst();
    requireInScope(actor, t?.path);
    if (t!.status !== 'active') throw new AppError('CONFLICT', { detail: '该队伍已停用' });
    return { kind, residentId: null, teamId: t!.id, allianceId: null, name: t!.name, remind: actor.id };
  }
  if (body.allianceId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择认领的共建单位' }, { field: 'allianceId' });
  const u = await ctx.db.selectFrom('alliance_members as u').innerJoin('org_units as o', 'o.id', 'u.org_id').select(['u.id', 'u.name', 'o.path']).where('u.id', '=', body.allianceId).executeTakeFirst();
  requireInScope(actor, u?.path);
  return { kind, residentId: null, teamId: null, allianceId: u!.id, name: u!.name, remind: actor.id };
}

/**
 * Reminds whoever must make contact, once, two days before the 7-day deadline of a claim whose
 * wishes are still waiting for contact. Any instance may run it: the conditional update lets one
 * send each reminder. Returns how many were sent.
 */
export async function remindDueClaims(db: Kysely<DB>, nowMs = Date.now()): Promise<number> {
  const now = new Date(nowMs).toISOString();
  const horizon = new Date(nowMs + WISH_REMIND_BEFORE_DAYS * DAY).toISOString();
  const due = await db
    .selectFrom('wish_claims as c')
    .select(['c.id', 'c.remind_account_id', 'c.contact_due_at'])
    .where('c.reminded_at', 'is', null)
    .where('c.contact_due_at', '<=', horizon)
    .where((eb) => eb.exists(eb.selectFrom('wishes as w').select('w.id').whereRef('w.claim_id', '=', 'c.id').where('w.status', '=', 'claimed')))
    .limit(500)
    .execute();
  let sent = 0;
  for (const c of due) {
    await db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('wish_claims').set({ reminded_at: now }).where('id', '=', c.id).where('reminded_at', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1 || c.remind_account_id === null) return;
      const first = await trx.selectFrom('wishes').select('id').where('claim_id', '=', c.id).orderBy('id').limit(1).executeTakeFirst();
      await notify(trx, [c.remind_account_id], {
        kind: 'wish_contact_due', wishId: first?.id ?? null, title: '微心愿认领提醒',
        body: `请在 ${beijingDay(c.contact_due_at)} 前联系心愿人;联系后请告知社区登记`,
      }, now);
      sent++;
    });
  }
  return sent;
}

/** Published wishes anyone may see: the masked name and the wish, longest-waiting first. */
export async function publicWishes(ctx: AppContext, communityId?: number) {
  let q = selectWishes(ctx.db).where('w.status', '=', 'published');
  if (communityId !== undefined) {
    const c = await findOrgUnit(ctx.db, communityId);
    if (!c || c.kind !== 'community') return { items: [] };
    q = q.where('o.path', '>=', c.path).where('o.path', '<', `${c.path.slice(0, -1)}0`);
  }
  const rows = await q.orderBy('w.published_at').limit(200).execute();
  const paths = [...new Set(rows.map((r) => r.org_path))];
  const ids = [...new Set(paths.flatMap(pathIds))];
  const communities = ids.length ? await ctx.db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ids).where('kind', '=', 'community').execute() : [];
  const nameOf = (path: string) => communities.find((c) => path.includes(`/${c.id}/`))?.name ?? '';
  const now = Date.now();
  return {
    items: rows
      .map((r) => ({ id: r.id, publicName: maskName(r.wisher_name), content: r.content, communityName: nameOf(r.org_path), publishedAt: r.published_at!, priority: wishPriority(r.published_at, now) }))
      .sort((a, b) => b.priority - a.priority || a.publishedAt.localeCompare(b.publishedAt)),
  };
}
