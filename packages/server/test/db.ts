import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type Database, type Dialect } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

/** The PostgreSQL server tests create their throw-away databases on. */
export const PG_ADMIN_URL = process.env.HAITANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgReachable: Promise<boolean> | null = null;

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The dialects data-layer tests run on: SQLite always; PostgreSQL whenever reachable, and
 * always in CI (where an unreachable server is a failure, not a skip).
 */
export async function testDialects(): Promise<Dialect[]> {
  if (process.env.HAITANG_TEST_DIALECTS) return process.env.HAITANG_TEST_DIALECTS.split(',') as Dialect[];
  pgReachable ??= probePostgres();
  if (await pgReachable) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}; CI must test both dialects`);
  return ['sqlite'];
}

export interface TestDatabase {
  database: Database;
  /** Connection settings, for a second connection or a CLI run against the same database. */
  databaseUrl: string | null;
  sqliteFile: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of the dialect: a temp SQLite file, or a new PostgreSQL database.
 * `migrate: false` leaves it empty (a migration test runs the migrations itself).
 */
export async function createTestDatabase(dialect: Dialect, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = opts.migrate ?? true;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'haitang-test-'));
    const sqliteFile = path.join(dir, 'test.db');
    const database = createDatabase({ databaseUrl: null, sqliteFile });
    if (migrate) await migrateToLatest(database);
    return {
      database,
      databaseUrl: null,
      sqliteFile,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `ht_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const database = createDatabase({ databaseUrl, sqliteFile: '' , poolSize: 5 });
  if (migrate) await migrateToLatest(database);
  return {
    database,
    databaseUrl,
    sqliteFile: '',
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
