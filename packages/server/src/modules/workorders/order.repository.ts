import { sql, type ExpressionBuilder, type Kysely, type QueryCreator, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB, WorkOrderRow } from '../../db/schema.js';
import { orgSubtreeIds } from '../../db/subtree.js';
import { pathIds } from '../org/org.repository.js';
import { ftsMatch } from './order.fts.js';

/** An order with the names and paths its views and policies need. */
export type OrderRow = WorkOrderRow & {
  category_name: string;
  org_name: string;
  org_path: string;
  handler_org_name: string | null;
  handler_org_path: string | null;
};

function orderQuery(db: Kysely<DB>) {
  return db
    .selectFrom('work_orders as w')
    .innerJoin('order_categories as c', 'c.id', 'w.category_id')
    .innerJoin('org_units as o', 'o.id', 'w.org_id')
    .leftJoin('org_units as ho', 'ho.id', 'w.handler_org_id')
    .selectAll('w')
    .select(['c.name as category_name', 'o.name as org_name', 'o.path as org_path', 'ho.name as handler_org_name', 'ho.path as handler_org_path']);
}

export async function findOrder(db: Kysely<DB>, id: number): Promise<OrderRow | undefined> {
  return orderQuery(db).where('w.id', '=', id).executeTakeFirst() as Promise<OrderRow | undefined>;
}

export async function findOrderByNumber(db: Kysely<DB>, number: string): Promise<OrderRow | undefined> {
  return orderQuery(db).where('w.number', '=', number).executeTakeFirst() as Promise<OrderRow | undefined>;
}

export async function findOrdersByIds(db: Kysely<DB>, ids: number[]): Promise<OrderRow[]> {
  if (!ids.length) return [];
  return orderQuery(db).where('w.id', 'in', ids).orderBy('w.id', 'desc').execute() as Promise<OrderRow[]>;
}

export interface OrderFilter {
  /** The actor's area: orders placed in it or dispatched to a unit in it. */
  scopePath: string;
  /** The area is the whole (only) tree: every order is in it, no test needed. */
  wholeTree?: boolean;
  /**
   * PostgreSQL: find a page by walking the newest orders and probing each for the words, instead
   * of collecting the first word's matches: for a word in one order of a few, a page takes a few
   * hundred probes, where sorting its hundred thousand matches took long. Only for the whole tree
   * (no area test). SQLite's FTS5 index gives a word's matches newest first on its own.
   */
  walkNewest?: boolean;
  orgPath?: string;
  state?: string;
  states?: readonly string[];
  categoryId?: number;
  handlerOrgId?: number;
  channel?: string;
  createdBy?: number;
  mineOrgId?: number;
  from?: string;
  to?: string;
  overdueAt?: string;
  terms?: string[];
  number?: string;
}

/** The first index key after every path under `path` ("/1/4/" → "/1/40"). */
const pathEnd = (path: string) => `${path.slice(0, -1)}0`;

/**
 * SQLite: the orders of the area (or of the chosen node) with every word, from the FTS5 index
 * (order.fts.ts) — exactly the area's orders, so no further scope test is needed: placed in it
 * (one FTS5 query, the node's place token one of its words), or placed elsewhere and handled by a
 * unit of the area (that unit's orders from the (handler_org_id, org_id, id) index, each probed).
 */
function matchesInArea(qb: QueryCreator<DB>, f: OrderFilter, terms: string[]) {
  const nodeOf = (path: string) => {
    const id = pathIds(path).at(-1);
    // Never an area without its token (that would search the whole city).
    if (id === undefined || !Number.isInteger(id)) throw new Error(`order search: no org node in the path "${path}"`);
    return id;
  };
  const placedUnder = (path: string | undefined) =>
    qb
      .selectFrom('order_fts')
      .select('order_fts.rowid as order_id')
      .where(sql<boolean>`order_fts match ${ftsMatch(terms, path === undefined ? undefined : nodeOf(path))}`);
  // A chosen org node (inside the area) wants what is placed in it, nothing else.
  if (f.orgPath) return placedUnder(f.orgPath);
  if (f.wholeTree) return placedUnder(undefined);
  return placedUnder(f.scopePath).union(
    qb
      .selectFrom('org_units as u')
      .innerJoin('work_orders as h', 'h.handler_org_id', 'u.id')
      .select('h.id as order_id')
      .where('u.path', '>=', f.scopePath)
      .where('u.path', '<', pathEnd(f.scopePath))
      // Placed outside the area: a list of the area's nodes built once (with a Bloom filter), where
      // a lookup of each order's node cost a street's search 7.8 instead of 5.2 ms.
      .where('h.org_id', 'not in', orgSubtreeIds(qb, 'sqlite', f.scopePath))
      .where((e) => e.exists(e.selectFrom('order_fts').select('order_fts.rowid').where(sql<boolean>`order_fts match ${ftsMatch(terms)}`).whereRef('order_fts.rowid', '=', 'h.id'))),
  );
}

