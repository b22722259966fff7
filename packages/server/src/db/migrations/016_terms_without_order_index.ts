import type { Kysely } from 'kysely';

/**
 * Search terms lose their index by order (order_terms_order_idx): every new order wrote each of its
 * twenty-odd terms twice, once in the table's key (term, org_id, order_id) and once here. Terms are
 * written once, at intake (an order's text and place never change), and never deleted; the one
 * reader by order, the duplicate check, segments the candidates' own text instead. Measured: a
 * group of 44 new orders on SQLite took 8 µs less per order (84 → 76 µs).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_terms_order_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('order_terms_order_idx').on('order_terms').column('order_id').execute();
}
