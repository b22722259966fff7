import { sql, type Kysely } from 'kysely';
import { documentTerms } from '../../lib/segment.js';
import { rewriteOrderDocuments, searchableText, type OrderText } from '../../modules/workorders/order.fts.js';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * Every order's search terms computed again from its text, now with every dictionary word that
 * stands in it (lib/segment.ts) and with the words of community work jieba lacked
 * (lib/segment-words.ts): search mode had read 路面积水严重 as 路/面积/水/严重, 单元楼道 as
 * 单元/单元楼/道 and 2号楼前 as 2/号/楼前, so a search for 积水, 楼道 or 2号楼 missed those orders.
 *
 * SQLite writes each order's FTS5 document again (a contentless document cannot be added to);
 * PostgreSQL adds the rows order_terms lacks. In pages of 5,000 orders by id, in one transaction
 * (bench/order-terms-migration.bench.ts, 100,000 orders: 6.2 s on SQLite, 12.7 s on PostgreSQL;
 * about a minute and two per million orders at the start of the upgraded server).
 *
 * The terms are computed and the documents written by the application's own code
 * (rewriteOrderDocuments, as after an org move; lib/segment.ts, searchableText), as intake
 * computes them: that is the point. A later migration that changes the documents' format rewrites
 * them itself, as 017 did.
 *
 * Down leaves the added words: the index holds more words of each order, which the code before
 * reads alike (a superset of what it wrote).
 */
const PAGE = 5_000;

export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, async () => {
    for (let after = 0; ; ) {
      const page = (await db
        .selectFrom('work_orders')
        .select(['id', 'org_id', 'title', 'description'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute()) as OrderText[];
      if (!page.length) break;
      after = page.at(-1)!.id;
      if (dialect === 'sqlite') await rewriteOrderDocuments(db, page);
      else {
        // What order_terms lacks (it has no index by order to delete an order's rows by).
        const term: string[] = [];
        const org: number[] = [];
        const order: number[] = [];
        for (const o of page) for (const t of documentTerms(searchableText(o))) (term.push(t), org.push(o.org_id), order.push(o.id));
        if (!term.length) continue;
        await sql`insert into order_terms (term, org_id, order_id)
          select * from unnest(${term}::text[], ${org}::int[], ${order}::int[])
          on conflict do nothing`.execute(db);
      }
    }
  });
}

export async function down(): Promise<void> {
  // The added words stay (see above).
}
