import type { ActivityFigures, ActivityFiguresQuery, FigureRow } from '@haitang/contracts';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';

/** Beijing midnight of a calendar day, as the UTC instant stored in starts_at. */
const dayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();

type Group = 'total' | 'team' | 'org';

/**
 * The figures of the activities run in a subtree (the actor's, or a node inside it) and started in
 * [from, to] (Beijing days): in total, by organising team and by the node that ran them. See
 * FigureRow for what each number counts. Two grouped queries per grouping (activities, then their
 * certified records), whatever the number of activities.
 */
export async function activityFigures(ctx: AppContext, actor: Actor, q: ActivityFiguresQuery): Promise<ActivityFigures> {
  requirePermission(actor, 'activity.read');
  if (q.to < q.from) throw new AppError('VALIDATION_FAILED', { detail: '结束日期应不早于开始日期' }, { field: 'to' });
  let path = actor.orgPath;
  if (q.orgId !== undefined) {
    const node = await findOrgUnit(ctx.db, q.orgId);
    requireInScope(actor, node?.path);
    path = node!.path;
  }
  const base = () => {
    let b = ctx.db
      .selectFrom('activities as a')
      .innerJoin('org_units as o', 'o.id', 'a.org_id')
      .leftJoin('teams as t', 't.id', 'a.team_id')
      .where('o.path', '>=', path)
      .where('o.path', '<', `${path.slice(0, -1)}0`)
      .where('a.status', '<>', 'cancelled')
      .where('a.starts_at', '>=', dayStart(q.from))
      .where('a.starts_at', '<', nextDay(q.to))
      .where((eb) => eb.exists(eb.selectFrom('activity_signups as c').select('c.id').whereRef('c.activity_id', '=', 'a.id').where('c.confirmed_minutes', '>', 0)));
    if (q.kind) b = b.where('a.kind', '=', q.kind);
    return b;
  };
  const keyOf = (g: Group) => (g === 'team' ? 'a.team_id' : g === 'org' ? 'a.org_id' : null);
  const nameOf = (g: Group) => (g === 'team' ? 't.name' : g === 'org' ? 'o.name' : null);

  const rows = async (g: Group): Promise<FigureRow[]> => {
    const key = keyOf(g);
    const name = nameOf(g);
    const held = await base()
      .select([
        key ? sql<number | null>`${sql.ref(key)}`.as('key') : sql<null>`null`.as('key'),
        name ? sql<string | null>`max(${sql.ref(name)})`.as('name') : sql<null>`null`.as('name'),
        (eb) => eb.fn.countAll<number>().as('services'),
        (eb) => eb.fn.coalesce(eb.fn.sum<number>('a.served_count'), eb.lit(0)).as('served'),
      ])
      .$if(!!key, (qb) => qb.groupBy(key!))
      .execute();
    const people = await base()
      .innerJoin('activity_signups as s', 's.activity_id', 'a.id')
      .where('s.confirmed_minutes', '>', 0)
      .select([
        key ? sql<number | null>`${sql.ref(key)}`.as('key') : sql<null>`null`.as('key'),
        (eb) => eb.fn.sum<number>('s.confirmed_minutes').as('minutes'),
        sql<number>`count(distinct s.resident_id)`.as('volunteers'),
      ])
      .$if(!!key, (qb) => qb.groupBy(key!))
      .execute();
    const byKey = new Map(people.map((p) => [p.key === null ? null : Number(p.key), p]));
    return held
      .map((h) => {
        const k = h.key === null ? null : Number(h.key);
        const p = byKey.get(k);
        const minutes = Number(p?.minutes ?? 0);
        const volunteers = Number(p?.volunteers ?? 0);
        return {
          key: k,
          name: h.name ?? '',
          services: Number(h.services),
          served: Number(h.served),
          volunteers,
          minutes,
          hours: Math.round((minutes / 60) * 10) / 10,
          hoursPerVolunteer: volunteers ? Math.round((minutes / 60 / volunteers) * 10) / 10 : 0,
        };
      })
      .sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));
  };
  const [total, byTeam, byOrg] = await Promise.all([rows('total'), rows('team'), rows('org')]);
  const empty: FigureRow = { key: null, name: '', services: 0, served: 0, volunteers: 0, minutes: 0, hours: 0, hoursPerVolunteer: 0 };
  return { from: q.from, to: q.to, total: total[0] ?? empty, byTeam, byOrg };
}
