import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { BuildingsTable, DB, HouseholdsTable } from '../../db/schema.js';
import { orgSubtreeIds } from '../../db/subtree.js';

export interface BuildingRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  version: number;
}

export interface HouseholdRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  building_id: number | null;
  building_name: string | null;
  unit_label: string | null;
  room: string | null;
  address: string;
  member_count: number;
  version: number;
}

function buildingQuery(db: Kysely<DB>) {
  return db
    .selectFrom('buildings as b')
    .innerJoin('org_units as o', 'o.id', 'b.org_id')
    .select(['b.id', 'b.org_id', 'o.name as org_name', 'o.path as org_path', 'b.name', 'b.address', 'b.lng', 'b.lat', 'b.version']);
}

export function findBuilding(db: Kysely<DB>, id: number): Promise<BuildingRow | undefined> {
  return buildingQuery(db).where('b.id', '=', id).executeTakeFirst();
}

/** Active buildings under the org path, by micro-grid then name. */
export function findBuildings(db: Kysely<DB>, dialect: Dialect, path: string, limit: number): Promise<BuildingRow[]> {
  return buildingQuery(db)
    .where('b.org_id', 'in', orgSubtreeIds(db, dialect, path))
    .where('b.status', '=', 'active')
    .orderBy('b.org_id')
    .orderBy('b.name')
    .orderBy('b.id')
    .limit(limit)
    .execute();
}

/** Another active building of that name on the micro-grid (names are unique per micro-grid). */
export function findBuildingByName(db: Kysely<DB>, orgId: number, name: string, exceptId?: number) {
  let q = db.selectFrom('buildings').select('id').where('org_id', '=', orgId).where('name', '=', name).where('status', '=', 'active');
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function insertBuilding(trx: Transaction<DB>, row: Insertable<BuildingsTable>): Promise<number> {
  const { id } = await trx.insertInto('buildings').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateBuildingRow(
  trx: Transaction<DB>,
  id: number,
  version: number,
  set: Updateable<BuildingsTable>,
): Promise<boolean> {
  const res = await trx
    .updateTable('buildings')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

function householdQuery(db: Kysely<DB>) {
  return db
    .selectFrom('households as h')
    .innerJoin('org_units as o', 'o.id', 'h.org_id')
    .leftJoin('buildings as b', 'b.id', 'h.building_id')
    .select((eb) => [
      'h.id',
      'h.org_id',
      'o.name as org_name',
      'o.path as org_path',
      'h.building_id',
      'b.name as building_name',
      'h.unit_label',
      'h.room',
      'h.address',
      'h.version',
      // Correlated count on residents_household_idx: part of the one statement, not a query per row.
      eb
        .selectFrom('residents as r')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('r.household_id', '=', 'h.id')
        .where('r.status', '=', 'active')
        .as('member_count'),
    ]);
}

export async function findHousehold(db: Kysely<DB>, id: number): Promise<HouseholdRow | undefined> {
  const row = await householdQuery(db).where('h.id', '=', id).executeTakeFirst();
  return row && { ...row, member_count: Number(row.member_count ?? 0) };
}

export interface HouseholdFilter {
  path: string;
  buildingId?: number;
  q?: string;
}

function householdWhere(db: Kysely<DB>, dialect: Dialect, f: HouseholdFilter) {
  let q = householdQuery(db).where('h.org_id', 'in', orgSubtreeIds(db, dialect, f.path)).where('h.status', '=', 'active');
  if (f.buildingId !== undefined) q = q.where('h.building_id', '=', f.buildingId);
  if (f.q) {
    const text = f.q;
    q = q.where(dialect === 'postgres' ? sql<number>`strpos(h.address, ${text})` : sql<number>`instr(h.address, ${text})`, '>', 0);
  }
  return q;
}

export async function findHouseholds(
  db: Kysely<DB>,
  dialect: Dialect,
  f: HouseholdFilter,
  limit: number,
  offset: number,
): Promise<HouseholdRow[]> {
  const rows = await householdWhere(db, dialect, f).orderBy('h.id', 'desc').limit(limit).offset(offset).execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) }));
}

export async function countHouseholds(db: Kysely<DB>, dialect: Dialect, f: HouseholdFilter): Promise<number> {
  let q = db
    .selectFrom('households as h')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('h.org_id', 'in', orgSubtreeIds(db, dialect, f.path))
    .where('h.status', '=', 'active');
  if (f.buildingId !== undefined) q = q.where('h.building_id', '=', f.buildingId);
  if (f.q) {
    const text = f.q;
    q = q.where(dialect === 'postgres' ? sql<number>`strpos(h.address, ${text})` : sql<number>`instr(h.address, ${text})`, '>', 0);
  }
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Another household at the same building, unit and room. Checked in code as well as by the
 * unique index because a unique index treats NULL units as all different.
 */
export function findHouseholdByRoom(
  db: Kysely<DB>,
  buildingId: number,
  unitLabel: string | null,
  room: string | null,
  exceptId?: number,
) {
  let q = db
    .selectFrom('households')
    .select('id')
    .where('building_id', '=', buildingId)
    .where('unit_label', unitLabel === null ? 'is' : '=', unitLabel)
    .where('room', room === null ? 'is' : '=', room);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function insertHousehold(trx: Transaction<DB>, row: Insertable<HouseholdsTable>): Promise<number> {
  const { id } = await trx.insertInto('households').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateHouseholdRow(
  trx: Transaction<DB>,
  id: number,
  version: number,
  set: Updateable<HouseholdsTable>,
): Promise<boolean> {
  const res = await trx
    .updateTable('households')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
