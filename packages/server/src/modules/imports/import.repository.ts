import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB, ImportJobsTable, ImportRowsTable, NewResident } from '../../db/schema.js';
import type { GridNode } from './import.validate.js';

export type ImportJobRow = Selectable<ImportJobsTable> & { org_path: string };
type Db = Kysely<DB>;

/** Rows per multi-row INSERT: PostgreSQL caps a statement at 65,535 parameters. */
const maxRowsPerInsert = (columns: number) => Math.floor(60_000 / columns);

async function insertInChunks<T extends keyof DB>(db: Db, table: T, rows: Insertable<DB[T]>[], columns: number): Promise<void> {
  const size = maxRowsPerInsert(columns);
  for (let i = 0; i < rows.length; i += size) {
    await db.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}

export async function insertImportJob(db: Db, values: Insertable<ImportJobsTable>): Promise<number> {
  const row = await db.insertInto('import_jobs').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findImportJob(db: Db, id: number): Promise<ImportJobRow | undefined> {
  return db
    .selectFrom('import_jobs as j')
    .innerJoin('org_units as o', 'o.id', 'j.org_id')
    .selectAll('j')
    .select('o.path as org_path')
    .where('j.id', '=', id)
    .executeTakeFirst();
}

export function findOrgPath(db: Db, id: number): Promise<{ id: number; path: string; status: string } | undefined> {
  return db.selectFrom('org_units').select(['id', 'path', 'status']).where('id', '=', id).executeTakeFirst();
}

/** Active grids and micro-grids under a path, with their parent's name (for "网格/微网格"). */
export async function findGridNodes(db: Db, path: string): Promise<GridNode[]> {
  const rows = await db
    .selectFrom('org_units as o')
    .leftJoin('org_units as p', 'p.id', 'o.parent_id')
    .select(['o.id', 'o.name', 'o.kind', 'p.name as parent_name'])
    .where('o.path', 'like', `${path}%`)
    .where('o.status', '=', 'active')
    .where('o.kind', 'in', ['grid', 'micro_grid'])
    .orderBy('o.path')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, parentName: r.parent_name }));
}

