import {
  DEFAULT_SERVICE_RULES,
  MAX_PHOTOS,
  type ActivityList,
  type ActivityListQuery,
  type ActivityView,
  type CancelActivityBody,
  type CreateActivityBody,
  type PublicActivityView,
  type FinishActivityBody,
  type UpdateActivityBody,
  type VersionBody,
} from '@haitang/contracts';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { notify } from '../notifications/notification.service.js';
import { findOrgUnit, pathIds } from '../org/org.repository.js';
import { findTeam } from '../teams/team.repository.js';
import { decodePhotos, type DecodedPhoto } from '../workorders/order.photos.js';
import { mapActivity } from './activity.mapper.js';
import { authorizeActivity, authorizeActivityRead } from './activity.policy.js';
import { findActivities, findActivity, findFirstWaiting, findResidentAccounts, type ActivityRow } from './activity.repository.js';

/**
 * Staff: activities run in their subtree, and the published ones run above them. A resident: the
 * published ones run by a node on the way to their home (see authorizeActivityRead).
 */
export async function listActivities(ctx: AppContext, actor: Actor, q: ActivityListQuery): Promise<ActivityList> {
  if (actor.role !== 'resident') requirePermission(actor, 'activity.read');
  const above = pathIds(actor.orgPath).slice(0, -1);
  const scope = actor.role === 'resident' ? { above: pathIds(actor.orgPath) } : { within: actor.orgPath, above };
  const { rows, total } = await findActivities(ctx.db, scope, q, nowIso());
  return { items: rows.map(mapActivity), total };
}

/** The share page's view of an activity, for anyone: published (or over) ones only, no names. */
export async function publicActivity(ctx: AppContext, id: number): Promise<PublicActivityView> {
  const row = await findActivity(ctx.db, id);
  if (!row || row.status === 'draft') throw new AppError('NOT_FOUND');
  const a = mapActivity(row);
  return {
    id: a.id, title: a.title, kind: a.kind, orgName: a.orgName, organiser: a.teamName ?? a.organiser, place: a.place, startsAt: a.startsAt,
    endsAt: a.endsAt, capacity: a.capacity, confirmedCount: a.confirmedCount, waitingCount: a.waitingCount, audience: a.audience,
    status: a.status, description: a.description, imageIds: a.imageIds,
  };
}

export async function getActivity(ctx: AppContext, actor: Actor, id: number): Promise<ActivityView> {
  return mapActivity(authorizeActivityRead(actor, await findActivity(ctx.db, id)));
}

/** The times of an activity: valid instants, the end after the start. Stored as UTC ISO strings. */
function times(startsAt: string, endsAt: string): { starts_at: string; ends_at: string } {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt);
  if (Number.isNaN(s) || Number.isNaN(e)) throw new AppError('VALIDATION_FAILED', { detail: '时间格式不正确' });
  if (e <= s) throw new AppError('VALIDATION_FAILED', { detail: '结束时间应晚于开始时间' }, { field: 'endsAt' });
  if (e - s > 7 * 24 * 3600_000) throw new AppError('VALIDATION_FAILED', { detail: '一次活动不超过 7 天' }, { field: 'endsAt' });
  return { starts_at: new Date(s).toISOString(), ends_at: new Date(e).toISOString() };
}

/** The organising team: in the actor's scope (404 otherwise) and active. */
export async function requireTeam(ctx: AppContext, actor: Actor, teamId: number | null | undefined): Promise<number | null> {
  if (teamId === null || teamId === undefined) return null;
  const team = await findTeam(ctx.db, teamId);
  requireInScope(actor, team?.org_path);
  if (team!.status !== 'active') throw new AppError('CONFLICT', { detail: '该队伍已停用' });
  return team!.id;
}

/** Adds and removes pictures of an activity and keeps its list of image ids in step (at most six). */
async function changeImages(trx: Transaction<DB>, activityId: number, add: DecodedPhoto[], remove: number[], now: string): Promise<void> {
  if (remove.length) await trx.deleteFrom('activity_images').where('activity_id', '=', activityId).where('id', 'in', remove).execute();
  for (const p of add) {
    await trx.insertInto('activity_images').values({ activity_id: activityId, name: p.name, mime: p.mime, size: p.data.length, data: p.data, created_at: now }).execute();
  }
  const ids = (await trx.selectFrom('activity_images').select('id').where('activity_id', '=', activityId).orderBy('id').execute()).map((r) => r.id);
  if (ids.length > MAX_PHOTOS) throw new AppError('VALIDATION_FAILED', { detail: `一个活动最多 ${MAX_PHOTOS} 张图片` }, { field: 'images' });
  await trx.updateTable('activities').set({ image_ids: JSON.stringify(ids) }).where('id', '=', activityId).execute();
}