/**
 * PostgreSQL: the orders of the area whose text has the word — exactly the area's orders, so no
 * further scope test is needed: placed in the area (one index range of (term, org_id) per org node
 * of it), or placed elsewhere and handled by a unit of the area (that unit's orders from the
 * (handler_org_id, org_id, id) index, each probed for the word).
 */
function wordInArea(qb: QueryCreator<DB>, f: OrderFilter, term: string) {
  const onlyTerm = qb.selectFrom('order_terms as t').select('t.order_id').where('t.term', '=', term);
  if (f.wholeTree && !f.orgPath) return onlyTerm;
  const placedIn = (path: string) =>
    qb
      .selectFrom('org_units as a')
      .crossJoin('order_terms as t')
      .select('t.order_id')
      .where('a.path', '>=', path)
      .where('a.path', '<', pathEnd(path))
      .where('t.term', '=', term)
      .whereRef('t.org_id', '=', 'a.id');
  if (f.orgPath) return placedIn(f.orgPath);
  const hasWord = (e: ExpressionBuilder<DB & { h: DB['work_orders'] }, 'h'>) =>
    e.selectFrom('order_terms as ht').select('ht.order_id').where('ht.term', '=', term).whereRef('ht.org_id', '=', 'h.org_id').whereRef('ht.order_id', '=', 'h.id');
  // The area's units as one array, so that the planner reads the units' index entries instead of
  // hashing every order; then, on the index entries alone, those placed outside the area (a hashed
  // NOT IN) and, of those only, each probed for the word (OFFSET keeps the probe a probe: as a join
  // it hashed the word's every match in the city, 90 of a street's 100 ms).
  return placedIn(f.scopePath).union(
    qb
      .selectFrom('work_orders as h')
      .select('h.id as order_id')
      .where(sql<boolean>`h.handler_org_id = any(array(select u.id from org_units u where u.path >= ${f.scopePath} and u.path < ${pathEnd(f.scopePath)}))`)
      .where(sql<boolean>`h.org_id not in (select p.id from org_units p where p.path >= ${f.scopePath} and p.path < ${pathEnd(f.scopePath)})`)
      .where((e) => e.exists(hasWord(e).offset(0))),
  );
}

function filtered(db: Kysely<DB>, dialect: Dialect, f: OrderFilter) {
  const terms = f.terms?.length ? f.terms : undefined;
  // With words, the candidates are the words' matches in the area. SQLite: all the words in one
  // FTS5 query, `id in (…)`, newest first. PostgreSQL: the first word's matches, computed first (a
  // materialised CTE; it would otherwise walk the newest orders one by one hoping to meet a match
  // soon, which takes seconds for a rare word), each further word a key probe per candidate.
  const first = dialect === 'postgres' && !f.walkNewest ? terms?.[0] : undefined;
  const candidates = dialect === 'sqlite' ? terms : first;
  const from = !candidates
    ? db.selectFrom('work_orders as w')
    : dialect === 'sqlite'
      ? db.selectFrom('work_orders as w').where('w.id', 'in', matchesInArea(db, f, terms!))
      : (db
        .with((cte) => cte('m').materialized(), (qb) => wordInArea(qb, f, first!))
        .selectFrom('work_orders as w')
        .innerJoin('m', 'm.order_id', 'w.id') as unknown as SelectQueryBuilder<DB & { w: DB['work_orders'] }, 'w', {}>);
  return from.where((eb) => {
    // The words' candidates are already exactly the area's (or the chosen node's) orders.
    const conds =
      f.wholeTree || candidates
        ? []
        : [
            eb.or([
              eb('w.org_id', 'in', orgSubtreeIds(db, dialect, f.scopePath)),
              eb('w.handler_org_id', 'in', orgSubtreeIds(db, dialect, f.scopePath)),
            ]),
          ];
    if (f.orgPath && !candidates) conds.push(eb('w.org_id', 'in', orgSubtreeIds(db, dialect, f.orgPath)));
    if (f.state) conds.push(eb('w.status', '=', f.state));
    if (f.states) conds.push(eb('w.status', 'in', f.states));
    if (f.categoryId !== undefined) {
      conds.push(
        eb.or([
          eb('w.category_id', '=', f.categoryId),
          eb('w.category_id', 'in', eb.selectFrom('order_categories').select('id').where('parent_id', '=', f.categoryId)),
        ]),
      );
    }
    if (f.handlerOrgId !== undefined) conds.push(eb('w.handler_org_id', '=', f.handlerOrgId));
    if (f.channel) conds.push(eb('w.channel', '=', f.channel));
    if (f.createdBy !== undefined && f.mineOrgId !== undefined) {
      conds.push(
        eb.or([
          eb('w.created_by', '=', f.createdBy),
          eb.and([eb('w.handler_org_id', '=', f.mineOrgId), eb('w.status', 'in', ['dispatched', 'in_progress'])]),
        ]),
      );
    }
    if (f.from) conds.push(eb('w.created_at', '>=', f.from));
    if (f.to) conds.push(eb('w.created_at', '<', f.to));
    if (f.overdueAt) {
      const at = f.overdueAt;
      conds.push(
        eb.or([
          eb.and([eb('w.status', '=', 'dispatched'), eb('w.sign_due_at', '<', at)]),
          eb.and([eb('w.status', 'in', ['dispatched', 'in_progress']), eb('w.handle_due_at', '<', at)]),
        ]),
      );
    }
    if (f.number) conds.push(eb.or([eb('w.number', '=', f.number), eb('w.hotline_number', '=', f.number)]));
    // PostgreSQL, every further word: a key probe per candidate (the first word chose the candidates).
    if (dialect === 'postgres') {
      for (const term of (f.walkNewest ? terms : terms?.slice(1)) ?? []) {
        const probe = eb.selectFrom('order_terms as t2').select('t2.order_id').where('t2.term', '=', term).where('t2.org_id', '=', eb.ref('w.org_id')).where('t2.order_id', '=', eb.ref('w.id'));
        // EXISTS becomes a join, which for a walk meant hashing the word's every match (1.6 s for a
        // common word); a subquery with OFFSET is not pulled up, so it stays a probe per order, and
        // the walk stops at the page (1.5 ms).
        conds.push(eb.exists(f.walkNewest ? probe.offset(0) : probe));
      }
    }
    return eb.and(conds);
  });
}

