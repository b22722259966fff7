import { sql, type Kysely } from 'kysely';
import { documentTerms } from '../../lib/segment.js';
import { documentText, searchableText } from '../../modules/workorders/order.fts.js';
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
 * The terms are computed by the application's own segmentation (lib/segment.ts, searchableText),
 * as intake and an org move compute them: that is the point. The document's format is 017's
 * (documentText and the place tokens below); a later migration that changes it rewrites the
 * documents itself, as 017 did.
 *
 * Down leaves the added words: the index holds more words of each order, which the code before
 * reads alike (a superset of what it wrote).
 */
const PAGE = 5_000;

/** Place tokens of org node `o`, as order.fts.ts writes them. */
const PLACE_TOKENS = `char(57344) || replace(substr(o.path, 2, length(o.path) - 2), '/', ' ' || char(57344))`;

export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, async () => {
    for (let after = 0; ; ) {
      const page = (await db
        .selectFrom('work_orders')
        .select(['id', 'org_id', 'title', 'description'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute()) as { id: number; org_id: number; title: string; description: string }[];
      if (!page.length) break;
      after = page.at(-1)!.id;
      if (dialect === 'sqlite') {
        const docs = JSON.stringify(page.map((o) => [o.id, documentText(documentTerms(searchableText(o))), o.org_id]));
        await sql`delete from order_fts where rowid in (select d.value ->> 0 from json_each(${docs}) d)`.execute(db);
        await sql`insert into order_fts (rowid, doc)
          select d.value ->> 0, (d.value ->> 1) || ' ' || (select ${sql.raw(PLACE_TOKENS)} from org_units o where o.id = d.value ->> 2)
          from json_each(${docs}) d`.execute(db);
      } else {
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
