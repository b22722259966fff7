import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

/**
 * SQLite: work orders lose their index on (org_id, id). Every SQLite index entry ends with the
 * rowid, which is the order's id, so (org_id, created_at) already answers every lookup by place
 * with the ids (the lists of a community, a street or a grid measured the same with and without
 * it, 300,000 orders). A new order's entries in the two indexes land on pages of its place, a page
 * each that the intake transaction writes whole: 15–20 µs an order with orders spread over 500
 * places (bench/order-writer.bench.ts). PostgreSQL keeps it (its index entries carry no id).
 */
export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`drop index work_orders_org_idx`.execute(db);
}

export async function down(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  // As 002 created it (the same builder, so the same stored definition).
  await db.schema.createIndex('work_orders_org_idx').on('work_orders').columns(['org_id', 'id']).execute();
}
