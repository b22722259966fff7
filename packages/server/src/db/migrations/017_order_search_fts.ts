import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * SQLite: the orders' search terms move from the order_terms B-tree to an FTS5 index, order_fts:
 * one contentless document per order (rowid = order id) holding its terms and a token for its place
 * and each node above it (U+E000 + the node's id). Intake wrote each term to a page of its own in
 * the B-tree, and committing those pages was most of its cost; FTS5 writes a transaction's terms
 * as one segment (see modules/workorders/order.fts.ts). PostgreSQL keeps order_terms.
 *
 * Down rebuilds order_terms from the index itself (fts5vocab lists every term of every document),
 * exactly as 016 left it.
 */
const FTS = `create virtual table order_fts using fts5(doc, content='', contentless_delete=1, detail=none, tokenize="unicode61 remove_diacritics 0 categories 'L* N* M* P* S* Co'")`;

/** Place tokens of org node `o`, as order.fts.ts writes them. */
const PLACE_TOKENS = `char(57344) || replace(substr(o.path, 2, length(o.path) - 2), '/', ' ' || char(57344))`;

/** order_terms as 005 created it (then renamed), byte for byte: the schema after down equals 016's. */
const TERMS_TABLE =
  'create table order_terms_rebuilt (\n    term text not null,\n    org_id integer not null,\n    order_id integer not null,\n    constraint order_terms_by_org_pk primary key (term, org_id, order_id)\n  ) without rowid';

export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  await atomically(db, dialect, async () => {
    await sql.raw(FTS).execute(db);
    // A term is one token unless it holds a space (never from jieba; split alike when searched).
    await sql
      .raw(
        `insert into order_fts (rowid, doc)
        select w.id, coalesce(t.doc || ' ', '') || ${PLACE_TOKENS}
        from work_orders w
        join org_units o on o.id = w.org_id
        left join (
          select order_id, group_concat(term, ' ') as doc from order_terms where instr(term, char(57344)) = 0 group by order_id
        ) t on t.order_id = w.id`,
      )
      .execute(db);
    await sql`drop table order_terms`.execute(db);
  });
}

export async function down(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  await atomically(db, dialect, async () => {
    await sql.raw(TERMS_TABLE).execute(db);
    await sql`create virtual table temp.order_fts_terms using fts5vocab(main, order_fts, 'instance')`.execute(db);
    await sql`insert or ignore into order_terms_rebuilt (term, org_id, order_id)
      select v.term, w.org_id, v.doc from temp.order_fts_terms v join work_orders w on w.id = v.doc
      where substr(v.term, 1, 1) <> char(57344)`.execute(db);
    await sql`drop table temp.order_fts_terms`.execute(db);
    await sql`drop table order_fts`.execute(db);
    await db.schema.alterTable('order_terms_rebuilt').renameTo('order_terms').execute();
  });
}
