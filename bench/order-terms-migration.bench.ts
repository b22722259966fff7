// What migration 019 costs an existing database: every order's search terms computed again from
// its text with the dictionary words of lib/segment.ts (SQLite: each FTS5 document written again;
// PostgreSQL: the missing rows of order_terms added). Builds the order world, steps back to 018
// (its down leaves the index as it is) and times 019's up, which runs in one transaction.
// Run: node --import tsx bench/order-terms-migration.bench.ts [--orders 100000] [--dialect sqlite|postgres|both]
import { sql } from 'kysely';
import { buildOrderWorld } from './generators/orders.js';
import { arg, benchDialects, scratchDatabase } from './lib.js';
import { migrateTo, migrateToLatest } from '../packages/server/src/db/migrate.js';

const count = Number(arg('orders', '100000'));
for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    await buildOrderWorld({ database: s.database, sqliteFile: s.sqliteFile }, count);
    await migrateTo(s.database, '018_one_place_index');
    const t = performance.now();
    await migrateToLatest(s.database);
    const ms = performance.now() - t;
    console.log(`\n${dialect}: migration 019 over ${count} orders: ${(ms / 1000).toFixed(1)} s (${((ms * 1000) / count).toFixed(0)} µs an order)`);
    if (dialect === 'postgres') {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from order_terms`.execute(s.database.db);
      console.log(`  order_terms: ${rows[0]!.n} rows`);
    }
  } finally {
    await s.drop();
  }
}
