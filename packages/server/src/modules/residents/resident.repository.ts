import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB, NewResident, ResidentUpdate } from '../../db/schema.js';
import { orgSubtreeIds } from '../../db/subtree.js';

/** What the list, the detail and the export read: masked columns only, never the ciphertexts. */
const VIEW_COLUMNS = [
  'r.id',
  'r.org_id',
  'r.household_id',
  'r.name',
  'r.gender',
  'r.birth_date',
  'r.id_number_masked',
  'r.phone_masked',
  'r.address',
  'r.relation_to_head',
  'r.tags',
  'r.status',
  'r.note',
  'r.version',
  'r.updated_at',
  'o.name as org_name',
  'o.path as org_path',
  'h.address as household_address',
] as const;

export interface ResidentViewRow {
  id: number;
  org_id: number;
  household_id: number | null;
  name: string;
  gender: string | null;
  birth_date: string | null;
  id_number_masked: string | null;
  phone_masked: string | null;
  address: string | null;
  relation_to_head: string | null;
  tags: string;
  status: string;
  note: string | null;
  version: number;
  updated_at: string;
  org_name: string;
  org_path: string;
  household_address: string | null;
}

/** How `q` is matched: exact keyed hashes (ID number / phone) or text (contains, pinyin prefix). */
export type ResidentSearch =
  | { kind: 'hash'; idHash?: string; phoneHash?: string }
  | { kind: 'text'; text: string; pinyinPrefix: string | null };

export interface ResidentFilter {
  /** Org path of the subtree to list (the actor's, or a node inside it). */
  path: string;
  status: string;
  tag?: string;
  search?: ResidentSearch;
}

function viewQuery(db: Kysely<DB>) {
  return db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .select(VIEW_COLUMNS);
}

export async function findResidentView(db: Kysely<DB>, id: number): Promise<ResidentViewRow | undefined> {
  return viewQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/** Rows for the given ids, newest first (the second step of a list page). */
export async function findResidentViewsByIds(db: Kysely<DB>, ids: number[]): Promise<ResidentViewRow[]> {
  if (ids.length === 0) return [];
  return viewQuery(db).where('r.id', 'in', ids).orderBy('r.id', 'desc').execute();
}

/** The members of a household (any status), oldest first. */
export async function findResidentViewsByHousehold(db: Kysely<DB>, householdId: number): Promise<ResidentViewRow[]> {
  return viewQuery(db).where('r.household_id', '=', householdId).orderBy('r.id').execute();
}

/** The ciphertexts of one resident, for the audited reveal only. */
export async function findResidentSecrets(db: Kysely<DB>, id: number) {
  return db.selectFrom('residents').select(['id_number_enc', 'phone_enc']).where('id', '=', id).executeTakeFirst();
}

/** The resident holding an ID number (by keyed hash), with the org path for the scope check. */
export async function findResidentByIdHash(db: Kysely<DB>, idHash: string) {
  return db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .select(['r.id', 'o.path as org_path'])
    .where('r.id_number_hash', '=', idHash)
    .executeTakeFirst();
}

type ResidentEb = ExpressionBuilder<DB & { r: DB['residents'] }, 'r'>;

/** A search by keyed hash: the complete ID number or phone (text searches: textMatchIds). */
function hashExpr(eb: ResidentEb, s: Extract<ResidentSearch, { kind: 'hash' }>) {
  const ors = [];
  if (s.idHash) ors.push(eb('r.id_number_hash', '=', s.idHash));
  if (s.phoneHash) ors.push(eb('r.phone_hash', '=', s.phoneHash));
  return eb.or(ors);
}

/** The conditions of a filter on the row `r` (text searches go through the grams: textMatchIds). */
function filterExpr(db: Kysely<DB>, dialect: Dialect, f: ResidentFilter, opts: { tag: boolean } = { tag: true }) {
  return (eb: ResidentEb) => {
    const conds = [eb('r.org_id', 'in', orgSubtreeIds(db, dialect, f.path)), eb('r.status', '=', f.status)];
    if (f.tag && opts.tag) {
      const tag = f.tag;
      conds.push(
        eb.exists(
          eb.selectFrom('resident_tags as t').select('t.resident_id').whereRef('t.resident_id', '=', 'r.id').where('t.tag', '=', tag),
        ),
      );
    }
    if (f.search?.kind === 'text') throw new Error('a text search reads the grams (textMatchIds)');
    if (f.search) conds.push(hashExpr(eb, f.search));
    return eb.and(conds);
  };
}

/**
 * How many residents match scope, status and tag, from resident_stats: a sum over the scope's
 * org nodes (kept exact by triggers) instead of a count over every resident row.
 */
export async function countResidentsFromStats(
  db: Kysely<DB>,
  dialect: Dialect,
  f: Pick<ResidentFilter, 'path' | 'status' | 'tag'>,
): Promise<number> {
  const row = await db
    .selectFrom('resident_stats')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('n'), eb.lit(0)).as('n'))
    .where('org_id', 'in', orgSubtreeIds(db, dialect, f.path, { fence: true }))
    .where('status', '=', f.status)
    .where('tag', '=', f.tag ?? '')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many of the newest resident ids a page without filters is first looked for among (SQLite). */