/** A picture of an activity: for whoever may read the activity, and for anyone once it is published. */
export async function activityImage(ctx: AppContext, actor: Actor | null, activityId: number, imageId: number): Promise<{ mime: string; data: Buffer }> {
  const row = await findActivity(ctx.db, activityId);
  if (actor) authorizeActivityRead(actor, row);
  else if (!row || row.status === 'draft') throw new AppError('NOT_FOUND');
  const img = await ctx.db.selectFrom('activity_images').select(['mime', 'data']).where('id', '=', imageId).where('activity_id', '=', activityId).executeTakeFirst();
  if (!img) throw new AppError('NOT_FOUND');
  return { mime: img.mime, data: Buffer.from(img.data) };
}

/** Whether a sign-up of the activity has the column set (someone checked in, minutes certified). */
async function anyoneWhere(ctx: AppContext, activityId: number, column: 'checked_in_at' | 'confirmed_at'): Promise<boolean> {
  const row = await ctx.db.selectFrom('activity_signups').select('id').where('activity_id', '=', activityId).where(column, 'is not', null).limit(1).executeTakeFirst();
  return !!row;
}

/** The class series a session belongs to: in the actor's scope (404 otherwise). */
async function requireSeries(ctx: AppContext, actor: Actor, seriesId: number | null | undefined, activityOrgPath: string): Promise<number | null> {
  if (seriesId === null || seriesId === undefined) return null;
  const series = await ctx.db
    .selectFrom('class_series as cs')
    .innerJoin('org_units as o', 'o.id', 'cs.org_id')
    .select(['cs.id', 'o.path'])
    .where('cs.id', '=', seriesId)
    .executeTakeFirst();
  requireInScope(actor, series?.path);
  // A session is run inside the series' area (its attendance shows the series' staff every name).
  if (!activityOrgPath.startsWith(series!.path)) throw new AppError('VALIDATION_FAILED', { detail: '课程的课次应由该课程所在的组织或其下级举办' }, { field: 'seriesId' });
  return series!.id;
}