/**
 * Words in an area (or a chosen node) and no other filter: the words' matches there are exactly
 * the orders wanted, so a page and the count come from them without visiting each order. SQLite:
 * any number of words (one FTS5 query: a street's "垃圾" is its place token's and the word's
 * entries merged). PostgreSQL: one word. Joined back to the orders, its planner walked the newest
 * orders until it met a page of a rare word's matches (140,000 index entries, 46 ms) and counted a
 * street's "垃圾" by visiting each of its 4,088 orders (29 ms; 12 ms without).
 */
function onlyWords(dialect: Dialect, f: OrderFilter): string[] | undefined {
  const { scopePath: _s, wholeTree: _t, walkNewest, terms, orgPath: _o, ...others } = f;
  if (!terms?.length || walkNewest || !Object.values(others).every((v) => v === undefined)) return undefined;
  return dialect === 'sqlite' || terms.length === 1 ? terms : undefined;
}

/** The orders of the area with the words, as a query of order_id. */
function wordsInArea(qb: QueryCreator<DB>, dialect: Dialect, f: OrderFilter, terms: string[]) {
  return dialect === 'sqlite' ? matchesInArea(qb, f, terms) : wordInArea(qb, f, terms[0]!);
}

export async function findOrderIdPage(db: Kysely<DB>, dialect: Dialect, f: OrderFilter, limit: number, offset: number) {
  const words = onlyWords(dialect, f);
  if (words) {
    // PostgreSQL, materialised: left to plan a word's matches over the whole tree, it walked the
    // order_id index backwards visiting rows to test the word (17 ms for a rare one, where
    // collecting takes 3). SQLite: FTS5 reads a query's matches newest first and stops at the page.
    const page = await (dialect === 'postgres'
      ? db.with((cte) => cte('m').materialized(), (qb) => wordsInArea(qb, dialect, f, words)).selectFrom('m')
      : db.selectFrom(wordsInArea(db, dialect, f, words).as('m'))
    )
      .select('m.order_id')
      .orderBy('m.order_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return page.map((r) => r.order_id);
  }
  const rows = await filtered(db, dialect, f).select('w.id').orderBy('w.id', 'desc').limit(limit).offset(offset).execute();
  return rows.map((r) => r.id);
}

/** The highest order id: how many orders there are, near enough, read from the key alone. */
export async function topOrderId(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('work_orders').select((eb) => eb.fn.max('id').as('top')).executeTakeFirst();
  return Number(r?.top ?? 0);
}

export async function countOrders(db: Kysely<DB>, dialect: Dialect, f: OrderFilter): Promise<number> {
  // PostgreSQL, words over the whole tree and nothing else: the term index alone is the answer (a
  // frequent word has a hundred thousand matches in a million orders; visiting each order would
  // take long). Further words: a key probe of the term index per entry of the first, never
  // visiting an order (PostgreSQL merges the two words' index entries: 29,025 of 87,404 in 43 ms).
  const { scopePath: _s, wholeTree, walkNewest: _w, terms, ...others } = f;
  if (dialect === 'postgres' && wholeTree && terms?.length && Object.values(others).every((v) => v === undefined)) {
    const r = await db
      .selectFrom('order_terms as t')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('t.term', '=', terms[0]!)
      .where((eb) =>
        eb.and(
          terms
            .slice(1)
            .map((term) =>
              eb.exists(eb.selectFrom('order_terms as t2').select('t2.order_id').where('t2.term', '=', term).whereRef('t2.org_id', '=', 't.org_id').whereRef('t2.order_id', '=', 't.order_id')),
            ),
        ),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  const words = onlyWords(dialect, f);
  if (words) {
    const r = await db
      .selectFrom(wordsInArea(db, dialect, f, words).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  const r = await filtered(db, dialect, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findEvents(db: Kysely<DB>, orderId: number) {
  return db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

export async function findItems(db: Kysely<DB>, orderId: number) {
  return db
    .selectFrom('order_items as i')
    .leftJoin('org_units as o', 'o.id', 'i.owner_org_id')
    .selectAll('i')
    .select('o.name as owner_org_name')
    .where('i.order_id', '=', orderId)
    .orderBy('i.id')
    .execute();
}

export async function findAttachmentMeta(db: Kysely<DB>, orderId: number) {
  return db
    .selectFrom('order_attachments')
    .select(['id', 'event_id', 'item_id', 'name', 'mime', 'size'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

export async function findAttachment(db: Kysely<DB>, id: number) {
  return db.selectFrom('order_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMergedIds(db: Kysely<DB>, orderId: number): Promise<number[]> {
  const rows = await db.selectFrom('work_orders').select('id').where('merged_into_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function insertEvent(
  trx: Transaction<DB>,
  e: { orderId: number; action: string; from: string | null; to: string | null; actorId: number | null; actorName: string; note?: string | null; data?: unknown; at: string },
): Promise<number> {
  const r = await trx
    .insertInto('order_events')
    .values({
      order_id: e.orderId,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actorId,
      actor_name: e.actorName,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
      created_at: e.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Whether the node at `path` is the root of the only org tree (so it holds every order). */
export async function isWholeTree(db: Kysely<DB>, path: string): Promise<boolean> {
  if (!/^\/\d+\/$/.test(path)) return false;
  const r = await db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n) === 1;
}

/** Accounts bound to exactly this org node with one of the roles. */
export async function accountsAt(db: Kysely<DB>, orgId: number, roles: readonly string[]): Promise<number[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', 'in', roles)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Staff of the community (or street) above a place: whoever accepts and verifies its orders. */
export async function dispatchersOf(db: Kysely<DB>, orgPath: string): Promise<number[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('org_id', 'in', pathIds(orgPath))
    .where('role', '=', 'community_staff')
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Open orders of a category at a household or within a box around a point, for duplicate hints. */
export async function findDuplicateCandidates(
  db: Kysely<DB>,
  q: { categoryId: number; householdId?: number; box?: [number, number, number, number]; excludeId?: number; scopePath: string; dialect: Dialect },
) {
  let query = orderQuery(db)
    .where('w.category_id', '=', q.categoryId)
    .where('w.status', 'in', ['submitted', 'accepted', 'dispatched', 'in_progress', 'replied'])
    .where('w.org_id', 'in', orgSubtreeIds(db, q.dialect, q.scopePath));
  if (q.excludeId !== undefined) query = query.where('w.id', '<>', q.excludeId);
  query = query.where((eb) => {
    const ors = [];
    if (q.householdId !== undefined) ors.push(eb('w.household_id', '=', q.householdId));
    if (q.box) {
      ors.push(
        eb.and([eb('w.lng', '>=', q.box[0]), eb('w.lng', '<=', q.box[2]), eb('w.lat', '>=', q.box[1]), eb('w.lat', '<=', q.box[3])]),
      );
    }
    return ors.length ? eb.or(ors) : eb.val(false);
  });
  return query.orderBy('w.id', 'desc').limit(50).execute() as Promise<OrderRow[]>;
}

/** The order number: HT, the Beijing date of intake, and the id (unique without a counter to race on). */
export function orderNumber(day: string, id: number): string {
  return `HT${day.replaceAll('-', '')}${String(id).padStart(6, '0')}`;
}