const NEWEST_WINDOW = 2000;

/**
 * The highest resident id when the newest NEWEST_WINDOW ids likely hold `needed` residents of a
 * scope of `scopeTotal` (were the scope's residents spread evenly over the ids, with a margin),
 * else null. A small area's page is not looked for there (it rarely is there); a large area whose
 * residents all have old ids still pays for one walk that finds too few (bounded: 2,000 rowids).
 */
async function windowHoldsPage(db: Kysely<DB>, scopeTotal: number, needed: number): Promise<number | null> {
  if (scopeTotal < needed) return null;
  const top = Number((await db.selectFrom('residents').select((eb) => eb.fn.max('id').as('top')).executeTakeFirst())?.top ?? 0);
  return top > 0 && (scopeTotal * Math.min(NEWEST_WINDOW, top)) / top >= 1.5 * needed ? top : null;
}

/**
 * Ids of one page, newest first, for filters without text search. On (org_id, status, id) each
 * scope node contributes its newest rows in index order, so a page reads ~limit entries per node.
 * With a tag the page is driven by the tag index instead, newest first, checking each holder's
 * scope and status by primary key: it stops after `limit` hits however common or rare the tag.
 * (SQLite keeps the CROSS JOIN order; PostgreSQL plans it as an inner join from its statistics.)
 */
