import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { orgSubtreeIds } from '../../db/subtree.js';
import { documentTerms } from '../../lib/segment.js';

/**
 * SQLite keeps the orders' search terms in an FTS5 index (order_fts, migration 017), PostgreSQL in
 * the order_terms table. One document per order, its rowid the order's id: the order's jieba terms
 * and a token for its place and for every node above it (ORG_TOKEN + id), so that "these words in
 * this street" is one FTS5 query. Contentless (the text lives in work_orders), detail=none (no
 * positions: every query is words that must all be present), deletable (an org node that moves
 * takes its orders' documents with it, see reindexOrdersPlacedIn).
 *
 * Why not a B-tree of (term, org_id, order_id) as on PostgreSQL: each of an order's twenty-odd
 * terms lands on a page of its own, and a transaction writes every page it touched whole; intake
 * spent most of its time writing those pages. FTS5 buffers a transaction's terms and writes them
 * as one small segment, merging segments later in large sequential runs (bench/term-index.bench.ts:
 * 7–9 µs an order against 70–150 µs).
 *
 * The tokenizer (unicode61, every letter, number, mark, punctuation, symbol and private-use
 * character a token character, diacritics kept) splits a document only at spaces, so a jieba term
 * such as "c++" or "3.5" is one token. A term with a space or control character inside (jieba
 * never gives one, but nothing forbids it) is split into its pieces on both sides alike.
 */

/** The first character of a place token: private use, never part of an indexed term. */
export const ORG_TOKEN = '\uE000';

const SEPARATORS = /[^\p{L}\p{N}\p{M}\p{P}\p{S}\p{Co}]+/u;

/** The pieces the tokenizer makes of a term (almost always the term itself). */
function pieces(term: string): string[] {
  return term.split(SEPARATORS).filter((p) => p !== '');
}

/** The terms part of an order's document: its terms as the index will see them, place tokens aside. */
export function documentText(terms: readonly string[]): string {
  const out: string[] = [];
  for (const t of terms) for (const p of pieces(t)) if (!p.includes(ORG_TOKEN)) out.push(p);
  return out.join(' ');
}

/** A query that matches no document: a bare place prefix is never a token. */
const NOTHING = `"${ORG_TOKEN}"`;

/**
 * The FTS5 query for orders with every term, placed under the node `orgId` when given: each piece a
 * quoted string (a quote doubled inside), all of them required.
 */
export function ftsMatch(terms: readonly string[], orgId?: number): string {
  const parts: string[] = [];
  for (const t of terms) {
    for (const p of pieces(t)) {
      if (p.includes(ORG_TOKEN)) return NOTHING;
      parts.push(`"${p.replaceAll('"', '""')}"`);
    }
  }
  if (orgId !== undefined) parts.push(`"${ORG_TOKEN}${orgId}"`);
  return parts.length ? parts.join(' ') : NOTHING;
}

/**
 * SQL of the place tokens of the org node `o` (an org_units row): "/1/4/77/" gives
 * "\uE0001 \uE0004 \uE00077". Built in SQL from the row read in the writing transaction, so that a
 * node moved meanwhile cannot leave an order with its old ancestors.
 */
export const PLACE_TOKENS_SQL = `char(57344) || replace(substr(o.path, 2, length(o.path) - 2), '/', ' ' || char(57344))`;

/** One order's search terms and its place. */
export interface OrderTerms {
  orderId: number;
  orgId: number;
  terms: readonly string[];
}

/** Rows per statement: one JSON parameter each on SQLite, three arrays on PostgreSQL. */
const CHUNK = 5_000;

/**
 * Writes orders' search terms in the caller's transaction: SQLite, one document per order (its
 * terms, then its place tokens read from org_units); PostgreSQL, a row of order_terms per term.
 */
export async function writeOrderTerms(trx: Kysely<DB> | Transaction<DB>, dialect: Dialect, orders: readonly OrderTerms[]): Promise<void> {
  for (let i = 0; i < orders.length; i += CHUNK) {
    const chunk = orders.slice(i, i + CHUNK);
    if (dialect === 'sqlite') {
      const docs = JSON.stringify(chunk.map((o) => [o.orderId, documentText(o.terms), o.orgId]));
      await sql`insert into order_fts (rowid, doc)
        select d.value ->> 0, (d.value ->> 1) || ' ' || (select ${sql.raw(PLACE_TOKENS_SQL)} from org_units o where o.id = d.value ->> 2)
        from json_each(${docs}) d`.execute(trx);
    } else {
      const term: string[] = [];
      const org: number[] = [];
      const order: number[] = [];
      for (const o of chunk) for (const t of new Set(o.terms)) (term.push(t), org.push(o.orgId), order.push(o.orderId));
      if (!term.length) continue;
      await sql`insert into order_terms (term, org_id, order_id) select * from unnest(${term}::text[], ${org}::int[], ${order}::int[])`.execute(trx);
    }
  }
}