/** Creates a draft activity on a node of the actor's subtree (a street, community or grid). */
export async function createActivity(ctx: AppContext, actor: Actor, body: CreateActivityBody): Promise<ActivityView> {
  requirePermission(actor, 'activity.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (node!.kind === 'department') throw new AppError('VALIDATION_FAILED', { detail: '活动应由街道、社区或网格举办' }, { field: 'orgId' });
  if (node!.status !== 'active') throw new AppError('CONFLICT', { detail: '该组织已停用' });
  const teamId = await requireTeam(ctx, actor, body.teamId);
  const seriesId = await requireSeries(ctx, actor, body.seriesId, node!.path);
  const images = decodePhotos(body.images);
  const rules = body.rules ?? DEFAULT_SERVICE_RULES;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('activities')
      .values({
        org_id: node!.id,
        team_id: teamId,
        organiser: body.organiser?.trim() || null,
        kind: body.kind,
        title: body.title.trim(),
        description: body.description?.trim() || null,
        place: body.place.trim(),
        ...times(body.startsAt, body.endsAt),
        capacity: body.capacity ?? null,
        audience: body.audience ?? 'all',
        min_share_percent: rules.minSharePercent,
        cap_minutes: rules.capMinutes,
        series_id: seriesId,
        materials: JSON.stringify(body.materials ?? []),
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await changeImages(trx, id, images, [], now);
    const view = mapActivity((await findActivity(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, { action: 'activity.create', entityType: 'activity', entityId: id, orgId: view.orgId, after: view });
    return view;
  });
}

const EDITABLE = new Set(['draft', 'published']);

/**
 * Changes an activity that is not over. A larger capacity promotes people from the waiting list;
 * a capacity below the people already confirmed is refused. When a published activity's time,
 * place or title changes, everyone signed up (and waiting) is notified.
 */
export async function updateActivity(ctx: AppContext, actor: Actor, id: number, body: UpdateActivityBody): Promise<ActivityView> {
  const row = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, id));
  if (!EDITABLE.has(row.status)) throw new AppError('INVALID_TRANSITION', { detail: '活动已取消或已结束,不能再修改' });
  const newTimes = body.startsAt !== undefined || body.endsAt !== undefined ? times(body.startsAt ?? row.starts_at, body.endsAt ?? row.ends_at) : null;
  const clock =
    (newTimes && (newTimes.starts_at !== row.starts_at || newTimes.ends_at !== row.ends_at)) ||
    (body.rules !== undefined && (body.rules.minSharePercent !== row.min_share_percent || body.rules.capMinutes !== row.cap_minutes)) ||
    (body.kind !== undefined && body.kind !== row.kind);
  if (clock && (await anyoneWhere(ctx, id, 'checked_in_at'))) {
    throw new AppError('CONFLICT', { detail: '已有人签到,不能再修改时间、类型和计时规则' });
  }
  const teamId = body.teamId === undefined ? row.team_id : await requireTeam(ctx, actor, body.teamId);
  const seriesId = body.seriesId === undefined ? row.series_id : await requireSeries(ctx, actor, body.seriesId, row.org_path);
  const set = {
    team_id: teamId,
    series_id: seriesId,
    ...(body.materials !== undefined && { materials: JSON.stringify(body.materials) }),
    ...(body.kind !== undefined && { kind: body.kind }),
    ...(body.title !== undefined && { title: body.title.trim() }),
    ...(body.description !== undefined && { description: body.description?.trim() || null }),
    ...(body.place !== undefined && { place: body.place.trim() }),
    ...(newTimes ?? {}),
    ...(body.capacity !== undefined && { capacity: body.capacity }),
    ...(body.audience !== undefined && { audience: body.audience }),
    ...(body.organiser !== undefined && { organiser: body.organiser?.trim() || null }),
    ...(body.rules !== undefined && { min_share_percent: body.rules.minSharePercent, cap_minutes: body.rules.capMinutes }),
  };
  const images = decodePhotos(body.images);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'activities', id, body.version, set, { now });
    if (images.length || body.removeImageIds?.length) await changeImages(trx, id, images, body.removeImageIds ?? [], now);
    const after = (await findActivity(trx, id))!;
    if (after.capacity !== null && after.capacity < after.confirmed_count) {
      throw new AppError('CONFLICT', { detail: `已有 ${after.confirmed_count} 人报名,名额不能少于此数` }, { field: 'capacity' });
    }
    const free = after.capacity === null ? after.waiting_count : after.capacity - after.confirmed_count;
    if (free > 0 && after.waiting_count > 0) await promoteWaiting(trx, after, free, now);
    const changed = (['title', 'place', 'starts_at', 'ends_at'] as const).filter((k) => after[k] !== row[k]);
    if (row.status === 'published' && changed.length) {
      await notifySignedUp(trx, after, { kind: 'activity_changed', title: `活动有变更:${after.title}`, body: changeSummary(after) }, now);
    }
    const final = mapActivity((await findActivity(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'activity.update', entityType: 'activity', entityId: id, orgId: final.orgId, before: mapActivity(row), after: final,
    });
    return final;
  });
}

/** "时间:12月4日 14:00–16:00;地点:竹辉新村活动室" in China time. */
function changeSummary(a: ActivityRow): string {
  return `时间:${chinaTime(a.starts_at)}–${chinaTime(a.ends_at).slice(-5)};地点:${a.place}`;
}

export function chinaTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Everyone confirmed or waiting gets the notification (those with an account). */
async function notifySignedUp(trx: Transaction<DB>, a: ActivityRow, n: { kind: string; title: string; body: string }, now: string) {
  const people = await trx
    .selectFrom('activity_signups')
    .select('resident_id')
    .where('activity_id', '=', a.id)
    .where('status', 'in', ['confirmed', 'waiting'])
    .execute();
  const accounts = await findResidentAccounts(trx, people.map((p) => p.resident_id));
  await notify(trx, accounts, { ...n, activityId: a.id }, now);
}

