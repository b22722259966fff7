import { serviceMinutes, type CheckInCode, type ConfirmServiceBody, type MarkAttendanceBody, type SignupView } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { updateVersioned } from '../../db/versioned.js';
import type { Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { mapActivity, mapSignup } from './activity.mapper.js';
import { authorizeActivity, authorizeActivityRead } from './activity.policy.js';
import { findActivity, findSignup, type ActivityRow, type SignupRow } from './activity.repository.js';
import { requireOwnSignup } from './activity-signup.service.js';
import { awardServicePoints } from '../volunteers/points.service.js';
import type { CheckInCodes, Direction } from './checkin-code.js';

/** Check-in opens an hour before the start and closes an hour after the end. */
const DOOR_MS = 3600_000;

function requireDoorOpen(a: ActivityRow, nowMs: number): void {
  if (a.status !== 'published') throw new AppError('INVALID_TRANSITION', { detail: '活动不在进行中' });
  if (nowMs < Date.parse(a.starts_at) - DOOR_MS) throw new AppError('INVALID_TRANSITION', { detail: '活动开始前 1 小时起才能签到' });
  if (nowMs > Date.parse(a.ends_at) + DOOR_MS) throw new AppError('INVALID_TRANSITION', { detail: '活动已结束超过 1 小时,请联系组织者补录' });
}

const minutesOf = (a: ActivityRow, inAt: string, outAt: string) =>
  serviceMinutes({ startsAt: a.starts_at, endsAt: a.ends_at, rules: mapActivity(a).rules }, inAt, outAt);

/** The code for the organiser's screen (it changes every 30 seconds). */
export async function checkInCode(ctx: AppContext, codes: CheckInCodes, actor: Actor, activityId: number, direction: Direction): Promise<CheckInCode> {
  const a = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, activityId));
  const now = Date.now();
  requireDoorOpen(a, now);
  const code = codes.issue(a.id, direction, now);
  return { direction, ...code, url: `/m/activities/${a.id}/scan?d=${direction}&t=${encodeURIComponent(code.token)}` };
}

/**
 * A resident scans the organiser's code. Checking in twice (or out twice) changes nothing and
 * answers the record as it is: a double scan never counts twice. Checking out computes the minutes.
 */
export async function scan(ctx: AppContext, codes: CheckInCodes, actor: Actor, activityId: number, direction: Direction, token: string): Promise<SignupView> {
  const a = authorizeActivityRead(actor, await findActivity(ctx.db, activityId));
  const nowMs = Date.now();
  if (!codes.verify(a.id, direction, token, nowMs)) throw new AppError('QR_EXPIRED');
  requireDoorOpen(a, nowMs);
  const signup = await requireOwnSignup(ctx, actor, a);
  const now = new Date(nowMs).toISOString();
  if (direction === 'in') {
    if (!signup.checked_in_at) {
      await ctx.db
        .updateTable('activity_signups')
        .set((eb) => ({ checked_in_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', signup.id)
        .where('status', '=', 'confirmed')
        .where('checked_in_at', 'is', null)
        .execute();
    }
  } else {
    if (!signup.checked_in_at) throw new AppError('INVALID_TRANSITION', { detail: '请先签到' });
    if (!signup.checked_out_at) {
      await ctx.db
        .updateTable('activity_signups')
        .set((eb) => ({
          checked_out_at: now,
          computed_minutes: minutesOf(a, signup.checked_in_at!, now),
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', signup.id)
        .where('status', '=', 'confirmed')
        .where('checked_out_at', 'is', null)
        .execute();
    }
  }
  return mapSignup((await findSignup(ctx.db, signup.id))!, { fullName: true });
}

async function requireSignup(ctx: AppContext, a: ActivityRow, signupId: number): Promise<SignupRow> {
  const s = await findSignup(ctx.db, signupId);
  if (!s || s.activity_id !== a.id) throw new AppError('NOT_FOUND');
  if (s.status !== 'confirmed') throw new AppError('INVALID_TRANSITION', { detail: '只有正式报名的人员可以记录考勤' });
  return s;
}

/** The organiser records attendance by hand (no phone, or a forgotten scan); audited. */
export async function markAttendance(ctx: AppContext, actor: Actor, activityId: number, signupId: number, body: MarkAttendanceBody): Promise<SignupView> {
  const a = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, activityId));
  if (a.status !== 'published' && a.status !== 'finished') throw new AppError('INVALID_TRANSITION', { detail: '活动不在进行中' });
  const s = await requireSignup(ctx, a, signupId);
  if (s.confirmed_at) throw new AppError('INVALID_TRANSITION', { detail: '服务时长已确认;如需更正请修改确认的时长并说明原因' });
  const inAt = new Date(body.checkedInAt).toISOString();
  const outAt = body.checkedOutAt ? new Date(body.checkedOutAt).toISOString() : null;
  if (outAt && outAt <= inAt) throw new AppError('VALIDATION_FAILED', { detail: '签退时间应晚于签到时间' }, { field: 'checkedOutAt' });
  const now = nowIso();
  if (inAt > now || (outAt && outAt > now)) throw new AppError('VALIDATION_FAILED', { detail: '不能记录未来的时间' });
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'activity_signups',
      s.id,
      body.version,
      { checked_in_at: inAt, checked_out_at: outAt, computed_minutes: outAt ? minutesOf(a, inAt, outAt) : null, attendance_by: actor.id },
      { now },
    );
    const after = (await findSignup(trx, s.id))!;
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'activity.attendance', entityType: 'activity_signup', entityId: s.id, orgId: a.org_id,
      before: { checkedInAt: s.checked_in_at, checkedOutAt: s.checked_out_at }, after: { checkedInAt: inAt, checkedOutAt: outAt },
    });
    return mapSignup(after, { fullName: canSeeFullNames(actor) });
  });
}

