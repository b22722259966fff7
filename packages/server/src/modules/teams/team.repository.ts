import type { TeamListQuery } from '@haitang/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { DB, TeamsTable } from '../../db/schema.js';

export type TeamRow = Selectable<TeamsTable> & {
  org_name: string;
  org_path: string;
  member_count: number | string;
  leader_name: string | null;
};

export type TeamMemberRow = {
  resident_id: number;
  name: string;
  role: string;
  grid_id: number | null;
  grid_name: string | null;
  joined_at: string;
};

/** Teams with their community, member count and first leader. */
function selectTeams(db: Kysely<DB>) {
  return db
    .selectFrom('teams as t')
    .innerJoin('org_units as o', 'o.id', 't.org_id')
    .selectAll('t')
    .select((eb) => [
      'o.name as org_name',
      'o.path as org_path',
      eb
        .selectFrom('team_members as m')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('m.team_id', '=', 't.id')
        .as('member_count'),
      eb
        .selectFrom('team_members as m')
        .innerJoin('residents as r', 'r.id', 'm.resident_id')
        .select('r.name')
        .whereRef('m.team_id', '=', 't.id')
        .where('m.role', '=', 'leader')
        .orderBy('m.joined_at')
        .orderBy('m.resident_id')
        .limit(1)
        .as('leader_name'),
    ]);
}

export async function findTeam(db: Kysely<DB>, id: number): Promise<TeamRow | undefined> {
  return (await selectTeams(db).where('t.id', '=', id).executeTakeFirst()) as TeamRow | undefined;
}

/** Teams whose community lies in the subtree at `scopePath`. */
export async function findTeams(db: Kysely<DB>, scopePath: string, q: TeamListQuery): Promise<TeamRow[]> {
  let query = selectTeams(db).where('o.path', 'like', `${scopePath}%`);
  if (q.kind) query = query.where('t.kind', '=', q.kind);
  if (q.status) query = query.where('t.status', '=', q.status);
  if (q.orgId !== undefined) query = query.where('t.org_id', '=', q.orgId);
  return (await query.orderBy('t.org_id').orderBy('t.id').execute()) as TeamRow[];
}

/** An active team of the same name in the same community. */
export function findTeamByName(db: Kysely<DB>, orgId: number, name: string, exceptId?: number) {
  let q = db.selectFrom('teams').select('id').where('org_id', '=', orgId).where('name', '=', name).where('status', '=', 'active');
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.limit(1).executeTakeFirst();
}

/** Members with the grid each looks after; leaders first. */
export function findTeamMembers(db: Kysely<DB>, teamId: number, residentId?: number): Promise<TeamMemberRow[]> {
  let q = db
    .selectFrom('team_members as m')
    .innerJoin('residents as r', 'r.id', 'm.resident_id')
    .leftJoin('org_units as g', 'g.id', 'm.grid_id')
    .select(['m.resident_id', 'r.name', 'm.role', 'm.grid_id', 'g.name as grid_name', 'm.joined_at'])
    .where('m.team_id', '=', teamId);
  if (residentId !== undefined) q = q.where('m.resident_id', '=', residentId);
  return q.orderBy('m.role').orderBy('m.joined_at').orderBy('m.resident_id').execute();
}

export function findTeamMember(db: Kysely<DB>, teamId: number, residentId: number) {
  return db.selectFrom('team_members').selectAll().where('team_id', '=', teamId).where('resident_id', '=', residentId).executeTakeFirst();
}

/** Inserts a membership; false when the resident is already a member (race-safe). */
export async function insertTeamMember(
  db: Kysely<DB>,
  row: { team_id: number; resident_id: number; role: string; grid_id: number | null; joined_at: string },
): Promise<boolean> {
  const res = await db.insertInto('team_members').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findMemberIds(db: Kysely<DB>, teamId: number) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('residents as r', 'r.id', 'm.resident_id')
    .select(['m.resident_id', 'r.org_id'])
    .where('m.team_id', '=', teamId)
    .execute();
}