/**
 * Gives up to `seats` free places to the first people waiting, in line order, and tells them.
 * The caller holds the activity row (its counts were just updated in this transaction).
 */
export async function promoteWaiting(trx: Transaction<DB>, a: ActivityRow, seats: number, now: string): Promise<number> {
  const next = await findFirstWaiting(trx, a.id, seats);
  if (!next.length) return 0;
  const ids = next.map((s) => s.id);
  const res = await trx
    .updateTable('activity_signups')
    .set((eb) => ({ status: 'confirmed', updated_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  const moved = Number(res.numUpdatedRows);
  await trx
    .updateTable('activities')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', moved), waiting_count: eb('waiting_count', '-', moved) }))
    .where('id', '=', a.id)
    .execute();
  const accounts = await findResidentAccounts(trx, next.map((s) => s.resident_id));
  await notify(trx, accounts, { kind: 'signup_promoted', title: `候补成功:${a.title}`, body: `您已从候补转为正式报名。${changeSummary(a)}`, activityId: a.id }, now);
  return moved;
}

/** Opens sign-up: a draft whose end has not passed becomes published. */
export async function publishActivity(ctx: AppContext, actor: Actor, id: number, body: VersionBody): Promise<ActivityView> {
  const row = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, id));
  if (row.status !== 'draft') throw new AppError('INVALID_TRANSITION', { detail: '只有草稿可以发布' });
  const now = nowIso();
  if (row.ends_at <= now) throw new AppError('INVALID_TRANSITION', { detail: '活动时间已过,不能发布' });
  return changeStatus(ctx, actor, row, body.version, { status: 'published' }, 'activity.publish', now);
}

/** Cancels an activity that has not ended, with a reason everyone signed up is told. */
export async function cancelActivity(ctx: AppContext, actor: Actor, id: number, body: CancelActivityBody): Promise<ActivityView> {
  const row = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, id));
  if (!EDITABLE.has(row.status)) throw new AppError('INVALID_TRANSITION', { detail: '活动已取消或已结束' });
  const reason = body.reason.trim();
  if (!reason) throw new AppError('VALIDATION_FAILED', { detail: '请填写取消原因' }, { field: 'reason' });
  const now = nowIso();
  return changeStatus(ctx, actor, row, body.version, { status: 'cancelled', cancel_reason: reason }, 'activity.cancel', now, async (trx, after) => {
    // Checked with the activity row held: a certification waits for it (see confirmService).
    const certified = await trx.selectFrom('activity_signups').select('id').where('activity_id', '=', id).where('confirmed_at', 'is not', null).limit(1).executeTakeFirst();
    if (certified) throw new AppError('CONFLICT', { detail: '已有确认的服务时长,活动不能取消;如有误请更正时长' });
    if (row.status === 'published') {
      await notifySignedUp(trx, after, { kind: 'activity_cancelled', title: `活动已取消:${after.title}`, body: `取消原因:${reason}` }, now);
    }
  });
}

/**
 * Closes a published activity once it has started; sign-up and check-in end with it. The organiser
 * may say how many people it served (服务人次), which the figures count.
 */
export async function finishActivity(ctx: AppContext, actor: Actor, id: number, body: FinishActivityBody): Promise<ActivityView> {
  const row = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, id));
  if (row.status !== 'published') throw new AppError('INVALID_TRANSITION', { detail: '只有进行中的活动可以结束' });
  const now = nowIso();
  if (row.starts_at > now) throw new AppError('INVALID_TRANSITION', { detail: '活动尚未开始,不能结束;如不再举办请取消' });
  return changeStatus(ctx, actor, row, body.version, { status: 'finished', served_count: body.servedCount ?? null }, 'activity.finish', now);
}

async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  row: ActivityRow,
  version: number,
  set: { status: string; cancel_reason?: string; served_count?: number | null },
  action: string,
  now: string,
  then?: (trx: Transaction<DB>, after: ActivityRow) => Promise<void>,
): Promise<ActivityView> {
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'activities', row.id, version, set, { now, also: { status: row.status } });
    const after = (await findActivity(trx, row.id))!;
    await then?.(trx, after);
    const view = mapActivity(after);
    await writeAudit(trx, ctx.dialect, actor, { action, entityType: 'activity', entityId: row.id, orgId: row.org_id, before: mapActivity(row), after: view });
    return view;
  });
}
