import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { createDatabase, type Database, type Dialect } from '../packages/server/src/db/database.js';
import type { DB } from '../packages/server/src/db/schema.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PG_ADMIN_URL = process.env.HAITANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

/** Dialects to measure: --dialect sqlite|postgres|both (default both when PostgreSQL answers). */
export async function benchDialects(): Promise<Dialect[]> {
  const want = arg('dialect', 'both');
  if (want !== 'both') return [want as Dialect];
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return ['sqlite', 'postgres'];
  } catch {
    return ['sqlite'];
  }
}

/** A fresh, migrated scratch database for one benchmark run. */
/**
 * The database a benchmark runs on: the one BENCH_REUSE names (a file or URL kept earlier with
 * BENCH_KEEP=1, already filled: no `database` to generate into, nothing dropped), else a scratch one.
 */
export async function benchDatabase(dialect: Dialect): Promise<{ database?: Database; url: string | null; sqliteFile: string; drop(): Promise<void> }> {
  const reuse = process.env.BENCH_REUSE;
  if (!reuse) return scratchDatabase(dialect);
  const isPg = reuse.startsWith('postgres');
  return { url: isPg ? reuse : null, sqliteFile: isPg ? '' : reuse, drop: async () => {} };
}

export async function scratchDatabase(dialect: Dialect): Promise<{ database: Database; url: string | null; sqliteFile: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-bench-'));
    const sqliteFile = path.join(dir, 'bench.db');
    const database = createDatabase({ databaseUrl: null, sqliteFile });
    await migrateToLatest(database);
    return { database, url: null, sqliteFile, drop: async () => { await database.close().catch(() => {}); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `ht_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const database = createDatabase({ databaseUrl: u.toString(), sqliteFile: '', poolSize: 20 });
  await migrateToLatest(database);
  return {
    database,
    url: u.toString(),
    sqliteFile: '',
    drop: async () => {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timeIt(n: number, fn: () => Promise<unknown>): Promise<{ median: number; p95: number; p99: number }> {
  for (let i = 0; i < Math.min(5, n); i++) await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { median: percentile(t, 50), p95: percentile(t, 95), p99: percentile(t, 99) };
}

export interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon in its own process: in the server's process it would share (and slow) the
 * event loop it is measuring. With `bodies`, each request sends the next of them in turn.
 */
export function runAutocannon(o: { url: string; connections: number; duration: number; headers?: Record<string, string>; method?: string; body?: string; bodies?: string[] }): Promise<LoadResult> {
  const require = createRequire(import.meta.url);
  let args: string[];
  let cleanup = () => {};
  if (o.bodies) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-load-'));
    const file = path.join(dir, 'load.json');
    writeFileSync(file, JSON.stringify({ url: o.url, connections: o.connections, duration: o.duration, method: o.method ?? 'POST', headers: o.headers ?? {}, bodies: o.bodies }));
    args = [path.join(import.meta.dirname, 'autocannon-bodies.mjs'), file];
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  } else {
    args = [require.resolve('autocannon/autocannon.js'), '--json', '-c', String(o.connections), '-d', String(o.duration)];
    for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}=${v}`);
    if (o.method) args.push('-m', o.method);
    if (o.body) args.push('-b', o.body);
    args.push(o.url);
  }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      cleanup();
      if (err) return reject(new Error(`autocannon failed: ${stderr}`));
      resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

/** Inserts accounts for a benchmark (one password hash for all) and returns their ids in order. */
export async function insertBenchAccounts(
  db: Kysely<DB>,
  passwordHash: string,
  accounts: { username: string; role: string; orgId: number; residentId?: number | null }[],
): Promise<number[]> {
  const now = new Date().toISOString();
  const rows = await db
    .insertInto('accounts')
    .values(accounts.map((a) => ({
      username: a.username, display_name: a.username, password_hash: passwordHash, role: a.role, org_id: a.orgId,
      resident_id: a.residentId ?? null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now,
    })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
