// The intake writer alone (no HTTP): what a new order costs the database, by the size of the group
// written together (OrderWriter: one transaction per group on SQLite, one statement on PostgreSQL).
// Orders as order-intake.bench.ts sends them: the demo's wording with buildings and rooms at random
// (generators/order-texts.ts), placed round the first `--places` grids and micro-grids, each with
// two events and its search terms (segmented beforehand: not measured here). order-intake measures
// the whole request. Run: node --import tsx bench/order-writer.bench.ts [--orders 20000]
//      [--groups 5,10,25,50,100] [--places 500] [--same] [--dialect sqlite|postgres|both]
import { documentTerms } from '../packages/server/src/lib/segment.js';
import { mulberry32 } from '../packages/server/src/demo/prng.js';
import { OrderWriter, type NewOrder } from '../packages/server/src/modules/workorders/order.writer.js';
import { generateOrgTree } from './generators/org-tree.js';
import { orderTexts } from './generators/order-texts.js';
import { arg, benchDialects, scratchDatabase } from './lib.js';

const orders = Number(arg('orders', '20000'));
const groups = arg('groups', '5,10,25,50,100').split(',').map(Number);
const placeCount = Number(arg('places', '500'));
/** Every order the same text at the same place (the best case for the indexes). */
const same = process.argv.includes('--same');

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const db = s.database.db;
    await generateOrgTree(db, 20_000);
    const places = (await db.selectFrom('org_units').select('id').where('kind', 'in', ['grid', 'micro_grid']).orderBy('id').limit(placeCount).execute()).map((g) => g.id);
    const categories = new Map((await db.selectFrom('order_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
    const rnd = mulberry32(11);
    const text = orderTexts(rnd, categories);
    const kinds = Array.from({ length: same ? 1 : 2000 }, () => {
      const t = text();
      return { ...t, orgId: places[Math.floor(rnd() * places.length)]!, terms: documentTerms(`${t.title} ${t.description}`) };
    });
    const spec = (i: number): NewOrder => {
      const k = kinds[i % kinds.length]!;
      const at = new Date().toISOString();
      return {
        values: {
          channel: 'hotline', category_id: k.categoryId, urgency: 'normal', title: k.title, description: k.description, original_description: k.description,
          org_id: k.orgId, status: 'accepted', accepted_at: at, reporter_name: '杨先生',
        },
        at,
        actor: { id: null, name: '12345 热线' },
        events: [
          { action: 'submit', from: null, to: 'submitted', data: { channel: 'hotline' } },
          { action: 'accept', from: 'submitted', to: 'accepted' },
        ],
        photos: [],
        items: [],
        terms: k.terms,
      };
    };
    const termsEach = kinds.reduce((n, k) => n + k.terms.length, 0) / kinds.length;
    console.log(`\n${dialect}: ${orders} orders per group size over ${places.length} places (${termsEach.toFixed(1)} search terms each on average)${same ? ', the same order every time' : ''}`);
    let n = 0;
    for (const group of groups) {
      const writer = new OrderWriter(db, dialect, group);
      // Each group is handed to the writer at once (a warm-up group first).
      await Promise.all(Array.from({ length: group }, () => writer.write(spec(n++))));
      const t0 = performance.now();
      let written = 0;
      for (; written < orders; written += group) await Promise.all(Array.from({ length: group }, () => writer.write(spec(n++))));
      const us = ((performance.now() - t0) * 1000) / written;
      console.log(`  group of ${String(group).padStart(3)}: ${us.toFixed(1).padStart(6)} µs per order  (${(1e6 / us).toFixed(0)} orders/s)`);
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${s.sqliteFile || s.url}`);
    else await s.drop();
  }
}
