import type { PartyOrgKind, PartyOrgListQuery } from '@haitang/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { DB, PartyOrgsTable } from '../../db/schema.js';

export type PartyOrgRow = Selectable<PartyOrgsTable> & {
  org_name: string;
  org_path: string;
  org_kind: string;
  household_address: string | null;
  secretary_name: string | null;
  member_count: number | string;
};

/** Party organisations with their org node, household, secretary and member count. */
function selectPartyOrgs(db: Kysely<DB>) {
  return db
    .selectFrom('party_orgs as p')
    .innerJoin('org_units as o', 'o.id', 'p.org_id')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('residents as s', 's.id', 'p.secretary_resident_id')
    .selectAll('p')
    .select((eb) => [
      'o.name as org_name',
      'o.path as org_path',
      'o.kind as org_kind',
      'h.address as household_address',
      's.name as secretary_name',
      eb
        .selectFrom('party_members as m')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('m.party_org_id', '=', 'p.id')
        .as('member_count'),
    ]);
}

export async function findPartyOrg(db: Kysely<DB>, id: number): Promise<PartyOrgRow | undefined> {
  const row = await selectPartyOrgs(db).where('p.id', '=', id).executeTakeFirst();
  return row as PartyOrgRow | undefined;
}

/** Every party organisation whose org node lies in the subtree at `scopePath`. */
export async function findPartyOrgs(db: Kysely<DB>, scopePath: string, q: PartyOrgListQuery): Promise<PartyOrgRow[]> {
  let query = selectPartyOrgs(db).where('o.path', 'like', `${scopePath}%`);
  if (q.kind) query = query.where('p.kind', '=', q.kind);
  if (q.status) query = query.where('p.status', '=', q.status);
  return (await query.orderBy('p.id').execute()) as PartyOrgRow[];
}

/** The household with the path of its org node (a micro-grid). */
export function findHouseholdWithPath(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('households as h')
    .innerJoin('org_units as o', 'o.id', 'h.org_id')
    .select(['h.id', 'h.org_id', 'h.address', 'h.status', 'o.path', 'o.kind as org_kind'])
    .where('h.id', '=', id)
    .executeTakeFirst();
}

/** An active organisation of the kind already on this org node / household (one per place). */
export function findActiveTwin(
  db: Kysely<DB>,
  kind: PartyOrgKind,
  where: { orgId?: number; householdId?: number },
  exceptId?: number,
) {
  let q = db.selectFrom('party_orgs').select(['id', 'name']).where('kind', '=', kind).where('status', '=', 'active');
  if (where.orgId !== undefined) q = q.where('org_id', '=', where.orgId);
  if (where.householdId !== undefined) q = q.where('household_id', '=', where.householdId);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.limit(1).executeTakeFirst();
}

export async function hasActiveChildren(db: Kysely<DB>, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('party_orgs')
    .select('id')
    .where('parent_id', '=', id)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

export function findPartyMembers(db: Kysely<DB>, partyOrgId: number) {
  return db
    .selectFrom('party_members as m')
    .innerJoin('residents as r', 'r.id', 'm.resident_id')
    .select(['m.resident_id', 'r.name', 'm.role', 'm.joined_at'])
    .where('m.party_org_id', '=', partyOrgId)
    .orderBy('m.joined_at')
    .orderBy('m.resident_id')
    .execute();
}

export function findPartyMember(db: Kysely<DB>, partyOrgId: number, residentId: number) {
  return db
    .selectFrom('party_members')
    .selectAll()
    .where('party_org_id', '=', partyOrgId)
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
}

/** Inserts a membership; false when the resident is already a member (race-safe). */
export async function insertPartyMember(
  db: Kysely<DB>,
  row: { party_org_id: number; resident_id: number; role: string; joined_at: string },
): Promise<boolean> {
  const res = await db.insertInto('party_members').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Grids in the subtree at `scopePath` with their active grid branch, if any. */
export function findGridCoverage(db: Kysely<DB>, scopePath: string) {
  return db
    .selectFrom('org_units as g')
    .leftJoin('org_units as c', 'c.id', 'g.parent_id')
    .select((eb) => [
      'g.id as grid_id',
      'g.name as grid_name',
      'c.id as community_id',
      'c.name as community_name',
      eb
        .selectFrom('party_orgs as p')
        .select((e) => e.fn.min<number>('p.id').as('id'))
        .whereRef('p.org_id', '=', 'g.id')
        .where('p.kind', '=', 'grid_branch')
        .where('p.status', '=', 'active')
        .as('branch_id'),
    ])
    .where('g.kind', '=', 'grid')
    .where('g.status', '=', 'active')
    .where('g.path', 'like', `${scopePath}%`)
    .orderBy('c.id')
    .orderBy('g.sort_order')
    .orderBy('g.id')
    .execute();
}
