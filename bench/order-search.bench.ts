// Keyword search of work orders (GET /api/orders?q=) with --orders orders (default 1,000,000),
// against the real server in its own process: one request at a time (latency p50/p95/p99), and
// optionally under autocannon load (--connections N, autocannon in a third process).
// Target (issue 3): a 2-character word over 1,000,000 orders, p95 under 50 ms: the "city" cases
// search every order; the others a street's or a community's share (see buildOrderWorld).
// Run: node --import tsx bench/order-search.bench.ts [--orders 1000000] [--layout city|street]
//      [--requests 200] [--connections 0] [--duration 10] [--workers 1]
//      [--dialect sqlite|postgres|both] [--case 垃圾]
import { randomBytes } from 'node:crypto';
import { buildOrderWorld } from './generators/orders.js';
import { arg, benchDialects, runAutocannon, benchDatabase, timeIt } from './lib.js';
import { loginCookie, startBenchServer } from './server.js';

const count = Number(arg('orders', '1000000'));
const requests = Number(arg('requests', '200'));
const connections = Number(arg('connections', '0'));
const duration = Number(arg('duration', '10'));
const workers = Number(arg('workers', '1'));
const only = arg('case', '');
const layout = arg('layout', 'city') as 'city' | 'street';

for (const dialect of await benchDialects()) {
  const s = await benchDatabase(dialect);
  try {
    const key = randomBytes(32);
    if (s.database) {
      const w = await buildOrderWorld({ database: s.database, sqliteFile: s.sqliteFile }, count, { layout, log: (l) => console.error(l) });
      await s.database.close();
      console.log(`\n${dialect}: ${count} orders (${w.terms} search terms) in ${w.places} grids and micro-grids (layout ${layout}), generated in ${w.seconds.toFixed(1)} s`);
    } else console.log(`\n${dialect}: the kept database ${s.sqliteFile || s.url}`);
    console.log(`${requests} sequential requests per case${connections ? `, then ${connections} connections for ${duration} s` : ''}`);
    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const city = await loginCookie(server.base, 'city', 'bench-password');
      const leader = await loginCookie(server.base, 'leader', 'bench-password');
      const staff = await loginCookie(server.base, 'staff', 'bench-password');
      const q = (text: string) => `/api/orders?q=${encodeURIComponent(text)}&pageSize=20`;
      // Words of the generator's vocabulary, from the most to the least frequent.
      const cases: [string, string, string][] = [
        ['city: "垃圾" (frequent)', city, q('垃圾')],
        ['city: "路灯"', city, q('路灯')],
        ['city: "电梯"', city, q('电梯')],
        ['city: "户口" (rare)', city, q('户口')],
        ['city: "楼道 杂物" (two words)', city, q('楼道 杂物')],
        ['city: "火车" (no match)', city, q('火车')],
        ['city: "垃圾" page 10', city, `${q('垃圾')}&page=10`],
        ['street leader: "垃圾"', leader, q('垃圾')],
        ['street leader: "户口" (rare)', leader, q('户口')],
        ['community staff: "垃圾"', staff, q('垃圾')],
        ['community staff: "噪音"', staff, q('噪音')],
      ];
      for (const [name, cookie, url] of cases.filter(([n]) => n.includes(only))) {
        const check = await fetch(server.base + url, { headers: { cookie } });
        if (!check.ok) throw new Error(`${url}: ${check.status} ${await check.text()}`);
        const total = ((await check.json()) as { total: number }).total;
        const t = await timeIt(requests, async () => {
          const res = await fetch(server.base + url, { headers: { cookie } });
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
          await res.arrayBuffer();
        });
        let load = '';
        if (connections > 0) {
          const res = await runAutocannon({ url: server.base + url, connections, duration, headers: { cookie } });
          load = `  | ${connections} conn: req/s ${res.requests.average.toFixed(0)} p50 ${res.latency.p50} p99 ${res.latency.p99} ms errors ${res.errors + res.non2xx}`;
        }
        console.log(
          `  ${name.padEnd(40)} matches=${String(total).padStart(7)}  p50 ${t.median.toFixed(1).padStart(6)}  p95 ${t.p95.toFixed(1).padStart(6)}  p99 ${t.p99.toFixed(1).padStart(6)} ms${load}`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    if (process.env.BENCH_KEEP || !s.database) console.log(`kept ${s.sqliteFile || s.url}`);
    else await s.drop();
  }
}