/** The title of a resident's report: the first 30 characters of its description (never half an emoji). */
export function reportTitle(description: string): string {
  return Array.from(description).slice(0, 30).join('');
}

/**
 * The text an order's terms come from, at intake and whenever they are computed again: its title
 * and description, or the description alone when the title is the report's own cut of it
 * (reportTitle: it may end inside a word). Only that exact cut: a staff title that merely begins
 * the description ("路面" over "路面积水严重") has words of its own that jieba may not find there.
 */
export function searchableText(o: { title: string; description: string }): string {
  return o.title === reportTitle(o.description) ? o.description : `${o.title} ${o.description}`;
}

/** An order's place and the text its terms come from. */
export interface OrderText {
  id: number;
  org_id: number;
  title: string;
  description: string;
}

/**
 * SQLite: the orders' documents written again, their terms computed from their text as intake
 * does today and their place tokens from their node's present path (a contentless document
 * cannot be edited in place: deleted, then written).
 */
export async function rewriteOrderDocuments(trx: Kysely<DB> | Transaction<DB>, orders: readonly OrderText[]): Promise<void> {
  const ids = JSON.stringify(orders.map((r) => r.id));
  await sql`delete from order_fts where rowid in (select value from json_each(${ids}))`.execute(trx);
  await writeOrderTerms(
    trx,
    'sqlite',
    orders.map((r) => ({ orderId: r.id, orgId: r.org_id, terms: documentTerms(searchableText(r)) })),
  );
}

/**
 * SQLite: after the subtree at `path` moved, its orders' documents are written again with their new
 * ancestors (a contentless index cannot be edited in place; the terms come from the orders' text,
 * segmented as intake does today). In the moving transaction, which holds the database meanwhile:
 * 45–60 µs an order (bench/order-reindex.bench.ts). PostgreSQL's terms carry only the place's own id, which
 * a move does not change.
 */
export async function reindexOrdersPlacedIn(trx: Transaction<DB>, dialect: Dialect, path: string): Promise<number> {
  if (dialect !== 'sqlite') return 0;
  // Node by node through the (org_id, created_at) index, which ends with the id: pages in its
  // order, so that at most two chunks of orders are held whatever a node holds.
  const nodes = (await orgSubtreeIds(trx, dialect, path).execute()).map((n) => n.id);
  let total = 0;
  let rows: OrderText[] = [];
  const flush = async () => {
    await rewriteOrderDocuments(trx, rows);
    total += rows.length;
    rows = [];
  };
  for (const node of nodes) {
    let after: { created_at: string; id: number } | undefined;
    for (;;) {
      const from = after;
      const page = await trx
        .selectFrom('work_orders')
        .select(['id', 'org_id', 'title', 'description', 'created_at'])
        .where('org_id', '=', node)
        .$if(from !== undefined, (q) => q.where(sql<boolean>`(created_at, id) > (${from!.created_at}, ${from!.id})`))
        .orderBy('created_at')
        .orderBy('id')
        .limit(CHUNK)
        .execute();
      for (const r of page) {
        rows.push(r);
        if (rows.length >= CHUNK) await flush();
      }
      if (page.length < CHUNK) break;
      after = page.at(-1)!;
    }
  }
  if (rows.length) await flush();
  return total;
}

/**
 * What the index holds for one order: its terms, and (SQLite) the org nodes its place tokens name,
 * or (PostgreSQL) the place stored with its terms. Reads the whole index on SQLite (fts5vocab):
 * for tests and inspection, not for requests.
 */
export async function indexedTerms(db: Kysely<DB>, dialect: Dialect, orderId: number): Promise<{ terms: string[]; places: number[] }> {
  if (dialect === 'postgres') {
    const rows = await db.selectFrom('order_terms').select(['term', 'org_id']).where('order_id', '=', orderId).execute();
    return { terms: rows.map((r) => r.term).sort(), places: [...new Set(rows.map((r) => r.org_id))] };
  }
  await sql`create virtual table if not exists temp.order_fts_entries using fts5vocab(main, order_fts, 'instance')`.execute(db);
  const { rows } = await sql<{ term: string }>`select term from temp.order_fts_entries where doc = ${orderId}`.execute(db);
  const tokens = rows.map((r) => r.term);
  return {
    terms: tokens.filter((t) => !t.startsWith(ORG_TOKEN)).sort(),
    places: tokens.filter((t) => t.startsWith(ORG_TOKEN)).map((t) => Number(t.slice(1))).sort((a, b) => a - b),
  };
}
