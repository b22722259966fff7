import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase } from './database.js';

const until = async (what: string, test: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('SQLite checkpoints on their own thread', () => {
  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-ckpt-'));
    const file = path.join(dir, 'x.db');
    const database = createDatabase({ databaseUrl: null, sqliteFile: file });
    try {
      const db = database.db;
      assert.ok(database.checkpointer);
      // The writer's own checkpoint is only a backstop far above what this test writes.
      const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      assert.equal(auto.rows[0]!.wal_autocheckpoint, 16384);
      await sql`create table t (id integer primary key, body text not null)`.execute(db);
      const before = statSync(file).size;
      const runs = database.checkpointer.stats.runs;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 2000; i++) await sql`insert into t (body) values (${'x'.repeat(1000)})`.execute(trx);
      });
      // The log holds ~2 MB; the database file grows only when a checkpoint copies it over.
      await until('two checkpoints', () => database.checkpointer!.stats.runs >= runs + 2);
      assert.ok(statSync(file).size - before > 1_500_000, `database file grew by ${statSync(file).size - before} bytes`);
      assert.equal(database.checkpointer.stats.lastError, null);
      const n = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
      assert.equal(Number(n.rows[0]!.n), 2000);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps in-memory databases without a thread, and closing waits for the thread to end', async () => {
    const mem = createDatabase({ databaseUrl: null, sqliteFile: ':memory:' });
    assert.equal(mem.checkpointer, undefined);
    await mem.close();
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-ckpt-'));
    const database = createDatabase({ databaseUrl: null, sqliteFile: path.join(dir, 'y.db') });
    await sql`create table t (id integer primary key)`.execute(database.db);
    await database.close();
    // The file is no longer held: it can be removed and opened afresh.
    rmSync(dir, { recursive: true, force: true });
  });
});
