import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/db.js';
import { sql } from 'kysely';
import { createDatabase } from '../db/database.js';
import { prepared } from './prepared.js';

for (const dialect of await testDialects()) {
  describe(`prepared queries (${dialect})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
      const now = new Date().toISOString();
      for (const code of ['a', 'b', 'c']) {
        await t.database.db.insertInto('order_categories').values({ code: `prep_${code}`, name: `分类${code}`, parent_id: null, default_handler_org_id: null, sort_order: 0, status: code === 'c' ? 'retired' : 'active', version: 1, created_at: now, updated_at: now } as never).execute();
      }
    });
    after(() => t.drop());

    const byCode = prepared((db, code: string, status: string) =>
      db.selectFrom('order_categories').select(['code', 'name']).where('code', '=', code).where('status', '=', status),
    );

    it('runs the compiled text again with each call’s own parameters', async () => {
      assert.deepEqual(await byCode(t.database.db, 'prep_a', 'active'), [{ code: 'prep_a', name: '分类a' }]);
      assert.deepEqual(await byCode(t.database.db, 'prep_b', 'active'), [{ code: 'prep_b', name: '分类b' }]);
      assert.deepEqual(await byCode(t.database.db, 'prep_c', 'active'), []);
      assert.deepEqual(await byCode(t.database.db, 'prep_c', 'retired'), [{ code: 'prep_c', name: '分类c' }]);
      // Inside a transaction (another handle): compiled for it, same answers.
      await t.database.db.transaction().execute(async (trx) => {
        assert.deepEqual(await byCode(trx, 'prep_b', 'active'), [{ code: 'prep_b', name: '分类b' }]);
      });
    });

    if (dialect === 'postgres') {
      it('runs on PostgreSQL as a named statement, parsed once per connection', async () => {
        const one = createDatabase({ databaseUrl: t.databaseUrl, sqliteFile: '', poolSize: 1 });
        try {
          assert.deepEqual(await byCode(one.db, 'prep_a', 'active'), [{ code: 'prep_a', name: '分类a' }]);
          assert.deepEqual(await byCode(one.db, 'prep_b', 'active'), [{ code: 'prep_b', name: '分类b' }]);
          // The pool's one connection: the statement it holds.
          const held = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(one.db);
          const ours = held.rows.filter((r) => r.statement.includes('order_categories'));
          assert.equal(ours.length, 1, JSON.stringify(held.rows));
          assert.match(ours[0]!.name, /^ht_\d+$/);
          // Another instance migrates: the prepared statement's columns change. It still answers.
          await sql`alter table order_categories alter column name type varchar(200)`.execute(t.database.db);
          assert.deepEqual(await byCode(one.db, 'prep_a', 'active'), [{ code: 'prep_a', name: '分类a' }]);
          assert.deepEqual(await byCode(one.db, 'prep_b', 'active'), [{ code: 'prep_b', name: '分类b' }]);
        } finally {
          await one.close();
        }
      });
    }

    it('refuses a builder that binds a constant of its own', async () => {
      const bad = prepared((db, code: string) => db.selectFrom('order_categories').select('code').where('code', '=', code).where('status', '=', 'active'));
      await assert.rejects(bad(t.database.db, 'prep_a'), /binds other parameters/);
    });
  });
}
