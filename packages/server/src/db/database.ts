import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type Driver } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** SQLite file databases: the thread that checkpoints the write-ahead log. */
  checkpointer?: SqliteCheckpointer;
  close(): Promise<void>;
}

// pg returns int8 (count(*), bigint sums) as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric → number (averages, sums of minutes)
pg.types.setTypeParser(1700, (v) => Number(v));

export interface DbOptions {
  databaseUrl: string | null;
  sqliteFile: string;
  poolSize?: number;
}

/** Opens the embedded SQLite file (WAL) or a PostgreSQL pool when a URL is given. */
export function createDatabase(opts: DbOptions): Database {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Short OLTP queries: a parallel plan's worker start-up costs more than the query itself.
      // Reporting queries that profit from parallelism can SET LOCAL it back.
      options: '-c max_parallel_workers_per_gather=0',
    });
    pool.on('connect', (client) => {
      useNamedStatements(client);
      // A connection that the server ends (restart, failover, DROP DATABASE ... FORCE) errors on
      // its own, possibly after the pool let go of it: report it instead of crashing the process.
      client.on('error', (err) => console.error(`PostgreSQL connection error: ${err.message}`));
    });
    // Errors of idle pooled connections arrive here; the pool replaces the connection.
    pool.on('error', (err) => console.error(`PostgreSQL pool error: ${err.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (opts.sqliteFile !== ':memory:') mkdirSync(path.dirname(opts.sqliteFile), { recursive: true });
  const raw = new SqliteDatabase(opts.sqliteFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Lets `path LIKE '/1/4/%'` use the index on org_units.path (paths hold only digits and slashes).
  raw.pragma('case_sensitive_like = ON');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }) });
  if (opts.sqliteFile === ':memory:') return { db, dialect: 'sqlite', close: () => db.destroy() };
  // Checkpoints run on their own thread; the commits' own automatic checkpoint is only a backstop
  // (at 16,384 pages, 64 MB of log).
  raw.pragma('wal_autocheckpoint = 16384');
  const checkpointer = new SqliteCheckpointer(opts.sqliteFile);
  return {
    db,
    dialect: 'sqlite',
    checkpointer,
    close: async () => {
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/**
 * PostgreSQL parses and plans an unnamed statement at every execution. The texts of the queries
 * every request makes (its session, an org node: see lib/prepared.ts) and the intake group's two
 * statements (modules/workorders/order.writer.ts) are registered here and run as named prepared
 * statements instead, parsed once per connection. Registered texts are few and of a fixed shape,
 * so each connection holds a bounded set of them.
 */
const statementNames = new Map<string, string>();

export function nameStatement(text: string): void {
  if (!statementNames.has(text)) statementNames.set(text, `ht_${statementNames.size + 1}`);
}

function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let named = true;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = named && typeof config === 'string' && Array.isArray(values) && callback === undefined ? statementNames.get(config) : undefined;
    if (!name) return query(config, values, callback);
    return query({ name, text: config, values }).catch((err: { code?: string }) => {
      // "cached plan must not change result type": a migration (say, by another instance starting
      // a newer version) changed the columns of a statement this connection prepared. The
      // connection runs its queries unnamed from now on; the pool replaces it in time.
      if (err?.code !== '0A000') throw err;
      named = false;
      return query(config, values);
    });
  };
}

/**
 * Transactions start with BEGIN IMMEDIATE: a deferred transaction that reads and then writes
 * (the audit chain does) fails with SQLITE_BUSY instead of waiting when another process holds
 * the write lock. Taking the write lock up front lets busy_timeout queue it.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    // Kysely's own lock on the one connection wakes every waiter at each release and lets them race
    // for it: with a few hundred queries queued (50 requests at once) that is quadratic. A FIFO
    // queue hands the connection to the next waiter only. Kysely's lock is taken once, for good.
    const acquire = driver.acquireConnection.bind(driver);
    const mutex = new FifoMutex();
    let connection: Awaited<ReturnType<Driver['acquireConnection']>> | undefined;
    driver.acquireConnection = async () => {
      await mutex.lock();
      connection ??= await acquire();
      return connection;
    };
    driver.releaseConnection = async () => mutex.unlock();
    return driver;
  }
}

/** A lock granted in arrival order, waking only the next waiter. */
class FifoMutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small indexed query.
 * Kysely's SQLite driver runs one query at a time on its single connection, so a prepared
 * statement is never used by two queries at once and can be kept per SQL text.
 */
function withStatementCache(raw: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        // Queries with IN lists of varying length make distinct texts: bound the cache.
        if (cache.size >= 1000) cache.clear();
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

/** Current time as an ISO string: both dialects store timestamps as ISO-8601 text. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Case-insensitive LIKE for both dialects. */
export function ilike(dialect: Dialect) {
  return dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
}
