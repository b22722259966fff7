import type { ActivityListQuery } from '@haitang/contracts';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ActivitiesTable, ActivitySignupsTable, DB } from '../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** An activity as read (every column but created_at), with its node, team and series names. */
export type ActivityRow = Omit<Selectable<ActivitiesTable>, 'created_at'> & {
  org_name: string;
  org_path: string;
  team_name: string | null;
  series_title: string | null;
};

function selectActivities(db: Db) {
  return db
    .selectFrom('activities as a')
    .innerJoin('org_units as o', 'o.id', 'a.org_id')
    .leftJoin('teams as t', 't.id', 'a.team_id')
    .leftJoin('class_series as cs', 'cs.id', 'a.series_id')
    .select([
      'a.series_id', 'cs.title as series_title', 'a.materials', 'a.image_ids',
      'a.id', 'a.org_id', 'o.name as org_name', 'o.path as org_path', 'a.team_id', 't.name as team_name', 'a.organiser',
      'a.kind', 'a.title', 'a.description', 'a.place', 'a.starts_at', 'a.ends_at', 'a.capacity', 'a.audience',
      'a.min_share_percent', 'a.cap_minutes', 'a.status', 'a.cancel_reason', 'a.served_count', 'a.confirmed_count', 'a.waiting_count',
      'a.created_by', 'a.version', 'a.updated_at',
    ]);
}

export async function findActivity(db: Db, id: number): Promise<ActivityRow | undefined> {
  return selectActivities(db).where('a.id', '=', id).executeTakeFirst();
}

/** Activities by id (any order). */
export async function findActivitiesByIds(db: Db, ids: number[]): Promise<ActivityRow[]> {
  if (!ids.length) return [];
  return selectActivities(db).where('a.id', 'in', ids).execute();
}

export interface ActivityScope {
  /** Activities run by a node in this subtree, drafts included (staff). */
  within?: string;
  /** And the published ones run by these nodes (the nodes on the path to the reader's own). */
  above: number[];
}

/** A page of activities, soonest first for upcoming ones, else newest start first. */
export async function findActivities(db: Db, scope: ActivityScope, q: ActivityListQuery, now: string): Promise<{ rows: ActivityRow[]; total: number }> {
  let query = selectActivities(db);
  const within = scope.within;
  query = query.where((eb) => {
    const above = eb.and([eb('a.org_id', 'in', scope.above.length ? scope.above : [-1]), eb('a.status', '<>', 'draft')]);
    if (!within) return above;
    return eb.or([eb.and([eb('o.path', '>=', within), eb('o.path', '<', `${within.slice(0, -1)}0`)]), above]);
  });
  if (q.orgId !== undefined) query = query.where('a.org_id', '=', q.orgId);
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.kind) query = query.where('a.kind', '=', q.kind);
  if (q.upcoming) query = query.where('a.ends_at', '>', now);
  const pageSize = q.pageSize ?? 20;
  const offset = ((q.page ?? 1) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    query
      .orderBy('a.starts_at', q.upcoming ? 'asc' : 'desc')
      .orderBy('a.id', q.upcoming ? 'asc' : 'desc')
      .limit(pageSize)
      .offset(offset)
      .execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** A sign-up as read (every column but updated_at), with the resident's name and org path (who may see it). */
export type SignupRow = Omit<Selectable<ActivitySignupsTable>, 'updated_at'> & { name: string; resident_path: string };

function selectSignups(db: Db) {
  return db
    .selectFrom('activity_signups as s')
    .innerJoin('residents as r', 'r.id', 's.resident_id')
    .innerJoin('org_units as ro', 'ro.id', 'r.org_id')
    .select([
      'ro.path as resident_path',
      's.id', 's.activity_id', 's.resident_id', 'r.name', 's.status', 's.queued_at', 's.proxy_account_id', 's.checked_in_at',
      's.checked_out_at', 's.attendance_by', 's.computed_minutes', 's.confirmed_minutes', 's.confirmed_by', 's.confirmed_at',
      's.correction_reason', 's.created_at', 's.version',
    ]);
}

export async function findSignup(db: Db, id: number): Promise<SignupRow | undefined> {
  return selectSignups(db).where('s.id', '=', id).executeTakeFirst();
}

export async function findSignupOf(db: Db, activityId: number, residentId: number): Promise<SignupRow | undefined> {
  return selectSignups(db).where('s.activity_id', '=', activityId).where('s.resident_id', '=', residentId).executeTakeFirst();
}

/** Every sign-up of an activity: confirmed and waiting in line order, then withdrawn. */
export async function findSignups(db: Db, activityId: number): Promise<SignupRow[]> {
  return selectSignups(db)
    .where('s.activity_id', '=', activityId)
    .orderBy((eb) => eb.case().when('s.status', '=', 'confirmed').then(0).when('s.status', '=', 'waiting').then(1).else(2).end())
    .orderBy('s.queued_at')
    .orderBy('s.id')
    .execute();
}

/** The first `n` people waiting, in line order. */
export async function findFirstWaiting(db: Db, activityId: number, n: number): Promise<{ id: number; resident_id: number }[]> {
  return db
    .selectFrom('activity_signups')
    .select(['id', 'resident_id'])
    .where('activity_id', '=', activityId)
    .where('status', '=', 'waiting')
    .orderBy('queued_at')
    .orderBy('id')
    .limit(n)
    .execute();
}

/** The accounts of residents (to notify them), by resident id. */
export async function findResidentAccounts(db: Db, residentIds: number[]): Promise<number[]> {
  if (!residentIds.length) return [];
  const rows = await db.selectFrom('accounts').select('id').where('resident_id', 'in', residentIds).where('role', '=', 'resident').where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}
