// Resident list with filters under autocannon load (50 connections) with 200,000 residents in the
// database, against the real server in its own process; autocannon runs in a third process.
// Run: node --import tsx bench/resident-list.bench.ts [--residents 200000] [--duration 10] [--case …]
//      [--workers 1] [--dialect sqlite|postgres|both]
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PiiCrypto } from '../packages/server/src/lib/pii-crypto.js';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { generateOrgTree } from './generators/org-tree.js';
import { generateResidents } from './generators/residents.js';
import { createDatabase } from '../packages/server/src/db/database.js';
import { arg, benchDialects, insertBenchAccounts, runAutocannon, benchDatabase } from './lib.js';
import { loginCookie, startBenchServer } from './server.js';

const count = Number(arg('residents', '200000'));
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '50'));
const workers = Number(arg('workers', '1'));
const only = arg('case', '');

for (const dialect of await benchDialects()) {
  const s = await benchDatabase(dialect);
  try {
    const key = randomBytes(32);
    let community: number;
    if (s.database) {
      const db = s.database.db;
      // 20,000 org nodes; the residents live in the 400 micro-grids of one street (10 communities).
      const tree = await generateOrgTree(db, 20_000);
      const street = tree.street;
      community = tree.community.id;
      const microGrids = (await db.selectFrom('org_units').select('id').where('kind', '=', 'micro_grid').where('path', 'like', `${street.path}%`).execute()).map((r) => r.id);
      const t0 = Date.now();
      await generateResidents(db, new PiiCrypto(key), microGrids, count);
      await sql`analyze`.execute(db);
      const hash = await hashPassword('bench-password');
      await insertBenchAccounts(db, hash, [
        { username: 'leader', role: 'street_leader', orgId: street.id },
        { username: 'staff', role: 'community_staff', orgId: community },
      ]);
      await s.database.close();
      console.log(`\n${dialect}: ${count} residents in ${microGrids.length} micro-grids of one street, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      const kept = createDatabase({ databaseUrl: s.url, sqliteFile: s.sqliteFile });
      community = (await kept.db.selectFrom('accounts').select('org_id').where('username', '=', 'staff').executeTakeFirstOrThrow()).org_id;
      await kept.close();
      console.log(`\n${dialect}: the kept database ${s.sqliteFile || s.url}`);
    }
    console.log(`${workers} worker(s), ${connections} connections, ${duration} s per case`);
    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const staff = await loginCookie(server.base, 'staff', 'bench-password');
      const leader = await loginCookie(server.base, 'leader', 'bench-password');
      const cases: [string, string, string][] = [
        ['community staff: first page', staff, '/api/residents?page=1&pageSize=20'],
        ['community staff: tag filter', staff, '/api/residents?tag=elderly_alone&pageSize=20'],
        ['community staff: grid filter + tag', staff, `/api/residents?orgId=${community}&tag=party_member&pageSize=20`],
        ['community staff: page 20', staff, '/api/residents?page=20&pageSize=20'],
        ['street leader: first page (200k)', leader, '/api/residents?page=1&pageSize=20'],
        ['street leader: tag filter', leader, '/api/residents?tag=elderly_alone&pageSize=20'],
        ['community staff: name search "王"', staff, `/api/residents?q=${encodeURIComponent('王')}&pageSize=20`],
        ['community staff: pinyin "zw"', staff, '/api/residents?q=zw&pageSize=20'],
        ['community staff: address "11幢"', staff, `/api/residents?q=${encodeURIComponent('11幢')}&pageSize=20`],
        ['street leader: name search "王"', leader, `/api/residents?q=${encodeURIComponent('王')}&pageSize=20`],
        ['street leader: phone lookup', leader, '/api/residents?q=13800000000&pageSize=20'],
      ];
      // Warm-up, not recorded: the JIT of every worker process gets to the hot paths first.
      await runAutocannon({ url: server.base + cases[0]![2], connections, duration: 3, headers: { cookie: cases[0]![1] } });
      for (const [name, cookie, url] of cases.filter(([n]) => n.includes(only))) {
        const check = await fetch(server.base + url, { headers: { cookie } });
        if (!check.ok) throw new Error(`${url}: ${check.status} ${await check.text()}`);
        const total = ((await check.json()) as { total: number }).total;
        const res = await runAutocannon({ url: server.base + url, connections, duration, headers: { cookie } });
        console.log(
          `  ${name.padEnd(36)} matches=${String(total).padStart(7)}  req/s ${res.requests.average.toFixed(0).padStart(6)}  p50 ${res.latency.p50} ms  p99 ${res.latency.p99} ms  errors ${res.errors + res.non2xx}`,
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
