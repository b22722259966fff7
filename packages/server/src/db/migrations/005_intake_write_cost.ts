import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * Less to write per new order (intake is the busiest write):
 *
 * - Indexes on columns that most orders leave empty only hold the orders that have a value: the
 *   handler unit (empty until dispatch), the household, the order merged into, the page's request
 *   id. Every query on them compares with a value (`= ?`, `in (…)`), which implies IS NOT NULL, so
 *   both planners still use them; a new order skips six B-trees of fourteen.
 * - SQLite: search terms in a WITHOUT ROWID table, the primary key (term, org_id, order_id) being
 *   the table itself; a rowid table keeps rows and key in two B-trees, and every intake writes some
 *   twenty terms. PostgreSQL keeps its table (a heap with the key's index either way).
 */
const PARTIAL: [name: string, columns: string, unique?: boolean][] = [
  ['work_orders_handler_idx', 'handler_org_id, status'],
  ['work_orders_handler_created_idx', 'handler_org_id, created_at'],
  ['work_orders_handler_place_idx', 'handler_org_id, org_id, id'],
  ['work_orders_household_idx', 'household_id'],
  ['work_orders_merged_idx', 'merged_into_id'],
  ['work_orders_client_request_idx', 'client_request_id', true],
];
const FIRST_COLUMN = (columns: string) => columns.split(',')[0]!.trim();

export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, () => upSteps(db, dialect));
}

export async function down(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, () => downSteps(db, dialect));
}

async function upSteps(db: Kysely<any>, dialect: MigrationContext['dialect']): Promise<void> {
  for (const [name, columns, unique] of PARTIAL) {
    await sql`drop index ${sql.ref(name)}`.execute(db);
    await sql`create ${sql.raw(unique ? 'unique ' : '')}index ${sql.ref(name)} on work_orders (${sql.raw(columns)}) where ${sql.ref(FIRST_COLUMN(columns))} is not null`.execute(db);
  }
  if (dialect === 'sqlite') await rebuildTerms(db, 'without rowid');
}

async function downSteps(db: Kysely<any>, dialect: MigrationContext['dialect']): Promise<void> {
  if (dialect === 'sqlite') await rebuildTerms(db, '');
  // As 002 and 004 created them (the same builder, so the same stored definitions).
  for (const [name, columns, unique] of PARTIAL) {
    await db.schema.dropIndex(name).execute();
    const index = db.schema.createIndex(name).on('work_orders').columns(columns.split(',').map((c) => c.trim()));
    await (unique ? index.unique() : index).execute();
  }
}

async function rebuildTerms(db: Kysely<any>, options: 'without rowid' | ''): Promise<void> {
  await sql`create table order_terms_rebuilt (
    term text not null,
    org_id integer not null,
    order_id integer not null,
    constraint order_terms_by_org_pk primary key (term, org_id, order_id)
  ) ${sql.raw(options)}`.execute(db);
  await sql`insert into order_terms_rebuilt (term, org_id, order_id) select term, org_id, order_id from order_terms`.execute(db);
  await db.schema.dropTable('order_terms').execute(); // with order_terms_order_idx
  await db.schema.alterTable('order_terms_rebuilt').renameTo('order_terms').execute();
  await db.schema.createIndex('order_terms_order_idx').on('order_terms').column('order_id').execute();
}
