import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

/**
 * SQLite: search terms in a WITHOUT ROWID table, the primary key (term, org_id, order_id) being
 * the table itself. A rowid table keeps the rows and the key in two B-trees; every intake writes
 * some twenty terms, so one B-tree fewer per term is a fifth less work per new order. PostgreSQL
 * keeps its table as it is (a heap with the key's index either way).
 */
export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  await rebuild(db, 'without rowid');
}

export async function down(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  await rebuild(db, '');
}

async function rebuild(db: Kysely<any>, options: 'without rowid' | ''): Promise<void> {
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
