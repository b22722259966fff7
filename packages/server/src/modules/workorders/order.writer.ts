import { CompiledQuery, sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { nameStatement, type Dialect } from '../../db/database.js';
import type { DB, WorkOrderRow, WorkOrdersTable } from '../../db/schema.js';
import { beijingDate } from '../../lib/working-time.js';
import { AppError } from '../../lib/errors.js';
import type { DecodedPhoto } from './order.photos.js';
import { writeOrderTerms } from './order.fts.js';
import { orderNumber } from './order.repository.js';

/** What intake decided about a new order; the writer adds id, number and timestamps. */
export type NewOrderValues = Omit<Insertable<WorkOrdersTable>, 'id' | 'number' | 'created_at' | 'updated_at'>;

export interface NewOrder {
  values: NewOrderValues;
  at: string;
  actor: { id: number | null; name: string };
  events: { action: string; from: string | null; to: string; note?: string | null; data?: unknown }[];
  photos: DecodedPhoto[];
  items: { title: string; ownerOrgId?: number | null; ownerName?: string | null; dueDate?: string | null }[];
  terms: string[];
  /**
   * Further writes of this order in the same transaction (e.g. notifications), with `trx` only: if
   * another order of the set breaks a rule, the set is written again and this runs again.
   */
  after?: (trx: Transaction<DB>, written: WrittenOrder) => Promise<void>;
}

/** The order as written, with the ids of everything written along with it. */
export interface WrittenOrder {
  id: number;
  number: string;
  /** The order's row exactly as stored (every column). */
  row: WorkOrderRow;
  events: { id: number; action: string; from_status: string | null; to_status: string; actor_name: string; note: string | null; data: string | null; created_at: string }[];
  items: { id: number; title: string; owner_org_id: number | null; owner_name: string | null; due_date: string | null }[];
  attachments: { id: number; name: string; mime: string; size: number; event_id: number | null }[];
}

/**
 * Every column of a new order: what intake decided, else the column's default. Written out as one
 * object literal (one fixed shape): copying a defaults object and assigning keys one by one cost
 * some 20 µs an order.
 */
function fullRow(v: NewOrderValues, id: number, at: string): WorkOrderRow {
  return {
    id,
    number: orderNumber(beijingDate(Date.parse(at)), id),
    hotline_number: v.hotline_number ?? null,
    channel: v.channel,
    category_id: v.category_id,
    urgency: v.urgency,
    title: v.title,
    description: v.description,
    original_description: v.original_description,
    org_id: v.org_id,
    household_id: v.household_id ?? null,
    lng: v.lng ?? null,
    lat: v.lat ?? null,
    address: v.address ?? null,
    reporter_resident_id: v.reporter_resident_id ?? null,
    reporter_account_id: v.reporter_account_id ?? null,
    reporter_name: v.reporter_name ?? null,
    reporter_phone_enc: v.reporter_phone_enc ?? null,
    reporter_phone_hash: v.reporter_phone_hash ?? null,
    reporter_phone_masked: v.reporter_phone_masked ?? null,
    anonymous: v.anonymous ?? 0,
    access_code_hash: v.access_code_hash ?? null,
    handler_org_id: v.handler_org_id ?? null,
    created_by: v.created_by ?? null,
    status: v.status,
    merged_into_id: v.merged_into_id ?? null,
    praise: v.praise ?? 0,
    praised_person: v.praised_person ?? null,
    praised_org_id: v.praised_org_id ?? null,
    on_the_spot: v.on_the_spot ?? 0,
    satisfaction: v.satisfaction ?? null,
    reopen_count: v.reopen_count ?? 0,
    return_count: v.return_count ?? 0,
    send_back_count: v.send_back_count ?? 0,
    extension_days: v.extension_days ?? 0,
    pending_extension_days: v.pending_extension_days ?? null,
    pending_extension_note: v.pending_extension_note ?? null,
    supervised: v.supervised ?? 0,
    items_open: v.items_open ?? 0,
    sign_due_at: v.sign_due_at ?? null,
    handle_due_at: v.handle_due_at ?? null,
    accepted_at: v.accepted_at ?? null,
    dispatched_at: v.dispatched_at ?? null,
    signed_at: v.signed_at ?? null,
    replied_at: v.replied_at ?? null,
    closed_at: v.closed_at ?? null,
    evaluated_at: v.evaluated_at ?? null,
    closed_on_time: v.closed_on_time ?? null,
    handling_work_hours: v.handling_work_hours ?? null,
    version: v.version ?? 1,
    created_at: at,
    updated_at: at,
    client_request_id: v.client_request_id ?? null,
  };
}

type IdTable = 'work_orders' | 'order_events' | 'order_items';

/**
 * Fresh ids of each table. SQLite: taken inside the writing transaction, which holds the write
 * lock (BEGIN IMMEDIATE), so the ids above a table's AUTOINCREMENT high-water mark are ours;
 * inserting them moves the mark. PostgreSQL: the serials' sequences hand them out (outside any
 * transaction's reach), all three sets in one round trip.
 */
async function allocateIds(trx: Kysely<DB> | Transaction<DB>, dialect: Dialect, counts: Record<IdTable, number>): Promise<Record<IdTable, number[]>> {
  const tables = Object.keys(counts) as IdTable[];
  if (dialect === 'postgres') {
    const sets = tables.map(
      (t) => sql`array(select nextval(pg_get_serial_sequence(${t}, 'id'))::int from generate_series(1, ${counts[t]}::int))`.as(t),
    );
    const q = sql<Record<IdTable, number[]>>`select ${sql.join(sets)}`.compile(trx);
    nameStatement(q.sql);
    const r = await trx.executeQuery(q);
    return Object.fromEntries(tables.map((t) => [t, r.rows[0]![t].map(Number)])) as Record<IdTable, number[]>;
  }
  const out = {} as Record<IdTable, number[]>;
  for (const t of tables) {
    if (counts[t] === 0) {
      out[t] = [];
      continue;
    }
    const r = await sql<{ top: number }>`select max(coalesce((select seq from sqlite_sequence where name = ${t}), 0), coalesce((select max(id) from ${sql.table(t)}), 0)) as top`.execute(trx);
    const top = Number(r.rows[0]!.top);
    out[t] = Array.from({ length: counts[t] }, (_, i) => top + 1 + i);
  }
  return out;
}

/** Bound parameters per multi-row INSERT: well inside SQLite's limit. */
const CHUNK_PARAMS = 30_000;

/** Statement texts of multi-row INSERTs by head and row count, built once (they run to 10 kB). */
const insertTexts = new Map<string, string>();

/**
 * SQLite: multi-row INSERTs written out directly (Kysely's builder costs more than the insert
 * itself at this rate). The rows of a table are built by one object literal (prepareOrders), so
 * they share their keys in one order: the first row's keys are the columns and every row's values
 * come in that order. Chunks hold a power of two of rows (13 rows: 8 + 4 + 1), so that the
 * statement texts repeat and the prepared statements are reused; the same text object each time
 * also spares hashing it again in the statement cache.
 */
async function insertRows(trx: Transaction<DB>, table: keyof DB, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  const width = columns.length;
  const head = `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const cap = Math.max(1, Math.floor(CHUNK_PARAMS / width));
  for (let i = 0; i < rows.length; ) {
    let n = 1;
    while (n * 2 <= Math.min(cap, rows.length - i)) n *= 2;
    const key = `${head}${n}`;
    let text = insertTexts.get(key);
    if (text === undefined) {
      text = head + Array<string>(n).fill(`(${columns.map(() => '?').join(', ')})`).join(', ');
      insertTexts.set(key, text);
    }
    const params = new Array<unknown>(n * width);
    let k = 0;
    for (let r = i; r < i + n; r++) {
      const values = Object.values(rows[r]!);
      if (values.length !== width) throw new Error(`insertRows(${table}): rows of different shapes`);
      for (let c = 0; c < width; c++) params[k++] = values[c] ?? null;
    }
    await trx.executeQuery(CompiledQuery.raw(text, params));
    i += n;
  }
}

/**
 * Half of a surrogate pair (text cut inside an emoji, or sent so) becomes U+FFFD, in place, as the
 * databases store it: in JSON it would be a `\ud83d` escape that PostgreSQL's parser refuses,
 * failing every order of the group, and the answer must show what was stored.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function wellFormedText(s: string): string {
  const out = LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
  LONE_SURROGATE.lastIndex = 0;
  return out;
}
function wellFormed<T extends object>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'string') {
      const w = wellFormedText(v);
      if (w !== v) r[k] = w;
    }
  }
  return row;
}

/** The rows of one table of a set of new orders. */
type TableRows = [table: IdTable | 'order_terms', rows: Record<string, unknown>[]];

/**
 * Ids and rows of new orders with their timeline, checklist and search terms: ids taken up front
 * (one round trip), rows built here. What is written is exactly what the answer shows.
 */
async function prepareOrders(db: Kysely<DB> | Transaction<DB>, dialect: Dialect, specs: NewOrder[]): Promise<{ written: WrittenOrder[]; tables: TableRows[] }> {
  const allocated = await allocateIds(db, dialect, {
    work_orders: specs.length,
    order_events: specs.reduce((n, s) => n + s.events.length, 0),
    order_items: specs.reduce((n, s) => n + s.items.length, 0),
  });
  const ids = allocated.work_orders;
  const eventIds = allocated.order_events;
  const itemIds = allocated.order_items;
  let e = 0;
  let it = 0;
  const written: WrittenOrder[] = specs.map((s, i) => {
    const row = wellFormed(fullRow(s.values, ids[i]!, s.at));
    return {
      id: row.id,
      number: row.number,
      row,
      events: s.events.map((ev) => wellFormed({
        id: eventIds[e++]!,
        action: ev.action,
        from_status: ev.from,
        to_status: ev.to,
        actor_name: s.actor.name,
        note: ev.note ?? null,
        data: ev.data === undefined ? null : JSON.stringify(ev.data),
        created_at: s.at,
      })),
      items: s.items.map((item) => wellFormed({ id: itemIds[it++]!, title: item.title, owner_org_id: item.ownerOrgId ?? null, owner_name: item.ownerName ?? null, due_date: item.dueDate ?? null })),
      attachments: [],
    };
  });
  const tables: TableRows[] = [
    ['work_orders', written.map((w) => w.row)],
    [
      'order_events',
      written.flatMap((w, i) =>
        w.events.map((ev) => ({
          id: ev.id,
          order_id: w.id,
          action: ev.action,
          from_status: ev.from_status,
          to_status: ev.to_status,
          actor_id: specs[i]!.actor.id,
          actor_name: ev.actor_name,
          note: ev.note,
          data: ev.data,
          created_at: ev.created_at,
        })),
      ),
    ],
    [
      'order_items',
      written.flatMap((w, i) =>
        w.items.map((item) => ({
          id: item.id,
          order_id: w.id,
          title: item.title,
          owner_org_id: item.owner_org_id,
          owner_name: item.owner_name,
          due_date: item.due_date,
          created_at: specs[i]!.at,
          updated_at: specs[i]!.at,
        })),
      ),
    ],
  ];
  // PostgreSQL's terms are rows of order_terms, written with the rest in one statement; SQLite's
  // are documents of its FTS5 index (writeOrderTerms).
  if (dialect === 'postgres') {
    tables.push(['order_terms', written.flatMap((w, i) => specs[i]!.terms.map((term) => wellFormed({ term, org_id: w.row.org_id, order_id: w.id })))]);
  }
  return { written, tables };
}

/**
 * PostgreSQL: the rows of every table in one statement, each table's rows as one JSON parameter
 * (`json_populate_recordset` over the table's own row type gives each value its column's type).
 * One round trip and one short statement text whatever the number of orders, where multi-row
 * VALUES lists cost a round trip per table and a parse of thousands of placeholders. A single
 * statement is atomic on its own: it needs no transaction around it.
 */
function insertAllStatement(tables: TableRows[]): CompiledQuery {
  const params: string[] = [];
  const inserts: string[] = [];
  for (const [table, rows] of tables) {
    if (!rows.length) continue;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].map((c) => `"${c}"`).join(', ');
    params.push(JSON.stringify(rows));
    inserts.push(`insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, $${params.length}::json)`);
  }
  const ctes = inserts.slice(0, -1).map((q, i) => `w${i} as (${q})`);
  const text = (ctes.length ? `with ${ctes.join(', ')} ` : '') + inserts.at(-1)!;
  // A handful of texts (which of the tables have rows): each parsed once per connection.
  nameStatement(text);
  return CompiledQuery.raw(text, params);
}

/**
 * Writes new orders with their timeline, checklist, photos and search terms in the caller's
 * transaction: a few multi-row statements for the whole set (one on PostgreSQL), then the photos
 * and the `after` hooks.
 */
export async function insertOrders(trx: Transaction<DB>, dialect: Dialect, specs: NewOrder[]): Promise<WrittenOrder[]> {
  const { written, tables } = await prepareOrders(trx, dialect, specs);
  if (dialect === 'postgres') await trx.executeQuery(insertAllStatement(tables));
  else {
    for (const [table, rows] of tables) await insertRows(trx, table, rows);
    await writeOrderTerms(
      trx,
      dialect,
      written.map((w, i) => ({ orderId: w.id, orgId: w.row.org_id, terms: specs[i]!.terms.map(wellFormedText) })),
    );
  }
  for (const [i, s] of specs.entries()) {
    const w = written[i]!;
    // Photos taken at intake belong to its first event. Rare and large: one row at a time.
    for (const p of s.photos) {
      const eventId = w.events[0]?.id ?? null;
      const r = await trx
        .insertInto('order_attachments')
        .values({ order_id: w.id, event_id: eventId, item_id: null, name: p.name, mime: p.mime, size: p.data.length, data: p.data, created_at: s.at })
        .returning('id')
        .executeTakeFirstOrThrow();
      w.attachments.push({ id: r.id, name: p.name, mime: p.mime, size: p.data.length, event_id: eventId });
    }
    await s.after?.(trx, w);
  }
  return written;
}

/**
 * PostgreSQL, orders with neither photos nor further writes: ids in one round trip (sequences are
 * outside transactions anyway), then every row in one statement, committed on its own.
 */
async function insertOrdersInOneStatement(db: Kysely<DB>, specs: NewOrder[]): Promise<WrittenOrder[]> {
  const { written, tables } = await prepareOrders(db, 'postgres', specs);
  await db.executeQuery(insertAllStatement(tables));
  return written;
}

interface Pending {
  spec: NewOrder;
  resolve(w: WrittenOrder): void;
  reject(err: unknown): void;
}

/**
 * Errors after which the transaction surely rolled back and one of its orders broke a rule of the
 * database (a duplicate 12345 number or request id): worth writing the others again. Anything else
 * (a lost connection during COMMIT, a full disk) may have committed the set: never retried.
 */
function brokeARule(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // 22xxx: PostgreSQL refused a value of one order (the statement failed as a whole, nothing written).
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || /^2[23]\d{3}$/.test(code) || code === '40P01' || code === '40001');
}

/** Photos held by one transaction, and by the queue, at most (decoded photos are large). */
const BATCH_PHOTO_BYTES = 16 * 1024 * 1024;
const QUEUE_PHOTO_BYTES = 256 * 1024 * 1024;
/** Orders waiting at most; past it intake answers "too many requests, try again shortly". */
const QUEUE_ORDERS = 5_000;

const photoBytes = (spec: NewOrder) => spec.photos.reduce((n, p) => n + p.data.length, 0);

/**
 * Group commit for intake. Every transaction pays for writing the index pages it touched (a new
 * order touches some 50 pages: the order's indexes, its events, its terms); orders that arrive
 * together share those pages when written in one transaction. Requests queue here; whatever has
 * queued while the previous transaction ran is written in the next one (up to 200 orders, 16 MB of
 * photos). If a set breaks a rule of the database (say a duplicate 12345 number), it is written
 * again in halves until the order at fault is alone, so each caller gets its own outcome; `after`
 * hooks must therefore only write in the transaction they are given. Other errors fail the whole
 * set, never retried (its commit may have happened). One writer per process; several processes or
 * servers each batch their own.
 */
export class OrderWriter {
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private draining = false;
  /** Orders written and groups written (each one transaction, or one statement), since start (for tests and benchmarks). */
  readonly stats = { orders: 0, transactions: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly maxBatch = 200,
  ) {}

  write(spec: NewOrder): Promise<WrittenOrder> {
    const bytes = photoBytes(spec);
    if (this.queue.length >= QUEUE_ORDERS || this.queuedBytes + bytes > QUEUE_PHOTO_BYTES) return Promise.reject(new AppError('RATE_LIMITED'));
    this.queuedBytes += bytes;
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // After the I/O phase: requests that arrived with this one join its transaction.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.flush(this.take());
    } finally {
      this.draining = false;
    }
  }

  /** The next set: up to maxBatch orders and BATCH_PHOTO_BYTES of photos (at least one order). */
  private take(): Pending[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < this.maxBatch) {
      bytes += photoBytes(this.queue[n]!.spec);
      n++;
      if (bytes >= BATCH_PHOTO_BYTES) break;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, n);
  }

  private async flush(batch: Pending[]): Promise<void> {
    let written: WrittenOrder[];
    try {
      const specs = batch.map((p) => p.spec);
      written =
        this.dialect === 'postgres' && specs.every((s) => !s.photos.length && !s.after)
          ? await insertOrdersInOneStatement(this.db, specs)
          : await this.db.transaction().execute((trx) => insertOrders(trx, this.dialect, specs));
    } catch (err) {
      if (batch.length === 1 || !brokeARule(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      const half = batch.length >> 1;
      await this.flush(batch.slice(0, half));
      await this.flush(batch.slice(half));
      return;
    }
    this.stats.transactions++;
    this.stats.orders += batch.length;
    batch.forEach((p, i) => p.resolve(written[i]!));
  }
}
