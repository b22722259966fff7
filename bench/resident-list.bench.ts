// Resident list with filters under autocannon load (50 connections) on 200,000 residents.
// Run: node --import tsx bench/resident-list.bench.ts [--residents 200000] [--duration 10] [--dialect sqlite|postgres|both]
import { randomBytes } from 'node:crypto';
import { runAutocannon } from './lib.js';
import { sql } from 'kysely';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { createContext } from '../packages/server/src/context.js';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { generateOrgTree } from './generators/org-tree.js';
import { generateResidents } from './generators/residents.js';
import { arg, benchDialects, scratchDatabase } from './lib.js';

const count = Number(arg('residents', '200000'));
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '50'));

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const config = loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: randomBytes(32).toString('base64'), HAITANG_WEB_DIST: '/none', LOG_LEVEL: 'silent' });
    const ctx = createContext(config, s.database);
    const tree = await generateOrgTree(ctx.db, 20_000);
    const street = tree.street;
    const microGrids = (await ctx.db.selectFrom('org_units').select('id').where('kind', '=', 'micro_grid').where('path', 'like', `${street.path}%`).execute()).map((r) => r.id);
    const t0 = Date.now();
    await generateResidents(ctx.db, ctx.crypto, microGrids, count);
    await sql`analyze`.execute(ctx.db);
    console.log(`\n${dialect}: ${count} residents in ${microGrids.length} micro-grids of one street, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const now = new Date().toISOString();
    await ctx.db.insertInto('accounts').values({ username: 'bench', display_name: 'bench', password_hash: await hashPassword('bench-password'), role: 'street_leader', org_id: street.id, resident_id: null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now }).execute();
    const app = await buildApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const community = tree.community.id;
    const cases: [string, string][] = [
      ['first page, whole street', '/api/residents?page=1&pageSize=20'],
      ['tag filter (elderly living alone)', '/api/residents?tag=elderly_alone&pageSize=20'],
      ['community filter + tag', `/api/residents?orgId=${community}&tag=party_member&pageSize=20`],
      ['name search "王"', `/api/residents?q=${encodeURIComponent('王')}&pageSize=20`],
      ['pinyin initials "zw"', '/api/residents?q=zw&pageSize=20'],
      ['page 50', '/api/residents?page=50&pageSize=20'],
    ];
    for (const [name, url] of cases) {
      const check = await fetch(base + url, { headers: { cookie } });
      if (!check.ok) throw new Error(`${url}: ${check.status} ${await check.text()}`);
      const total = ((await check.json()) as { total: number }).total;
      const res = await runAutocannon({ url: base + url, connections, duration, headers: { cookie } });
      console.log(
        `  ${name.padEnd(36)} total=${String(total).padStart(7)}  req/s ${res.requests.average.toFixed(0).padStart(6)}  p50 ${res.latency.p50} ms  p99 ${res.latency.p99} ms  errors ${res.errors + res.non2xx}`,
      );
    }
    await app.close();
  } finally {
    await s.drop();
  }
}
