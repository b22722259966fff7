import type { ClassSeriesView, CreateClassSeriesBody, SeriesAttendance } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { viewName } from '../../lib/names.js';
import { findOrgUnit } from '../org/org.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { mapActivity } from './activity.mapper.js';
import { findActivitiesByIds } from './activity.repository.js';
import { requireTeam } from './activity.service.js';

function selectSeries(ctx: AppContext) {
  return ctx.db
    .selectFrom('class_series as cs')
    .innerJoin('org_units as o', 'o.id', 'cs.org_id')
    .select((eb) => [
      'cs.id', 'cs.org_id', 'o.name as org_name', 'o.path as org_path', 'cs.team_id', 'cs.title', 'cs.description', 'cs.version',
      eb.selectFrom('activities as a').select((e) => e.fn.countAll<number>().as('n')).whereRef('a.series_id', '=', 'cs.id').where('a.status', '<>', 'cancelled').as('sessions'),
    ]);
}

type SeriesRow = Awaited<ReturnType<ReturnType<typeof selectSeries>['executeTakeFirstOrThrow']>>;
const mapSeries = (r: SeriesRow): ClassSeriesView => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, teamId: r.team_id, title: r.title, description: r.description, sessions: Number(r.sessions ?? 0), version: r.version,
});

/** The class series run in the actor's subtree. */
export async function listSeries(ctx: AppContext, actor: Actor): Promise<{ items: ClassSeriesView[] }> {
  requirePermission(actor, 'activity.read');
  const rows = await selectSeries(ctx).where('o.path', '>=', actor.orgPath).where('o.path', '<', `${actor.orgPath.slice(0, -1)}0`).orderBy('cs.id', 'desc').execute();
  return { items: rows.map(mapSeries) };
}

export async function createSeries(ctx: AppContext, actor: Actor, body: CreateClassSeriesBody): Promise<ClassSeriesView> {
  requirePermission(actor, 'activity.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (node!.kind === 'department') throw new AppError('VALIDATION_FAILED', { detail: '课程应由街道、社区或网格举办' }, { field: 'orgId' });
  const teamId = await requireTeam(ctx, actor, body.teamId);
  const now = nowIso();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('class_series')
      .values({ org_id: node!.id, team_id: teamId, title: body.title.trim(), description: body.description?.trim() || null, created_by: actor.id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx.dialect, actor, { action: 'class_series.create', entityType: 'class_series', entityId: id, orgId: node!.id, after: { title: body.title } });
    return id;
  });
  return mapSeries(await selectSeries(ctx).where('cs.id', '=', id).executeTakeFirstOrThrow());
}

/**
 * The series' sessions in time order and each member's attendance: present (checked in, or minutes
 * certified), absent (signed up, not there) or not signed up; the rate counts the sessions held so
 * far (started, not cancelled).
 */
export async function seriesAttendance(ctx: AppContext, actor: Actor, id: number): Promise<SeriesAttendance> {
  requirePermission(actor, 'activity.read');
  const row = await selectSeries(ctx).where('cs.id', '=', id).executeTakeFirst();
  requireInScope(actor, row?.org_path);
  const sessions = (await ctx.db.selectFrom('activities').select('id').where('series_id', '=', id).where('status', '<>', 'cancelled').execute()).map((s) => s.id);
  const list = (await findActivitiesByIds(ctx.db, sessions)).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const signups = sessions.length
    ? await ctx.db
        .selectFrom('activity_signups as s')
        .innerJoin('residents as r', 'r.id', 's.resident_id')
        .select(['s.activity_id', 's.resident_id', 'r.name', 's.checked_in_at', 's.confirmed_minutes'])
        .where('s.activity_id', 'in', sessions)
        .where('s.status', '=', 'confirmed')
        .execute()
    : [];
  const now = nowIso();
  const held = list.filter((a) => a.starts_at <= now).length;
  const present = (s: (typeof signups)[number]) => !!s.checked_in_at || Number(s.confirmed_minutes ?? 0) > 0;
  const byResident = new Map<number, { name: string; marks: Map<number, boolean> }>();
  for (const s of signups) {
    const m = byResident.get(s.resident_id) ?? { name: s.name, marks: new Map() };
    m.marks.set(s.activity_id, present(s));
    byResident.set(s.resident_id, m);
  }
  const fullName = canSeeFullNames(actor);
  return {
    series: mapSeries(row!),
    sessions: list.map((a) => ({
      id: a.id, title: a.title, startsAt: a.starts_at, status: a.status as never, materials: mapActivity(a).materials,
      attended: signups.filter((s) => s.activity_id === a.id && present(s)).length,
    })),
    members: [...byResident.entries()]
      .map(([residentId, m]) => {
        const marks = list.map((a) =>
          !m.marks.has(a.id) ? 'none' : m.marks.get(a.id) ? 'present' : a.starts_at > now ? 'upcoming' : 'absent',
        ) as ('present' | 'absent' | 'upcoming' | 'none')[];
        const attended = marks.filter((x) => x === 'present').length;
        return { residentId, name: viewName(m.name, { fullName }), marks, attended, rate: held ? Math.round((attended / held) * 100) : 0 };
      })
      .sort((a, b) => b.attended - a.attended || a.residentId - b.residentId),
  };
}
