import { starLevel, type CertificateView, type StarLevels, type VolunteerProfile } from '@haitang/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB, VolunteerCertificatesTable } from '../../db/schema.js';
import { requireCitySettings, requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { viewName } from '../../lib/names.js';
import { requireResidentSelf } from '../activities/activity.policy.js';
import { findAncestors } from '../org/org.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { renderCertificate } from './certificate.pdf.js';
import { walletBalance } from './points.ledger.js';

/** Star thresholds (settings, as data), lowest first. */
export async function starLevels(db: Kysely<DB>): Promise<StarLevels> {
  const rows = await db.selectFrom('volunteer_star_levels').select(['level', 'min_hours']).orderBy('level').execute();
  return { levels: rows.map((r) => ({ level: r.level, minHours: r.min_hours })) };
}

/** Changes the thresholds (city-wide): five levels, each above the one before. */
export async function setStarLevels(ctx: AppContext, actor: Actor, body: StarLevels): Promise<StarLevels> {
  await requireCitySettings(ctx.db, actor);
  const levels = [...body.levels].sort((a, b) => a.level - b.level);
  if (levels.some((l, i) => l.level !== i + 1)) throw new AppError('VALIDATION_FAILED', { detail: '星级应为 1 至 5 星' });
  if (levels.some((l, i) => i > 0 && l.minHours <= levels[i - 1]!.minHours)) throw new AppError('VALIDATION_FAILED', { detail: '每一星级的时长应高于前一级' });
  const before = await starLevels(ctx.db);
  await ctx.db.transaction().execute(async (trx) => {
    for (const l of levels) await trx.updateTable('volunteer_star_levels').set({ min_hours: l.minHours }).where('level', '=', l.level).execute();
    await writeAudit(trx, ctx.dialect, actor, { action: 'settings.volunteer_stars', entityType: 'settings', entityId: 'volunteer_stars', before, after: { levels } });
  });
  return starLevels(ctx.db);
}

/** Certified service of a resident: one row per sign-up the organiser confirmed (cancelled activities excluded). */
async function certifiedRecords(db: Kysely<DB>, residentId: number) {
  return db
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .innerJoin('org_units as o', 'o.id', 'a.org_id')
    .select(['s.id as signup_id', 'a.id as activity_id', 'a.title', 'a.kind', 'a.organiser', 'o.name as org_name', 'a.starts_at', 's.confirmed_minutes', 's.confirmed_at'])
    .where('s.resident_id', '=', residentId)
    .where('s.confirmed_at', 'is not', null)
    .where('s.confirmed_minutes', '>', 0)
    .where('a.status', '<>', 'cancelled')
    .orderBy('a.starts_at', 'desc')
    .execute();
}

function mapCertificate(c: Selectable<VolunteerCertificatesTable>, fullName: boolean): CertificateView {
  return {
    id: c.id, number: c.number, residentId: c.resident_id, residentName: viewName(c.resident_name, { fullName }), issuerName: c.issuer_name,
    totalMinutes: c.total_minutes, services: c.services, firstServiceAt: c.first_service_at, lastServiceAt: c.last_service_at, issuedAt: c.issued_at,
  };
}

/** The resident and their org path, for the scope check. */
async function residentFor(db: Kysely<DB>, residentId: number) {
  return db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .select(['r.id', 'r.name', 'r.id_number_masked', 'r.org_id', 'o.name as org_name', 'o.path'])
    .where('r.id', '=', residentId)
    .executeTakeFirst();
}

async function buildProfile(ctx: AppContext, residentId: number, fullName: boolean): Promise<VolunteerProfile> {
  const resident = (await residentFor(ctx.db, residentId))!;
  const [records, levels, certs, points] = await Promise.all([
    certifiedRecords(ctx.db, residentId),
    starLevels(ctx.db),
    ctx.db.selectFrom('volunteer_certificates').selectAll().where('resident_id', '=', residentId).orderBy('id', 'desc').execute(),
    walletBalance(ctx.db, residentId),
  ]);
  const totalMinutes = records.reduce((s, r) => s + Number(r.confirmed_minutes), 0);
  const totalHours = Math.round((totalMinutes / 60) * 10) / 10;
  const star = starLevel(totalMinutes / 60, levels.levels);
  const next = levels.levels.find((l) => l.level === star + 1);
  return {
    residentId, name: viewName(resident.name, { fullName }), orgName: resident.org_name, totalMinutes, totalHours, services: records.length, star,
    nextStar: next ? { level: next.level, minHours: next.minHours, hoursToGo: Math.max(0, Math.round((next.minHours - totalMinutes / 60) * 10) / 10) } : null,
    points,
    records: records.map((r) => ({
      signupId: r.signup_id, activityId: r.activity_id, title: r.title, kind: r.kind, organiser: r.organiser ?? r.org_name,
      startsAt: r.starts_at, minutes: Number(r.confirmed_minutes), confirmedAt: r.confirmed_at!,
    })),
    certificates: certs.map((c) => mapCertificate(c, fullName)),
  };
}

/** Staff: a resident of their area (activity.read). */
export async function getVolunteer(ctx: AppContext, actor: Actor, residentId: number): Promise<VolunteerProfile> {
  requirePermission(actor, 'activity.read');
  requireInScope(actor, (await residentFor(ctx.db, residentId))?.path);
  return buildProfile(ctx, residentId, canSeeFullNames(actor));
}

/** A resident: their own record. */
export async function myVolunteerProfile(ctx: AppContext, actor: Actor): Promise<VolunteerProfile> {
  return buildProfile(ctx, requireResidentSelf(actor), true);
}

/**
 * Issues a numbered certificate of everything certified so far (谁记录谁证明: staff of the area
 * that recorded it; the issuer is the resident's community). Numbers run per year: HTZY-2026-000001.
 */
export async function issueCertificate(ctx: AppContext, actor: Actor, residentId: number): Promise<CertificateView> {
  requirePermission(actor, 'activity.write');
  const resident = await residentFor(ctx.db, residentId);
  requireInScope(actor, resident?.path);
  const records = await certifiedRecords(ctx.db, residentId);
  if (!records.length) throw new AppError('CONFLICT', { detail: '该居民还没有经确认的服务时长' });
  // The nearest community (else street) above the resident issues it.
  const issuer = (await findAncestors(ctx.db, resident!.path)).filter((o) => o.kind === 'community' || o.kind === 'street').pop();
  const issuerId = issuer?.id ?? actor.orgId;
  const issuerName = issuer ? (issuer.kind === 'community' ? `${issuer.name}居民委员会` : issuer.name) : actor.displayName;
  const now = nowIso();
  const year = new Date(Date.parse(now) + 8 * 3600_000).getUTCFullYear();
  const prefix = `HTZY-${year}-`;
  const starts = records.map((r) => r.starts_at).sort();
  const cert = await ctx.db.transaction().execute(async (trx) => {
    // The next number of the year; the unique index turns a race into a retry.
    for (let attempt = 0; ; attempt++) {
      const last = await trx.selectFrom('volunteer_certificates').select('number').where('number', 'like', `${prefix}%`).orderBy('number', 'desc').limit(1).executeTakeFirst();
      const number = `${prefix}${String(Number(last?.number.slice(prefix.length) ?? 0) + 1).padStart(6, '0')}`;
      const inserted = await trx
        .insertInto('volunteer_certificates')
        .values({
          number, resident_id: residentId, org_id: issuerId, issuer_name: issuerName, resident_name: resident!.name,
          id_number_masked: resident!.id_number_masked, total_minutes: records.reduce((s, r) => s + Number(r.confirmed_minutes), 0),
          services: records.length, first_service_at: starts[0] ?? null, last_service_at: starts[starts.length - 1] ?? null,
          issued_by: actor.id, issued_at: now, records: JSON.stringify(recordLines(records)),
        })
        .onConflict((oc) => oc.column('number').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await writeAudit(trx, ctx.dialect, actor, {
          action: 'volunteer.certificate', entityType: 'volunteer_certificate', entityId: inserted.id, orgId: issuerId,
          after: { number, residentId, totalMinutes: inserted.total_minutes, services: inserted.services },
        });
        return inserted;
      }
      if (attempt > 5) throw new AppError('CONFLICT', { detail: '证明编号冲突,请重试' });
    }
  });
  return mapCertificate(cert, canSeeFullNames(actor));
}

/** The service lines a certificate prints, frozen when it is issued. */
function recordLines(records: Awaited<ReturnType<typeof certifiedRecords>>) {
  return records.map((r) => ({ date: new Date(Date.parse(r.starts_at) + 8 * 3600_000).toISOString().slice(0, 10), title: r.title, minutes: Number(r.confirmed_minutes) }));
}

/**
 * The certificate as a PDF: for the volunteer, or staff who issue certificates in the resident's
 * area (activity.write: it carries the full name, as an official paper does). Printed as issued.
 */
export async function certificatePdf(ctx: AppContext, actor: Actor, id: number): Promise<{ number: string; pdf: Buffer }> {
  const cert = await ctx.db.selectFrom('volunteer_certificates').selectAll().where('id', '=', id).executeTakeFirst();
  if (actor.role === 'resident') {
    if (!cert || cert.resident_id !== requireResidentSelf(actor)) throw new AppError('NOT_FOUND');
  } else {
    requirePermission(actor, 'activity.write');
    requireInScope(actor, cert ? (await residentFor(ctx.db, cert.resident_id))?.path : undefined);
  }
  const records = JSON.parse(cert!.records) as { date: string; title: string; minutes: number }[];
  const pdf = await renderCertificate({
    number: cert!.number, residentName: cert!.resident_name, idNumberMasked: cert!.id_number_masked, totalMinutes: cert!.total_minutes,
    services: cert!.services, firstServiceAt: cert!.first_service_at, lastServiceAt: cert!.last_service_at, issuerName: cert!.issuer_name,
    issuedAt: cert!.issued_at, records,
  });
  return { number: cert!.number, pdf };
}