export async function findResidentIdPage(
  db: Kysely<DB>,
  dialect: Dialect,
  f: ResidentFilter,
  limit: number,
  offset: number,
  scopeTotal?: number,
): Promise<number[]> {
  if (f.tag) {
    const tagged = await db
      .selectFrom('resident_tags as t')
      .crossJoin('residents as r')
      .select('t.resident_id as id')
      .whereRef('r.id', '=', 't.resident_id')
      .where('t.tag', '=', f.tag)
      .where(filterExpr(db, dialect, f, { tag: false }))
      .orderBy('t.resident_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return tagged.map((r) => r.id);
  }
  const top = dialect === 'sqlite' && !f.search && !f.tag && scopeTotal !== undefined && offset + limit <= NEWEST_WINDOW ? await windowHoldsPage(db, scopeTotal, offset + limit) : null;
  if (top !== null) {
    // The newest residents first: walking back over the last NEWEST_WINDOW ids by rowid (no index:
    // NOT INDEXED) and testing each is cheaper than reading a page from every node of a large
    // area and sorting them. If the window holds the whole page, it is the page (every match
    // outside the window is older); otherwise the read below.
    const walked = await sql<{ id: number }>`select r.id from residents as r not indexed
      where r.id > ${top - NEWEST_WINDOW}
        and r.org_id in ${orgSubtreeIds(db, dialect, f.path)} and r.status = ${f.status}
      order by r.id desc limit ${limit} offset ${offset}`.execute(db);
    if (walked.rows.length === limit) return walked.rows.map((r) => r.id);
  }
  const rows = await db
    .selectFrom('residents as r')
    .select('r.id')
    .where(filterExpr(db, dialect, f))
    .orderBy('r.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => r.id);
}

/** Above every character: `prefix + TOP` bounds the strings that start with `prefix`. */
const TOP = '\u{10FFFF}';

/** The distinct two-character pieces of a search text, as the grams hold them. */
function textPieces(text: string): string[] {
  const chars = Array.from(text);
  return [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
}

/** Entries of a piece counted at most, when looking for the rarest piece of a search. */
const PIECE_COUNT_CAP = 20_000;

/** Searches of up to this many pieces choose their rarest piece inside the search's statement. */
const PIECES_IN_STATEMENT = 3;
/** A piece with at most this many entries is rare enough: the pieces after it are not counted. */
const RARE_ENOUGH = 100;

/**
 * The piece of a search with the fewest entries in the scope, as an expression the search
 * compares `g.gram` with. Its entries, each checked against the row, are the matches: "11幢" in a
 * community of 20,000 reads the 833 entries of "11" instead of grouping the 3,333 of "11" and
 * "1幢" (1.0 → 0.3 ms at the query). The first piece is counted up to PIECE_COUNT_CAP and every
 * later one only up to the fewest so far, so a frequent piece costs no more than the rarest before
 * it; ties go to the earlier piece. Up to PIECES_IN_STATEMENT pieces this happens inside the
 * search's statement, each later count capped by the first's (a chain capped by all the counts
 * before grows exponentially as SQLite expands it); longer texts count one statement per piece,
 * until one has at most RARE_ENOUGH entries.
 */
async function rarestPiece(db: Kysely<DB>, inScope: RawBuilder<unknown>, pieces: string[]): Promise<RawBuilder<string>> {
  const entries = (piece: string, cap: RawBuilder<unknown> | number) =>
    sql`(select count(*) from (select 1 from resident_grams g where ${inScope} and g.kind = 0 and g.gram = ${piece} limit ${cap}) as e)`;
  if (pieces.length === 1) return sql<string>`cast(${pieces[0]!} as text)`;
  if (pieces.length <= PIECES_IN_STATEMENT) {
    const ctes = pieces.map((piece, i) => sql`${sql.raw(`c${i}`)}(n) as ${sql.raw(i === 0 ? 'materialized ' : '')}(select ${entries(piece, i === 0 ? PIECE_COUNT_CAP : sql`(select n from c0)`)})`);
    const choices = pieces.map((piece, i) => sql`select ${sql.lit(i)} as i, cast(${piece} as text) as piece, (select n from ${sql.raw(`c${i}`)}) as n`);
    return sql<string>`(with ${sql.join(ctes)} select piece from (${sql.join(choices, sql` union all `)}) as p order by n, i limit 1)`;
  }
  let best = pieces[0]!;
  let fewest = PIECE_COUNT_CAP;
  for (const piece of pieces) {
    const n = Number((await sql<{ n: number }>`select ${entries(piece, fewest)} as n`.execute(db)).rows[0]!.n);
    if (n < fewest) {
      best = piece;
      fewest = n;
      if (n <= RARE_ENOUGH) break;
    }
  }
  return sql<string>`cast(${best} as text)`;
}

/**
 * The ids of every resident a text search matches, newest first: one statement written out (the
 * query builder cost a third of the search) gives every match (an id may repeat) in one value,
 * sorted and made unique here (in SQL a DISTINCT, a window count and a sort over all matches cost
 * more than the matching itself: a street's "王" on SQLite went from 1.1 to 0.5 ms). The candidates are read from the grams node
 * by node: one character, the pieces starting with it; two or more, the entries of the rarest
 * piece (rarestPiece), checked against the row from three characters on (both pieces of "村1幢"
 * are in "新村11幢"); a pinyin prefix adds its range. Grams carry the resident's node and status
 * (kept exact by triggers): the row is not asked again.
 */
async function textMatchIds(db: Kysely<DB>, dialect: Dialect, f: ResidentFilter, s: { text: string; pinyinPrefix: string | null }): Promise<number[]> {
  const inScope = sql`g.org_id in (select u.id from org_units u where u.path >= ${f.path} and u.path < ${`${f.path.slice(0, -1)}0`}) and g.status = ${f.status}`;
  const range = (kind: number, prefix: string) => sql`select g.resident_id as id from resident_grams g where ${inScope} and g.kind = ${sql.lit(kind)} and g.gram >= ${prefix} and g.gram < ${prefix + TOP}`;
  const chars = Array.from(s.text);
  let candidates =
    chars.length === 1
      ? range(0, s.text)
      : sql`select g.resident_id as id from resident_grams g where ${inScope} and g.kind = 0 and g.gram = ${await rarestPiece(db, inScope, textPieces(s.text))}`;
  if (s.pinyinPrefix) candidates = sql`${candidates} union all ${range(1, s.pinyinPrefix)}`;
  const checks = [];
  if (chars.length > 2) {
    // instr/strpos: a plain substring test, faster than LIKE and free of wildcard escaping; the
    // pinyin prefix is [a-z0-9]+ only, so it needs no escaping either.
    const contains = (col: string) => (dialect === 'postgres' ? sql`strpos(${sql.raw(col)}, ${s.text}) > 0` : sql`instr(${sql.raw(col)}, ${s.text}) > 0`);
    const pinyin = s.pinyinPrefix ? sql` or r.name_initials like ${`${s.pinyinPrefix}%`} or r.name_pinyin like ${`${s.pinyinPrefix}%`}` : sql``;
    checks.push(sql`(${contains('r.name')} or ${contains('r.address')}${pinyin})`);
  }
  if (f.tag) checks.push(sql`exists (select 1 from resident_tags t where t.resident_id = c.id and t.tag = ${f.tag})`);
  // SQLite: one JSON text; PostgreSQL: an int array (the driver gives a JS array).
  const aggregate = dialect === 'postgres' ? sql`coalesce(array_agg(c.id), '{}')` : sql`json_group_array(c.id)`;
  const q = checks.length
    ? sql<{ ids: string | number[] }>`select ${aggregate} as ids from (${candidates}) c cross join residents r where r.id = c.id and ${sql.join(checks, sql` and `)}`
    : sql<{ ids: string | number[] }>`select ${aggregate} as ids from (${candidates}) c`;
  const ids = (await q.execute(db)).rows[0]!.ids;
  const sorted = Float64Array.from(typeof ids === 'string' ? (JSON.parse(ids) as number[]) : ids).sort();
  const unique: number[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) if (i === sorted.length - 1 || sorted[i] !== sorted[i + 1]) unique.push(sorted[i]!);
  return unique;
}

/** The ids a filter without text search matches (a keyed-hash search is a condition on the row). */
function matchingIds(db: Kysely<DB>, dialect: Dialect, f: ResidentFilter): SelectQueryBuilder<any, any, { id: number }> {
  return db.selectFrom('residents as r').select('r.id').where(filterExpr(db, dialect, f));
}

/**
 * Ids of one page and the total number of matches, in one pass: every match's id from one
 * statement (text search), or a window count (search by keyed hash).
 */
export async function searchResidentIdPage(
  db: Kysely<DB>,
  dialect: Dialect,
  f: ResidentFilter,
  limit: number,
  offset: number,
): Promise<{ ids: number[]; total: number | null }> {
  const s = f.search;
  if (s?.kind === 'text') {
    const all = await textMatchIds(db, dialect, f, s);
    return { ids: all.slice(offset, offset + limit), total: all.length };
  }
  const rows = await db
    .selectFrom(matchingIds(db, dialect, f).as('m'))
    .select(['m.id', sql<number>`count(*) over ()`.as('total')])
    .orderBy('m.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  // A page past the end has no rows to carry the total: the caller counts then.
  return { ids: rows.map((r) => r.id), total: rows.length ? Number(rows[0]!.total) : null };
}

export async function countResidents(db: Kysely<DB>, dialect: Dialect, f: ResidentFilter): Promise<number> {
  if (f.search?.kind === 'text') return (await textMatchIds(db, dialect, f, f.search)).length;
  const row = await db
    .selectFrom(matchingIds(db, dialect, f).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ids per statement when the export reads a text search's rows. */
const EXPORT_ID_SLICE = 5000;

/** Rows for the spreadsheet export, newest first, at most `limit`. */
export async function findResidentViewsForExport(
  db: Kysely<DB>,
  dialect: Dialect,
  f: ResidentFilter,
  limit: number,
): Promise<ResidentViewRow[]> {
  if (f.search?.kind === 'text') {
    const ids = (await textMatchIds(db, dialect, f, f.search)).slice(0, limit);
    const rows: ResidentViewRow[] = [];
    // In slices: a statement takes a bounded number of parameters.
    for (let i = 0; i < ids.length; i += EXPORT_ID_SLICE) rows.push(...(await findResidentViewsByIds(db, ids.slice(i, i + EXPORT_ID_SLICE))));
    return rows;
  }
  const ids = db.selectFrom(matchingIds(db, dialect, f).as('m')).select('m.id').orderBy('m.id', 'desc').limit(limit);
  return viewQuery(db).where('r.id', 'in', ids).orderBy('r.id', 'desc').execute();
}

/** Inserts a resident and its tag index rows; returns the new id. */
export async function insertResident(trx: Transaction<DB>, row: NewResident, tags: readonly string[]): Promise<number> {
  const { id } = await trx.insertInto('residents').values(row).returning('id').executeTakeFirstOrThrow();
  await replaceResidentTags(trx, id, tags);
  return id;
}

/** Conditional update on (id, version); bumps the version. False when the version moved on. */
export async function updateResidentRow(
  trx: Transaction<DB>,
  id: number,
  version: number,
  set: ResidentUpdate,
): Promise<boolean> {
  const res = await trx
    .updateTable('residents')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Makes resident_tags hold exactly `tags` for the resident (mirror of residents.tags). */
export async function replaceResidentTags(trx: Transaction<DB>, residentId: number, tags: readonly string[]): Promise<void> {
  await trx.deleteFrom('resident_tags').where('resident_id', '=', residentId).execute();
  if (tags.length) {
    await trx
      .insertInto('resident_tags')
      .values([...new Set(tags)].map((tag) => ({ resident_id: residentId, tag })))
      .execute();
  }
}

/** Whether a unique index rejected the statement (SQLite and PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505';
}

/** Re-registers a household's members on the household's new org node; returns how many moved. */
export async function moveHouseholdMembers(trx: Transaction<DB>, householdId: number, orgId: number, now: string): Promise<number> {
  const res = await trx
    .updateTable('residents')
    .set((eb) => ({ org_id: orgId, updated_at: now, version: eb('version', '+', 1) }))
    .where('household_id', '=', householdId)
    .where('org_id', '<>', orgId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
