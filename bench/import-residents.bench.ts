// Import of N residents from an .xlsx: validation + commit through the service layer, on SQLite
// and PostgreSQL. Target: 100,000 rows in under 30 s with peak memory under 1 GB.
// Run: node --import tsx bench/import-residents.bench.ts [--rows 100000] [--dialect sqlite|postgres|both] [--reimport]
// PostgreSQL: a scratch database on HAITANG_TEST_PG_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../packages/server/src/db/database.js';

if (process.env.DATABASE_URL && !process.env.HAITANG_TEST_PG_URL) process.env.HAITANG_TEST_PG_URL = process.env.DATABASE_URL;
const { arg, benchDialects, scratchDatabase } = await import('./lib.js');
const { loadConfig } = await import('../packages/server/src/config.js');
const { createContext } = await import('../packages/server/src/context.js');
const { commitResidentImport, createResidentImport, getImportJob } = await import('../packages/server/src/modules/imports/import.service.js');
const { BENCH_GRIDS } = await import('./generators/residents-xlsx.js');

const self = fileURLToPath(import.meta.url);
const rows = Number(arg('rows', '100000'));
const reimport = process.argv.includes('--reimport');
const file = path.join(tmpdir(), `haitang-bench-residents-${rows}.xlsx`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Samples RSS every 100 ms; maxRSS from the OS catches peaks between samples. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop: () => {
      clearInterval(timer);
      return { sampled: Math.max(peak, process.memoryUsage.rss()), maxRss: process.resourceUsage().maxRSS * 1024 };
    },
  };
}

async function setUpOrg(ctx: Awaited<ReturnType<typeof createContext>>) {
  const now = new Date().toISOString();
  const add = async (parent: { id: number; path: string } | null, kind: string, name: string) => {
    const r = await ctx.db
      .insertInto('org_units')
      .values({ parent_id: parent?.id ?? null, kind, name, code: null, path: 'x', depth: parent ? parent.path.split('/').length - 2 : 0, geometry: null, min_lng: null, min_lat: null, max_lng: null, max_lat: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const p = `${parent?.path ?? '/'}${r.id}/`;
    await ctx.db.updateTable('org_units').set({ path: p }).where('id', '=', r.id).execute();
    return { id: r.id, path: p };
  };
  const district = await add(null, 'district', '姑苏区');
  const street = await add(district, 'street', '沧浪街道');
  const community = await add(street, 'community', '竹辉社区');
  for (const g of BENCH_GRIDS) {
    const grid = await add(community, 'grid', g.grid);
    for (const m of g.microGrids) await add(grid, 'micro_grid', m);
  }
  const acc = await ctx.db
    .insertInto('accounts')
    .values({ username: 'bench', display_name: 'bench', password_hash: 'x', role: 'community_staff', org_id: community.id, resident_id: null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: acc.id, username: 'bench', displayName: 'bench', role: 'community_staff' as const, orgId: community.id, orgPath: community.path, residentId: null, ip: null };
}

async function runOne(dialect: Dialect): Promise<void> {
  const s = await scratchDatabase(dialect);
  try {
    const config = loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: randomBytes(32).toString('base64'), HAITANG_WEB_DIST: '/none', LOG_LEVEL: 'silent' });
    const ctx = createContext(config, s.database);
    const actor = await setUpOrg(ctx);
    const rounds = reimport ? 2 : 1;
    for (let round = 1; round <= rounds; round++) {
      const mem = rssSampler();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const content = readFileSync(file);
      const started = await createResidentImport(ctx, actor, async () => ({ fileName: path.basename(file), content }));
      await started.run();
      const t1 = performance.now();
      const validated = await getImportJob(ctx, actor, started.job.id);
      if (validated.status !== 'validated' || validated.validRows !== rows) throw new Error(`validation: ${JSON.stringify(validated)}`);
      const commit = await commitResidentImport(ctx, actor, started.job.id, { onlyValid: false });
      await commit.run();
      const t2 = performance.now();
      const done = await getImportJob(ctx, actor, started.job.id);
      const { sampled, maxRss } = mem.stop();
      const cpu = process.cpuUsage(cpu0);
      if (done.status !== 'done' || done.createdCount + done.updatedCount !== rows) throw new Error(`commit: ${JSON.stringify(done)}`);
      const [residents, households] = await Promise.all(
        (['residents', 'households'] as const).map(async (t) => Number((await ctx.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)),
      );
      const sec = (ms: number) => (ms / 1000).toFixed(1);
      console.log(
        `${dialect}${reimport ? ` round ${round}` : ''}: ${rows} rows — validate ${sec(t1 - t0)} s, commit ${sec(t2 - t1)} s, total ${sec(t2 - t0)} s; ` +
          `(this process's CPU ${sec((cpu.user + cpu.system) / 1000)} s); created ${done.createdCount}, updated ${done.updatedCount}; ${residents} residents in ${households} households; ` +
          `peak RSS ${mb(sampled)} (sampled every 100 ms), maxRSS ${mb(maxRss)}`,
      );
    }
  } finally {
    await s.drop();
  }
}

if (!existsSync(file)) {
  // In a child process, so that the generator's memory does not count towards the import's peak.
  const gen = spawnSync(process.execPath, ['--import', 'tsx', path.join(path.dirname(self), 'generators/residents-xlsx.ts'), '--rows', String(rows), '--out', file], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}
const dialects = await benchDialects();
if (dialects.length === 1) {
  await runOne(dialects[0]!);
} else {
  // One process per dialect, so that each maxRSS is its own.
  for (const d of dialects) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, ...process.argv.slice(2).filter((a, i, all) => a !== '--dialect' && all[i - 1] !== '--dialect'), '--dialect', d], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
}
