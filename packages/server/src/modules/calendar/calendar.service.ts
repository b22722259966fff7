import type { CalendarYear, CalendarYearView } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { requireCitySettings, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import type { WorkCalendar } from '../../lib/working-time.js';

/**
 * The working-day calendar, read from the database. Each process keeps a copy for a short while
 * (it changes once a year); a change made through this process is seen at once, one made through
 * another instance within CACHE_MS.
 */
const CACHE_MS = 30_000;
const cache = new WeakMap<object, { at: number; cal: Promise<WorkCalendar> }>();

export function loadCalendar(db: Kysely<DB>): Promise<WorkCalendar> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.cal;
  const cal = (async () => {
    const rows = await db.selectFrom('calendar_days').select(['day', 'kind']).execute();
    const holidays = new Set<string>();
    const workdays = new Set<string>();
    for (const r of rows) (r.kind === 'holiday' ? holidays : workdays).add(r.day);
    return { holidays, workdays };
  })();
  cache.set(db, { at: Date.now(), cal });
  cal.catch(() => cache.delete(db));
  return cal;
}

export function forgetCalendar(db: Kysely<DB>): void {
  cache.delete(db);
}

export async function listCalendarYears(ctx: AppContext): Promise<{ year: number; source: string; updatedAt: string }[]> {
  const rows = await ctx.db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  return rows.map((r) => ({ year: r.year, source: r.source, updatedAt: r.updated_at }));
}

export async function getCalendarYear(ctx: AppContext, year: number): Promise<CalendarYearView> {
  const y = await ctx.db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
  if (!y) throw new AppError('NOT_FOUND');
  const days = await ctx.db
    .selectFrom('calendar_days')
    .select(['day', 'kind'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
  return {
    year,
    source: y.source,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
  };
}

/** Replaces a year's holidays and adjusted working days (an admin enters the State Council's notice). */
export async function putCalendarYear(ctx: AppContext, actor: Actor, year: number, body: CalendarYear): Promise<CalendarYearView> {
  await requireCitySettings(ctx.db, actor);
  const problems: string[] = [];
  for (const d of [...body.holidays, ...body.workdays]) if (!d.startsWith(`${year}-`)) problems.push(`${d} 不在 ${year} 年`);
  const both = body.holidays.filter((d) => body.workdays.includes(d));
  for (const d of both) problems.push(`${d} 不能既是假日又是调休上班日`);
  for (const d of body.workdays) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd >= 1 && wd <= 5) problems.push(`${d} 本来就是工作日,无需列为调休上班日`);
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', { detail: problems.join(';') });
  const before = await getCalendarYear(ctx, year).catch(() => null);
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
    const rows = [...new Set(body.holidays)].map((day) => ({ day, kind: 'holiday' })).concat([...new Set(body.workdays)].map((day) => ({ day, kind: 'workday' })));
    if (rows.length) await trx.insertInto('calendar_days').values(rows).execute();
    await trx
      .insertInto('calendar_years')
      .values({ year, source: 'admin', updated_at: now })
      .onConflict((oc) => oc.column('year').doUpdateSet({ source: 'admin', updated_at: now }))
      .execute();
    await writeAudit(trx, ctx.dialect, actor, { action: 'calendar.put', entityType: 'calendar_year', entityId: year, before, after: body });
  });
  forgetCalendar(ctx.db);
  return getCalendarYear(ctx, year);
}