/**
 * The organiser certifies the minutes served (谁组织谁记录,谁记录谁证明). Without a number the
 * computed minutes are certified; another number, or any change after certifying, needs a reason.
 * Every certification and correction is in the audit log with before and after.
 */
export async function confirmService(ctx: AppContext, actor: Actor, activityId: number, signupId: number, body: ConfirmServiceBody): Promise<SignupView> {
  const a = authorizeActivity(actor, 'activity.write', await findActivity(ctx.db, activityId));
  if (a.status !== 'published' && a.status !== 'finished') throw new AppError('INVALID_TRANSITION', { detail: '活动已取消' });
  const s = await requireSignup(ctx, a, signupId);
  if (s.computed_minutes === null) throw new AppError('INVALID_TRANSITION', { detail: '尚未签退,无法确认时长' });
  const minutes = body.minutes ?? s.computed_minutes;
  const reason = body.reason?.trim() || null;
  if ((minutes !== s.computed_minutes || s.confirmed_at) && !reason) {
    throw new AppError('VALIDATION_FAILED', { detail: '修改时长须说明原因' }, { field: 'reason' });
  }
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    // Hold the activity row, still running or closed (not cancelled meanwhile): a cancellation
    // and a certification never both go through.
    const held = await trx
      .updateTable('activities')
      .set((eb) => ({ version: eb.ref('version') }))
      .where('id', '=', a.id)
      .where('status', 'in', ['published', 'finished'])
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', { detail: '活动已取消' });
    await updateVersioned(
      trx,
      'activity_signups',
      s.id,
      body.version,
      { confirmed_minutes: minutes, confirmed_by: actor.id, confirmed_at: now, correction_reason: reason },
      { now },
    );
    const points = await awardServicePoints(trx, {
      signupId: s.id, residentId: s.resident_id, activityOrgId: a.org_id, activityKind: a.kind, title: a.title, minutes, actorId: actor.id, at: now,
    });
    const after = (await findSignup(trx, s.id))!;
    await writeAudit(trx, ctx.dialect, actor, {
      action: s.confirmed_at ? 'activity.service.correct' : 'activity.service.confirm',
      entityType: 'activity_signup',
      entityId: s.id,
      orgId: a.org_id,
      before: { confirmedMinutes: s.confirmed_minutes, computedMinutes: s.computed_minutes },
      after: { confirmedMinutes: minutes, reason, points },
    });
    return mapSignup(after, { fullName: canSeeFullNames(actor) });
  });
}
