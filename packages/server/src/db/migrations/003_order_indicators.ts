import type { Kysely } from 'kysely';

/**
 * Indexes for the work-order indicators (order.indicators.ts) and the date filters of the order
 * list: an org node's orders received in a period are, per org node of its subtree, one range of
 * (org_id, created_at), and for its handler units one range of (handler_org_id, created_at).
 * Without them a month of a street read every order the street ever had (work_orders_org_idx is
 * ordered by id) and filtered the dates afterwards.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('work_orders_org_created_idx').on('work_orders').columns(['org_id', 'created_at']).execute();
  await db.schema.createIndex('work_orders_handler_created_idx').on('work_orders').columns(['handler_org_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_orders_handler_created_idx').execute();
  await db.schema.dropIndex('work_orders_org_created_idx').execute();
}
