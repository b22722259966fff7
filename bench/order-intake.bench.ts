// Intake of work orders through the HTTP API (POST /api/orders) at 50 connections, against the real
// server in its own process, reported together with a bare insert endpoint of the same framework
// and database (bench/bare-insert-server.ts) measured in the same run; autocannon runs in a third
// process. Target (issue 3): at least 2,000 orders/s on SQLite and at least a third of the bare
// endpoint's rate, p99 under 50 ms.
// Run: node --import tsx bench/order-intake.bench.ts [--duration 10] [--connections 50]
//      [--workers 1] [--dialect sqlite|postgres|both] [--case <part of a case's name>]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { freePort } from '../packages/server/test/free-port.js';
import { generateOrgTree } from './generators/org-tree.js';
import { arg, benchDialects, runAutocannon, scratchDatabase, type LoadResult } from './lib.js';
import { loginSession, startBenchServer } from './server.js';

const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '50'));
const workers = Number(arg('workers', '1'));
const only = arg('case', '');
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
    await db.insertInto('accounts').values({ username: 'staff', display_name: '社区工作人员', password_hash: await hashPassword('bench-password'), role: 'community_staff', org_id: tree.community.id, resident_id: null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now }).execute();
    const idCol = dialect === 'postgres' ? sql`id serial primary key` : sql`id integer primary key autoincrement`;
    await sql`create table bench_bare (${idCol}, title text not null, description text not null, org_id integer not null, created_at text not null)`.execute(db);
    const category = (await db.selectFrom('order_categories').select('id').where('code', '=', 'corridor_clutter').executeTakeFirstOrThrow()).id;
    await s.database.close();

    const title = '11幢楼道堆物';
    const description = '竹辉新村11幢二单元楼道堆放纸箱和旧家具,影响通行和消防安全,请社区协调清理';
    console.log(`\n${dialect}: ${connections} connections, ${duration} s per case; the server with ${workers} worker(s)`);

    const bare = await startBare(s.url, s.sqliteFile);
    let bareRes: LoadResult;
    try {
      const body = JSON.stringify({ title, description, orgId: grids[0]!.id });
      await runAutocannon({ url: `${bare.base}/bare`, connections, duration: 3, method: 'POST', body, headers: { 'content-type': 'application/json' } });
      bareRes = await runAutocannon({ url: `${bare.base}/bare`, connections, duration, method: 'POST', body, headers: { 'content-type': 'application/json' } });
      console.log(line('bare insert (Fastify + one INSERT)', bareRes));
    } finally {
      await bare.stop();
    }

    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const { cookie, csrf } = await loginSession(server.base, 'staff', 'bench-password');
      const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
      const cases: [string, Record<string, unknown>][] = [
        ['intake: staff, grid chosen', { channel: 'visit', categoryId: category, title, description, orgId: grids[0]!.id }],
        ['intake: staff, map point routed', { channel: 'patrol', categoryId: category, title, description, lng: 120.6023, lat: 31.3041 }],
        ['intake: 12345 with reporter phone', { channel: 'hotline', categoryId: category, title, description, orgId: grids[1]!.id, reporterName: '杨先生', reporterPhone: '13912345678' }],
      ];
      const check = await fetch(`${server.base}/api/orders`, { method: 'POST', headers, body: JSON.stringify(cases[1]![1]) });
      if (check.status !== 201) throw new Error(`intake: ${check.status} ${await check.text()}`);
      await runAutocannon({ url: `${server.base}/api/orders`, connections, duration: 3, method: 'POST', body: JSON.stringify(cases[0]![1]), headers });
      for (const [name, body] of cases.filter(([n]) => n.includes(only))) {
        const r = await runAutocannon({ url: `${server.base}/api/orders`, connections, duration, method: 'POST', body: JSON.stringify(body), headers });
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
