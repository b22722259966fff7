import { sql, type Kysely } from 'kysely';

/**
 * A resident on a weak signal may send the same report twice (the answer got lost, they tap
 * again): the public page sends an id of its own with each report, and a repeat with the same id
 * answers with the first order instead of creating a second. Also an index for duplicate
 * suggestions: the open orders of one category.
 *
 * Search terms carry the order's place (org_id), keyed (term, org_id, order_id): a street's or a
 * community's search reads only the matches in its own org nodes instead of every match in the
 * city (a frequent word has a hundred thousand of those in a million orders).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('order_terms_by_org')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_terms_by_org_pk', ['term', 'org_id', 'order_id'])
    .execute();
  await sql`insert into order_terms_by_org (term, org_id, order_id)
    select t.term, w.org_id, t.order_id from order_terms t join work_orders w on w.id = t.order_id`.execute(db);
  await db.schema.dropTable('order_terms').execute();
  await db.schema.alterTable('order_terms_by_org').renameTo('order_terms').execute();
  await db.schema.createIndex('order_terms_order_idx').on('order_terms').column('order_id').execute();
  // A unit's orders with their place, read from the index alone: a search finds those placed
  // outside the searcher's area but handled by a unit in it without visiting the rows.
  await db.schema.createIndex('work_orders_handler_place_idx').on('work_orders').columns(['handler_org_id', 'org_id', 'id']).execute();

  await db.schema.alterTable('work_orders').addColumn('client_request_id', 'text').execute();
  await db.schema.createIndex('work_orders_client_request_idx').on('work_orders').column('client_request_id').unique().execute();
  await db.schema.createIndex('work_orders_category_status_idx').on('work_orders').columns(['category_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_orders_handler_place_idx').execute();
  // order_terms back to (term, order_id) as 002 created it: the code of before inserts no org_id
  // (NOT NULL here). Built under another name and renamed, like up() did the other way round.
  await db.schema
    .createTable('order_terms_by_order')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_terms_pk', ['term', 'order_id'])
    .execute();
  await sql`insert into order_terms_by_order (term, order_id) select distinct term, order_id from order_terms`.execute(db);
  await db.schema.dropTable('order_terms').execute(); // with order_terms_order_idx
  await db.schema.alterTable('order_terms_by_order').renameTo('order_terms').execute();
  await db.schema.createIndex('order_terms_order_idx').on('order_terms').columns(['order_id']).execute();

  await db.schema.dropIndex('work_orders_category_status_idx').execute();
  await db.schema.dropIndex('work_orders_client_request_idx').execute();
  await db.schema.alterTable('work_orders').dropColumn('client_request_id').execute();
}
