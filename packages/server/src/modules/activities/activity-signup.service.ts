import type { CreateSignupBody, SignupList, SignupView } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { isInScope, requireInScope, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { isUniqueViolation } from '../residents/resident.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { mapSignup } from './activity.mapper.js';
import { authorizeActivity, authorizeActivityRead, requireResidentSelf } from './activity.policy.js';
import { findActivity, findSignup, findSignupOf, findSignups, type ActivityRow, type SignupRow } from './activity.repository.js';
import { promoteWaiting } from './activity.service.js';

/** Each waiting sign-up's 1-based place in the line. */
function waitingPositions(rows: SignupRow[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (r.status === 'waiting') out.set(r.id, out.size + 1);
  return out;
}

/**
 * Staff: the people signed up who live in their area (names masked without reveal) — everyone for
 * an activity of their own subtree; for one run above them (a street's), only their own area's
 * residents. A resident: their own sign-up only.
 */
export async function listSignups(ctx: AppContext, actor: Actor, activityId: number): Promise<SignupList> {
  const activity = authorizeActivityRead(actor, await findActivity(ctx.db, activityId));
  const rows = await findSignups(ctx.db, activity.id);
  const positions = waitingPositions(rows);
  const mine =
    actor.role === 'resident'
      ? rows.filter((r) => r.resident_id === actor.residentId)
      : isInScope(actor, activity.org_path)
        ? rows
        : rows.filter((r) => isInScope(actor, r.resident_path));
  const viewer = { fullName: actor.role === 'resident' || canSeeFullNames(actor) };
  return { items: mine.map((r) => mapSignup(r, viewer, positions.get(r.id) ?? null)) };
}

async function signupView(ctx: AppContext, actor: Actor, id: number): Promise<SignupView> {
  const row = (await findSignup(ctx.db, id))!;
  const positions = waitingPositions(await findSignups(ctx.db, row.activity_id));
  return mapSignup(row, { fullName: actor.role === 'resident' || canSeeFullNames(actor) }, positions.get(row.id) ?? null);
}

const AUDIENCE_TAG: Record<string, string | undefined> = { volunteers: 'volunteer', party_members: 'party_member' };

/**
 * Signs a resident up: a resident themself, or staff for a resident of their area without a phone
 * (by proxy). The resident must live under the node running the activity and be in its audience.
 * A free place confirms at once; otherwise the person joins the waiting list. Of two people
 * taking the last place at once exactly one gets it (a conditional update of the count).
 */
export async function signUp(ctx: AppContext, actor: Actor, activityId: number, body: CreateSignupBody): Promise<SignupView> {
  let residentId: number;
  let activity: ActivityRow;
  if (actor.role === 'resident') {
    residentId = requireResidentSelf(actor);
    if (body.residentId !== undefined && body.residentId !== residentId) throw new AppError('FORBIDDEN');
    activity = authorizeActivityRead(actor, await findActivity(ctx.db, activityId));
  } else {
    activity = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, activityId));
    if (body.residentId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择要代报名的居民' }, { field: 'residentId' });
    residentId = body.residentId;
  }
  const resident = await ctx.db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .select(['r.id', 'r.status', 'r.tags', 'o.path'])
    .where('r.id', '=', residentId)
    .executeTakeFirst();
  if (actor.role !== 'resident') requireInScope(actor, resident?.path);
  if (!resident) throw new AppError('NOT_FOUND');
  if (resident.status !== 'active') throw new AppError('CONFLICT', { detail: '该居民不是在册状态' });
  if (!resident.path.startsWith(activity.org_path)) throw new AppError('CONFLICT', { detail: '该居民不在本活动的举办范围内' });
  const tag = AUDIENCE_TAG[activity.audience];
  if (tag && !(JSON.parse(resident.tags) as string[]).includes(tag)) {
    throw new AppError('CONFLICT', { detail: tag === 'volunteer' ? '本活动仅限志愿者报名' : '本活动仅限党员报名' });
  }
  const now = nowIso();
  if (activity.status !== 'published' || activity.ends_at <= now) throw new AppError('INVALID_TRANSITION', { detail: '活动不在报名中' });
  const existing = await findSignupOf(ctx.db, activity.id, residentId);
  if (existing && existing.status !== 'withdrawn') throw new AppError('DUPLICATE', { detail: existing.status === 'waiting' ? '已在候补名单中' : '已报名' });

  let id: number;
  try {
    id = await ctx.db.transaction().execute(async (trx) => {
      // Takes a place if one is free (this update also holds the activity row until commit).
      const seat = await trx
        .updateTable('activities')
        .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', 1) }))
        .where('id', '=', activity.id)
        .where('status', '=', 'published')
        .where((eb) => eb.or([eb('capacity', 'is', null), eb('confirmed_count', '<', eb.ref('capacity'))]))
        .executeTakeFirst();
      let status = 'confirmed';
      if (Number(seat.numUpdatedRows) === 0) {
        const line = await trx
          .updateTable('activities')
          .set((eb) => ({ waiting_count: eb('waiting_count', '+', 1) }))
          .where('id', '=', activity.id)
          .where('status', '=', 'published')
          .executeTakeFirst();
        if (Number(line.numUpdatedRows) === 0) throw new AppError('INVALID_TRANSITION', { detail: '活动不在报名中' });
        status = 'waiting';
      }
      const proxy = actor.role === 'resident' ? null : actor.id;
      let signupId: number;
      if (existing) {
        // Signing up again after withdrawing: the same record, at the end of the line.
        const res = await trx
          .updateTable('activity_signups')
          .set((eb) => ({
            status, queued_at: now, proxy_account_id: proxy, updated_at: now, version: eb('version', '+', 1),
            // A fresh start: nothing from before the withdrawal counts.
            checked_in_at: null, checked_out_at: null, attendance_by: null, computed_minutes: null,
            confirmed_minutes: null, confirmed_by: null, confirmed_at: null, correction_reason: null,
          }))
          .where('id', '=', existing.id)
          .where('status', '=', 'withdrawn')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new AppError('DUPLICATE', { detail: '已报名' });
        signupId = existing.id;
      } else {
        const row = await trx
          .insertInto('activity_signups')
          .values({ activity_id: activity.id, resident_id: residentId, status, queued_at: now, proxy_account_id: proxy, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        signupId = row.id;
      }
      await writeAudit(trx, ctx.dialect, actor, {
        action: 'activity.signup', entityType: 'activity_signup', entityId: signupId, orgId: activity.org_id,
        after: { activityId: activity.id, residentId, status, byProxy: proxy !== null },
      });
      return signupId;
    });
  } catch (err) {
    // The same person signing up twice at once: the unique index lets one through.
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE', { detail: '已报名' });
    throw err;
  }
  return signupView(ctx, actor, id);
}

/**
 * Withdraws a sign-up (the resident, or staff for them). A confirmed place that frees up goes to
 * the first person waiting. Not after checking in: the attendance is a record by then.
 */
export async function withdrawSignup(ctx: AppContext, actor: Actor, activityId: number, signupId: number): Promise<SignupView> {
  const activity =
    actor.role === 'resident'
      ? authorizeActivityRead(actor, await findActivity(ctx.db, activityId))
      : authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, activityId));
  const signup = await findSignup(ctx.db, signupId);
  if (!signup || signup.activity_id !== activity.id) throw new AppError('NOT_FOUND');
  if (actor.role === 'resident' && signup.resident_id !== requireResidentSelf(actor)) throw new AppError('NOT_FOUND');
  if (signup.status === 'withdrawn') throw new AppError('INVALID_TRANSITION', { detail: '已取消报名' });
  if (signup.checked_in_at) throw new AppError('INVALID_TRANSITION', { detail: '已签到,不能取消报名' });
  if (activity.status !== 'published') throw new AppError('INVALID_TRANSITION', { detail: '活动不在报名中' });
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    // Hold the activity row first, so that two withdrawals promote two different people.
    await trx.updateTable('activities').set((eb) => ({ version: eb.ref('version') })).where('id', '=', activity.id).execute();
    const res = await trx
      .updateTable('activity_signups')
      .set((eb) => ({ status: 'withdrawn', updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', signup.id)
      .where('status', '=', signup.status)
      .where('checked_in_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT');
    await trx
      .updateTable('activities')
      .set((eb) =>
        signup.status === 'confirmed' ? { confirmed_count: eb('confirmed_count', '-', 1) } : { waiting_count: eb('waiting_count', '-', 1) },
      )
      .where('id', '=', activity.id)
      .execute();
    if (signup.status === 'confirmed') await promoteWaiting(trx, (await findActivity(trx, activity.id))!, 1, now);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'activity.withdraw', entityType: 'activity_signup', entityId: signup.id, orgId: activity.org_id,
      before: { status: signup.status }, after: { status: 'withdrawn' },
    });
  });
  return signupView(ctx, actor, signup.id);
}

/** For the resident pages: the caller's own sign-up of an activity, if any. */
export async function requireOwnSignup(ctx: AppContext, actor: Actor, activity: ActivityRow): Promise<SignupRow> {
  const residentId = requireResidentSelf(actor);
  const row = await findSignupOf(ctx.db, activity.id, residentId);
  if (!row || row.status === 'withdrawn') throw new AppError('CONFLICT', { detail: '您未报名此活动' });
  if (row.status === 'waiting') throw new AppError('CONFLICT', { detail: '您还在候补名单中,尚未获得名额' });
  return row;
}
