// SQLite only: what moving an org node adds to the move's transaction — its orders' search
// documents written again with their new ancestors (reindexOrdersPlacedIn, order.fts.ts). Builds
// the order world with every order in one street (layout street), then rewrites the documents of
// the street's first community and of the whole street, each in one transaction.
// Run: node --import tsx bench/order-reindex.bench.ts [--orders 100000]
import { buildOrderWorld } from './generators/orders.js';
import { arg, scratchDatabase } from './lib.js';
import { createDatabase } from '../packages/server/src/db/database.js';
import { reindexOrdersPlacedIn } from '../packages/server/src/modules/workorders/order.fts.js';

const count = Number(arg('orders', '100000'));
const s = await scratchDatabase('sqlite');
try {
  await buildOrderWorld({ database: s.database, sqliteFile: s.sqliteFile }, count, { layout: 'street' });
  await s.database.close();
  const d = createDatabase({ databaseUrl: null, sqliteFile: s.sqliteFile });
  try {
    const street = await d.db.selectFrom('org_units').select(['id', 'path']).where('kind', '=', 'street').orderBy('id').executeTakeFirstOrThrow();
    const community = await d.db.selectFrom('org_units').select(['path']).where('parent_id', '=', street.id).where('kind', '=', 'community').orderBy('id').executeTakeFirstOrThrow();
    console.log(`\nsqlite: ${count} orders in one street`);
    for (const [name, path] of [['a community', community.path], ['the street', street.path]] as const) {
      const t = performance.now();
      const n = await d.db.transaction().execute((trx) => reindexOrdersPlacedIn(trx, 'sqlite', path));
      const ms = performance.now() - t;
      console.log(`  ${name.padEnd(12)} ${String(n).padStart(7)} orders  ${ms.toFixed(0).padStart(6)} ms  (${((ms * 1000) / n).toFixed(1)} µs an order)`);
    }
  } finally {
    await d.close();
  }
} finally {
  await s.drop();
}
