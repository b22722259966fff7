// Work-order indicators (GET /api/orders/indicators) with --orders orders (default 1,000,000)
// received over 2025, against the real server in its own process, one request at a time.
// Target (issue 3): a street's indicators with 1,000,000 orders in the database under 200 ms.
// Layout `city` spreads the orders over the city's 40 streets; `street` puts them all in one.
// Run: node --import tsx bench/order-indicators.bench.ts [--orders 1000000] [--layout city|street]
//      [--requests 30] [--workers 1] [--dialect sqlite|postgres|both] [--case month]
import { randomBytes } from 'node:crypto';
import { buildOrderWorld } from './generators/orders.js';
import { arg, benchDialects, scratchDatabase, timeIt } from './lib.js';
import { loginCookie, startBenchServer } from './server.js';

const count = Number(arg('orders', '1000000'));
const requests = Number(arg('requests', '30'));
const workers = Number(arg('workers', '1'));
const only = arg('case', '');
const layout = arg('layout', 'city') as 'city' | 'street';

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const key = randomBytes(32);
    const w = await buildOrderWorld(s, count, { layout, log: (l) => console.error(l) });
    await s.database.close();
    console.log(`\n${dialect}: ${count} orders received over 2025 in ${w.places} grids and micro-grids (layout ${layout}), generated in ${w.seconds.toFixed(1)} s; ${requests} sequential requests per case`);
    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const city = await loginCookie(server.base, 'city', 'bench-password');
      const leader = await loginCookie(server.base, 'leader', 'bench-password');
      const handler = await loginCookie(server.base, 'handler', 'bench-password');
      const url = (orgId: number, from: string, to: string) => `/api/orders/indicators?orgId=${orgId}&from=${from}&to=${to}`;
      const cases: [string, string, string][] = [
        ['street, a month (monthly report)', leader, url(w.street, '2025-06-01', '2025-06-30')],
        ['street, a quarter', leader, url(w.street, '2025-04-01', '2025-06-30')],
        ['street, the whole year (every order)', leader, url(w.street, '2025-01-01', '2025-12-31')],
        ['community, a month', leader, url(w.community, '2025-06-01', '2025-06-30')],
        ['community, the whole year', leader, url(w.community, '2025-01-01', '2025-12-31')],
        ['grid, a month', leader, url(w.grid, '2025-06-01', '2025-06-30')],
        ['department (handler), a month', handler, url(w.department, '2025-06-01', '2025-06-30')],
        ['city (every order), a month', city, url(w.root, '2025-06-01', '2025-06-30')],
        ['city (every order), the whole year', city, url(w.root, '2025-01-01', '2025-12-31')],
      ];
      for (const [name, cookie, path] of cases.filter(([n]) => n.includes(only))) {
        const check = await fetch(server.base + path, { headers: { cookie } });
        if (!check.ok) throw new Error(`${path}: ${check.status} ${await check.text()}`);
        const r = (await check.json()) as { received: number; closureRate: number | null; satisfactionRate: number | null };
        const t = await timeIt(requests, async () => {
          const res = await fetch(server.base + path, { headers: { cookie } });
          if (!res.ok) throw new Error(`${path}: ${res.status}`);
          await res.arrayBuffer();
        });
        const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
        console.log(
          `  ${name.padEnd(38)} received=${String(r.received).padStart(7)} closure ${pct(r.closureRate).padStart(6)} satisfaction ${pct(r.satisfactionRate).padStart(6)}  p50 ${t.median.toFixed(1).padStart(7)}  p95 ${t.p95.toFixed(1).padStart(7)} ms`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${s.sqliteFile || s.url}`);
    else await s.drop();
  }
}
