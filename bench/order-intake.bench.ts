// Intake of work orders through the HTTP API (POST /api/orders) at 50 connections, against the real
// server in its own process, reported together with a bare insert endpoint of the same framework
// and database (bench/bare-insert-server.ts) measured in the same run; autocannon runs in a third
// process. Target (issue 3): at least 2,000 orders/s on SQLite and at least a third of the bare
// endpoint's rate, p99 under 50 ms.
// Run: node --import tsx bench/order-intake.bench.ts [--duration 10] [--connections 50]
//      [--workers 1] [--dialect sqlite|postgres|both] [--case <part of a case's name>] [--same]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { freePort } from '../packages/server/test/free-port.js';
import { generateOrgTree } from './generators/org-tree.js';
import { orderTexts } from './generators/order-texts.js';
import { arg, benchDialects, runAutocannon, scratchDatabase, type LoadResult } from './lib.js';
import { loginSession, startBenchServer } from './server.js';
import { mulberry32 } from '../packages/server/src/demo/prng.js';

const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '50'));
const workers = Number(arg('workers', '1'));
const only = arg('case', '');
const same = process.argv.includes('--same');
const repoRoot = path.resolve(import.meta.dirname, '..');

async function startBare(databaseUrl: string | null, sqliteFile: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-insert-server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl ?? '', BARE_SQLITE_FILE: sqliteFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 200 || child.exitCode !== null) throw new Error('bare server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

const line = (name: string, r: LoadResult, bare?: LoadResult) =>
  `  ${name.padEnd(40)} req/s ${r.requests.average.toFixed(0).padStart(6)}  p50 ${String(r.latency.p50).padStart(3)} ms  p99 ${String(r.latency.p99).padStart(3)} ms  errors ${r.errors + r.non2xx}` +
  (bare ? `  (${((100 * r.requests.average) / bare.requests.average).toFixed(0)} % of bare)` : '');

const square = (lng: number, lat: number, d: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const key = randomBytes(32);
    const db = s.database.db;
    const tree = await generateOrgTree(db, 20_000);
    // The first community's grids and micro-grids get polygons, so a map point can be routed.
    const grids = await db.selectFrom('org_units').select(['id']).where('kind', '=', 'grid').where('parent_id', '=', tree.community.id).orderBy('id').execute();
    for (const [g, grid] of grids.entries()) {
      const lng = 120.6 + g * 0.01;
      await db.updateTable('org_units').set({ geometry: square(lng, 31.3, 0.01), min_lng: lng, min_lat: 31.3, max_lng: lng + 0.01, max_lat: 31.31 }).where('id', '=', grid.id).execute();
      const micros = await db.selectFrom('org_units').select('id').where('parent_id', '=', grid.id).orderBy('id').execute();
      for (const [m, micro] of micros.entries()) {
        const mx = lng + (m % 2) * 0.005;
        const my = 31.3 + Math.floor(m / 2) * 0.005;
        await db.updateTable('org_units').set({ geometry: square(mx, my, 0.005), min_lng: mx, min_lat: my, max_lng: mx + 0.005, max_lat: my + 0.005 }).where('id', '=', micro.id).execute();
      }
    }
    const now = new Date().toISOString();
    const passwordHash = await hashPassword('bench-password');
    for (const [username, role, org] of [['staff', 'community_staff', tree.community.id], ['hotline', 'street_leader', tree.street.id]] as const) {
      await db.insertInto('accounts').values({ username, display_name: username, password_hash: passwordHash, role, org_id: org, resident_id: null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now }).execute();
    }
    const idCol = dialect === 'postgres' ? sql`id serial primary key` : sql`id integer primary key autoincrement`;
    await sql`create table bench_bare (${idCol}, title text not null, description text not null, org_id integer not null, created_at text not null)`.execute(db);
    const categories = new Map((await db.selectFrom('order_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
    const placesIn = async (path: string) =>
      (await db.selectFrom('org_units').select('id').where('path', 'like', `${path}%`).where('kind', 'in', ['grid', 'micro_grid']).orderBy('id').execute()).map((o) => o.id);
    const communityPlaces = await placesIn(tree.community.path);
    const streetPlaces = await placesIn(tree.street.path);
    await s.database.close();

    // What people report, as the demo words it, at varied places: each request its own order.
    const rnd = mulberry32(7);
    const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const text = orderTexts(rnd, categories);
    const bodies = (make: (i: number) => Record<string, unknown>) => Array.from({ length: same ? 1 : 2000 }, (_, i) => JSON.stringify(make(i)));
    const phone = () => `139${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
    const cases: [name: string, account: string, bodies: string[]][] = [
      ['intake: staff, grid chosen', 'staff', bodies(() => ({ channel: 'visit', ...text(), orgId: pick(communityPlaces) }))],
      // A point inside one of the first community's grids (0.01° squares side by side from 120.6, 31.3).
      ['intake: staff, map point routed', 'staff', bodies(() => ({ channel: 'patrol', ...text(), lng: 120.6 + rnd() * 0.0999, lat: 31.3 + rnd() * 0.0099 }))],
      ['intake: 12345 with reporter phone', 'hotline', bodies(() => ({ channel: 'hotline', ...text(), orgId: pick(streetPlaces), reporterName: `${pick(['杨', '王', '陈', '李'])}${pick(['先生', '女士'])}`, reporterPhone: phone() }))],
    ];
    console.log(`\n${dialect}: ${connections} connections, ${duration} s per case; the server with ${workers} worker(s); ${same ? 'the same order every time' : '2,000 different orders per case, round'}`);

    const bare = await startBare(s.url, s.sqliteFile);
    let bareRes: LoadResult;
    try {
      const bareBodies = cases[0]![2].map((b) => JSON.stringify((({ title, description, orgId }) => ({ title, description, orgId }))(JSON.parse(b))));
      const headers = { 'content-type': 'application/json' };
      await runAutocannon({ url: `${bare.base}/bare`, connections, duration: 3, method: 'POST', bodies: bareBodies, headers });
      bareRes = await runAutocannon({ url: `${bare.base}/bare`, connections, duration, method: 'POST', bodies: bareBodies, headers });
      console.log(line('bare insert (Fastify + one INSERT)', bareRes));
    } finally {
      await bare.stop();
    }

    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const headersOf = new Map<string, Record<string, string>>();
      for (const account of ['staff', 'hotline']) {
        const { cookie, csrf } = await loginSession(server.base, account, 'bench-password');
        headersOf.set(account, { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' });
      }
      for (const [, account, list] of cases) {
        const check = await fetch(`${server.base}/api/orders`, { method: 'POST', headers: headersOf.get(account)!, body: list[0]! });
        if (check.status !== 201) throw new Error(`intake: ${check.status} ${await check.text()}`);
      }
      await runAutocannon({ url: `${server.base}/api/orders`, connections, duration: 3, method: 'POST', bodies: cases[0]![2], headers: headersOf.get('staff')! });
      for (const [name, account, list] of cases.filter(([n]) => n.includes(only))) {
        const r = await runAutocannon({ url: `${server.base}/api/orders`, connections, duration, method: 'POST', bodies: list, headers: headersOf.get(account)! });
        console.log(line(name, r, bareRes));
      }
    } finally {
      await server.stop();
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${s.sqliteFile || s.url}`);
    else await s.drop();
  }
}
