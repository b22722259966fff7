import type { Kysely } from 'kysely';

/**
 * A resident on a weak signal may send the same report twice (the answer got lost, they tap
 * again): the public page sends an id of its own with each report, and a repeat with the same id
 * answers with the first order instead of creating a second. Also an index for duplicate
 * suggestions: the open orders of one category.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('work_orders').addColumn('client_request_id', 'text').execute();
  await db.schema.createIndex('work_orders_client_request_idx').on('work_orders').column('client_request_id').unique().execute();
  await db.schema.createIndex('work_orders_category_status_idx').on('work_orders').columns(['category_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_orders_category_status_idx').execute();
  await db.schema.dropIndex('work_orders_client_request_idx').execute();
  await db.schema.alterTable('work_orders').dropColumn('client_request_id').execute();
}