/** Sets counters/status of a job; `fromStatus` makes it a conditional update (returns false when it lost). */
export async function updateImportJob(
  db: Db,
  id: number,
  set: Omit<Updateable<ImportJobsTable>, 'id' | 'updated_at'>,
  fromStatus?: string,
): Promise<boolean> {
  let q = db.updateTable('import_jobs').set({ ...set, updated_at: new Date().toISOString() }).where('id', '=', id);
  if (fromStatus) q = q.where('status', '=', fromStatus);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Adds to the commit counters of a job (inside the batch's transaction). */
export async function addCommitProgress(db: Db, id: number, d: { processed: number; created: number; updated: number; skipped: number }) {
  await db
    .updateTable('import_jobs')
    .set((eb) => ({
      processed_rows: eb('processed_rows', '+', d.processed),
      created_count: eb('created_count', '+', d.created),
      updated_count: eb('updated_count', '+', d.updated),
      valid_rows: eb('valid_rows', '-', d.skipped),
      error_rows: eb('error_rows', '+', d.skipped),
      updated_at: new Date().toISOString(),
    }))
    .where('id', '=', id)
    .execute();
}

export function insertImportRows(db: Db, rows: Insertable<ImportRowsTable>[]): Promise<void> {
  return insertInChunks(db, 'import_rows', rows, 5);
}

/**
 * Fresh planner statistics after a bulk load: without them PostgreSQL reads the staged rows of a
 * big job with a bitmap scan and a sort per batch instead of walking the primary key.
 */
export async function analyzeImportRows(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`analyze import_rows`.execute(db);
}

export async function deleteImportRows(db: Db, jobId: number): Promise<void> {
  await db.deleteFrom('import_rows').where('job_id', '=', jobId).execute();
}

/** Valid rows of a job after `afterRow`, in file order (keyset pagination). */
export function findValidRows(db: Db, jobId: number, afterRow: number, limit: number) {
  return db
    .selectFrom('import_rows')
    .select(['row_no', 'data'])
    .where('job_id', '=', jobId)
    .where('error_count', '=', 0)
    .where('row_no', '>', afterRow)
    .orderBy('row_no')
    .limit(limit)
    .execute();
}

/** Marks a row that the commit had to skip. */
export async function setRowErrors(db: Db, jobId: number, rowNo: number, errors: unknown[]): Promise<void> {
  await db
    .updateTable('import_rows')
    .set({ errors: JSON.stringify(errors), error_count: errors.length })
    .where('job_id', '=', jobId)
    .where('row_no', '=', rowNo)
    .execute();
}

export async function countErrors(db: Db, jobId: number): Promise<number> {
  const r = await db
    .selectFrom('import_rows')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('error_count'), sql<number>`0`).as('n'))
    .where('job_id', '=', jobId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The rows holding errors number `offset` … `offset + limit - 1` (errors counted across rows in
 * row order): a running sum over error_count, so a page costs one statement whatever its number.
 */
export async function findErrorRowsForPage(db: Db, jobId: number, offset: number, limit: number) {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('import_rows')
        .select((e) => ['row_no', 'errors', 'error_count', e.fn.sum<number>('error_count').over((ob) => ob.orderBy('row_no')).as('cum')])
        .where('job_id', '=', jobId)
        .where('error_count', '>', 0)
        .as('t'),
    )
    .selectAll()
    .where('cum', '>', offset)
    .where(sql<number>`cum - error_count`, '<', offset + limit)
    .orderBy('row_no')
    .execute();
  return rows.map((r) => ({ rowNo: r.row_no, errors: r.errors!, start: Number(r.cum) - Number(r.error_count) }));
}

/** Rows with errors after `afterRow`, in row order, for the error report. */
export function findErrorRows(db: Db, jobId: number, afterRow: number, limit: number) {
  return db
    .selectFrom('import_rows')
    .select(['row_no', 'errors'])
    .where('job_id', '=', jobId)
    .where('error_count', '>', 0)
    .where('row_no', '>', afterRow)
    .orderBy('row_no')
    .limit(limit)
    .execute();
}

/**
 * Residents holding any of these ID hashes, with where they live in the tree. Asked 200 at a
 * time: with longer lists PostgreSQL prefers a sequential scan, which grows with the table.
 */
export async function findResidentsByIdHash(db: Db, hashes: string[]) {
  const found: { id: number; id_number_hash: string | null; path: string }[] = [];
  for (let i = 0; i < hashes.length; i += 200) {
    const rows = await db
      .selectFrom('residents as r')
      .innerJoin('org_units as o', 'o.id', 'r.org_id')
      .select(['r.id', 'r.id_number_hash', 'o.path'])
      .where('r.id_number_hash', 'in', hashes.slice(i, i + 200))
      .execute();
    found.push(...rows);
  }
  return found;
}

/** Residents of these households with one of these names (the match for rows without an ID number). */
export function findResidentsByHouseholdName(db: Db, householdIds: number[], names: string[]) {
  if (householdIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .select(['r.id', 'r.household_id', 'r.name', 'o.path'])
    .where('r.household_id', 'in', householdIds)
    .where('r.name', 'in', names)
    .orderBy('r.id')
    .execute();
}

export function findBuildings(db: Db, orgIds: number[], names: string[]) {
  return db
    .selectFrom('buildings')
    .select(['id', 'org_id', 'name'])
    .where('org_id', 'in', orgIds)
    .where('name', 'in', names)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

export function insertBuildings(db: Db, rows: { org_id: number; name: string }[], now: string) {
  return db
    .insertInto('buildings')
    .values(rows.map((r) => ({ ...r, address: null, lng: null, lat: null, created_at: now, updated_at: now })))
    .returning(['id', 'org_id', 'name'])
    .execute();
}

export function findHouseholds(db: Db, buildingIds: number[], rooms: string[]) {
  return db
    .selectFrom('households')
    .select(['id', 'building_id', 'unit_label', 'room'])
    .where('building_id', 'in', buildingIds)
    .where('room', 'in', rooms)
    .execute();
}

/** Inserts households; one that another writer created meanwhile is skipped (found by the caller's re-read). */
export function insertHouseholds(
  db: Db,
  rows: { org_id: number; building_id: number; unit_label: string | null; room: string; address: string }[],
  now: string,
) {
  return db
    .insertInto('households')
    .values(rows.map((r) => ({ ...r, created_at: now, updated_at: now })))
    .onConflict((oc) => oc.columns(['building_id', 'unit_label', 'room']).doNothing())
    .returning(['id', 'building_id', 'unit_label', 'room'])
    .execute();
}

/**
 * Reserves `n` new resident ids inside the caller's transaction, so that every row of a batch is
 * written with a known id by one upsert (RETURNING order is not guaranteed by either database).
 */
export async function allocateResidentIds(db: Db, dialect: Dialect, n: number): Promise<number[]> {
  if (n === 0) return [];
  if (dialect === 'postgres') {
    const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('residents', 'id'))::integer as id
      from generate_series(1, ${n})`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }
  // SQLite: writers are serialised; AUTOINCREMENT never reuses ids, so start above both the
  // highest id and the recorded sequence.
  const r = await sql<{ top: number }>`select max(
      coalesce((select seq from sqlite_sequence where name = 'residents'), 0),
      coalesce((select max(id) from residents), 0)) as top`.execute(db);
  const top = Number(r.rows[0]?.top ?? 0);
  return Array.from({ length: n }, (_, i) => top + 1 + i);
}

/**
 * Writes residents with known ids: new ids insert, existing ids update. An empty cell never
 * erases what the resident already has (coalesce), and an empty tag list keeps the old tags;
 * only the household is cleared when the resident moves to another org without naming a flat.
 */
export async function upsertResidents(db: Db, rows: (NewResident & { id: number })[]): Promise<void> {
  const size = maxRowsPerInsert(24);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto('residents')
      .values(rows.slice(i, i + size))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => {
          const keep = <C extends keyof NewResident & string>(c: C) =>
            eb.fn.coalesce(eb.ref(`excluded.${c}` as never), eb.ref(`residents.${c}` as never)) as never;
          return {
            org_id: eb.ref('excluded.org_id'),
            name: eb.ref('excluded.name'),
            name_pinyin: eb.ref('excluded.name_pinyin'),
            name_initials: eb.ref('excluded.name_initials'),
            // A row naming no flat keeps the old household, unless it moves the resident to
            // another org: the household (on the old micro-grid) is then cleared.
            household_id: sql<number | null>`case
              when excluded.household_id is not null then excluded.household_id
              when excluded.org_id <> residents.org_id then null
              else residents.household_id end`,
            gender: keep('gender'),
            birth_date: keep('birth_date'),
            id_number_enc: keep('id_number_enc'),
            id_number_hash: keep('id_number_hash'),
            id_number_masked: keep('id_number_masked'),
            phone_enc: keep('phone_enc'),
            phone_hash: keep('phone_hash'),
            phone_masked: keep('phone_masked'),
            address: keep('address'),
            relation_to_head: keep('relation_to_head'),
            note: keep('note'),
            tags: sql<string>`case when excluded.tags = '[]' then residents.tags else excluded.tags end`,
            version: sql<number>`residents.version + 1`,
            updated_at: eb.ref('excluded.updated_at'),
          };
        }),
      )
      .execute();
  }
}

/** Replaces the resident_tags rows of these residents (one row per resident and tag). */
export async function replaceResidentTags(db: Db, residentIds: number[], rows: { resident_id: number; tag: string }[]): Promise<void> {
  if (residentIds.length) await db.deleteFrom('resident_tags').where('resident_id', 'in', residentIds).execute();
  if (rows.length) await insertInChunks(db, 'resident_tags', rows, 2);
}
