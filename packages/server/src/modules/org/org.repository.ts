import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB, OrgUnitRow } from '../../db/schema.js';
import { prepared } from '../../lib/prepared.js';

const orgUnitById = prepared((db, id: number) => db.selectFrom('org_units').selectAll().where('id', '=', id));

export async function findOrgUnit(db: Kysely<DB>, id: number): Promise<OrgUnitRow | undefined> {
  return (await orgUnitById(db, id))[0];
}

/**
 * Reads a node inside a transaction and holds it until commit (FOR UPDATE on PostgreSQL; SQLite
 * transactions already hold the write lock from BEGIN IMMEDIATE), so that a path built from it
 * cannot go stale under a concurrent move.
 */
export function lockOrgUnit(trx: Kysely<DB>, dialect: Dialect, id: number): Promise<OrgUnitRow | undefined> {
  const q = trx.selectFrom('org_units').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** Every node under (and including) the node at `path`, in one statement via the stored path. */
export function findSubtree(db: Kysely<DB>, path: string, opts: { includeRetired?: boolean } = {}): Promise<OrgUnitRow[]> {
  let q = db.selectFrom('org_units').selectAll().where('path', 'like', `${path}%`);
  if (!opts.includeRetired) q = q.where('status', '=', 'active');
  return q.orderBy('depth').orderBy('sort_order').orderBy('id').execute();
}

/** The ancestors of a node, root first, in one statement (their ids are in its path). */
export function findAncestors(db: Kysely<DB>, path: string): Promise<OrgUnitRow[]> {
  const ids = pathIds(path);
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('org_units').selectAll().where('id', 'in', ids).orderBy('depth').execute();
}

export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/**
 * Moves a subtree: rewrites the path prefix and depth of every descendant in one UPDATE.
 * Returns the number of rows changed.
 */
export async function rewriteSubtreePaths(
  db: Kysely<DB>,
  oldPath: string,
  newPath: string,
  depthDelta: number,
  now: string,
): Promise<number> {
  const res = await sql`update org_units
      set path = ${newPath} || substr(path, ${oldPath.length + 1}),
          depth = depth + ${depthDelta},
          updated_at = ${now}
      where path like ${oldPath + '%'}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** Whether anything hangs on a node (children, buildings, households, residents, accounts, teams...). */
export async function hasDependents(db: Kysely<DB>, id: number): Promise<boolean> {
  const checks = await Promise.all([
    db.selectFrom('org_units').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('buildings').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('households').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('residents').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('accounts').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('teams').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('party_orgs').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('alliance_members').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('team_members').select('team_id as id').where('grid_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('import_jobs').select('id').where('org_id', '=', id).limit(1).executeTakeFirst(),
  ]);
  return checks.some(Boolean);
}

/** Counts of what lies in a subtree, for the home page. */
export async function countSubtree(db: Kysely<DB>, path: string) {
  const inScope = db.selectFrom('org_units').select('id').where('path', 'like', `${path}%`);
  const [kinds, households, residents, teams] = await Promise.all([
    db
      .selectFrom('org_units')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('path', 'like', `${path}%`)
      .where('status', '=', 'active')
      .groupBy('kind')
      .execute(),
    db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', 'in', inScope).executeTakeFirstOrThrow(),
    db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', 'in', inScope)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow(),
    db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', 'in', inScope).executeTakeFirstOrThrow(),
  ]);
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
  return {
    communities: byKind.community ?? 0,
    grids: byKind.grid ?? 0,
    microGrids: byKind.micro_grid ?? 0,
    households: Number(households.n),
    residents: Number(residents.n),
    teams: Number(teams.n),
  };
}
