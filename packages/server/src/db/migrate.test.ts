import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../config.js';
import { createContext } from '../context.js';
import { createTestDatabase, testDialects } from '../../test/db.js';
import { insertOrder, insertOrgNode } from '../../test/people.js';
import type { Database } from './database.js';
import { migrateTo, migrateToLatest } from './migrate.js';
import { ftsMatch, indexedTerms, writeOrderTerms } from '../modules/workorders/order.fts.js';

/** The schema as text lines (tables, columns, keys, indexes), to compare two databases by. */
async function schemaOf(database: Database): Promise<string[]> {
  const db = database.db as unknown as Kysely<any>;
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
      select type, name, tbl_name, sql from sqlite_master
      where name not like 'sqlite_%' and tbl_name not like 'kysely_%' order by type, name`.execute(db);
    return rows.map((r) => `${r.type} ${r.name} on ${r.tbl_name}: ${r.sql}`);
  }
  // Column order by rank, not ordinal_position: a dropped column leaves a gap in PostgreSQL's numbering.
  const columns = await sql<{ line: string }>`
    select concat_ws(' ', table_name, row_number() over (partition by table_name order by ordinal_position),
      column_name, data_type, is_nullable, column_default) as line
    from information_schema.columns where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(db);
  const constraints = await sql<{ line: string }>`
    select concat_ws(' ', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) as line
    from pg_constraint where connamespace = 'public'::regnamespace and conrelid::regclass::text not like 'kysely_%'
    order by 1`.execute(db);
  const indexes = await sql<{ line: string }>`
    select concat_ws(' ', tablename, indexname, indexdef) as line
    from pg_indexes where schemaname = 'public' and tablename not like 'kysely_%' order by tablename, indexname`.execute(db);
  return [...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => r.line);
}

/** Equal schemas; on a difference, only the lines that differ are shown. */
function assertSameSchema(actual: string[], expected: string[]) {
  const missing = expected.filter((l) => !actual.includes(l));
  const extra = actual.filter((l) => !expected.includes(l));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  assert.deepEqual(actual, expected);
}

const config = () =>
  loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: randomBytes(32).toString('base64'), HAITANG_WEB_DIST: '/nonexistent' });

for (const dialect of await testDialects()) {
  describe(`migrations (${dialect})`, () => {
    it('004 down rebuilds order_terms as (term, order_id) exactly as 002/003 left it; up again restores org_id', async () => {
      const reference = await createTestDatabase(dialect, { migrate: false });
      const tested = await createTestDatabase(dialect);
      try {
        await migrateTo(reference.database, '003_order_indicators');
        const at003 = await schemaOf(reference.database);
        // Up to 018: 019 computes the terms again from the orders' text (its own test is below).
        await migrateTo(reference.database, '018_one_place_index');
        const at018 = await schemaOf(reference.database);
        await migrateToLatest(reference.database);
        const latest = await schemaOf(reference.database);

        // An order with its search terms, stored with the order's place as 004 keeps them.
        const ctx = createContext(config(), tested.database);
        const grid = await insertOrgNode(ctx, null, 'district', '姑苏区');
        const orderId = await insertOrder(ctx, grid);
        await writeOrderTerms(ctx.db, dialect, [{ orderId, orgId: grid, terms: ['垃圾', '清运'] }]);

        await migrateTo(tested.database, '003_order_indicators');
        assertSameSchema(await schemaOf(tested.database), at003);
        const db = tested.database.db as unknown as Kysely<any>;
        const sorted = <T extends { term: string }>(rows: T[]) => rows.sort((a, b) => (a.term < b.term ? -1 : 1));
        const terms = (await db.selectFrom('order_terms').selectAll().execute()) as { term: string; order_id: number }[];
        assert.deepEqual(sorted(terms), sorted(['垃圾', '清运'].map((term) => ({ term, order_id: orderId }))));
        // What the code of before writes: no org_id; (term, order_id) is the key.
        await db.insertInto('order_terms').values({ term: '满溢', order_id: orderId }).execute();
        await assert.rejects(db.insertInto('order_terms').values({ term: '满溢', order_id: orderId }).execute());

        await migrateTo(tested.database, '018_one_place_index');
        assertSameSchema(await schemaOf(tested.database), at018);
        assert.deepEqual(await indexedTerms(ctx.db, dialect, orderId), { terms: ['清运', '满溢', '垃圾'].sort(), places: [grid] });
        await migrateToLatest(tested.database);
        assertSameSchema(await schemaOf(tested.database), latest);
      } finally {
        await tested.drop();
        await reference.drop();
      }
    });

    it('017 keeps an order findable by its words and its area on the way to FTS5 (SQLite) and back', async () => {
      const reference = await createTestDatabase(dialect, { migrate: false });
      const tested = await createTestDatabase(dialect, { migrate: false });
      try {
        await migrateTo(reference.database, '016_terms_without_order_index');
        const at016 = await schemaOf(reference.database);
        await migrateTo(tested.database, '016_terms_without_order_index');
        const ctx = createContext(config(), tested.database);
        const district = await insertOrgNode(ctx, null, 'district', '姑苏区');
        const street = await insertOrgNode(ctx, district, 'street', '沧浪街道');
        const grid = await insertOrgNode(ctx, street, 'grid', '第一网格');
        const orderId = await insertOrder(ctx, grid);
        const other = await insertOrder(ctx, district);
        const db = tested.database.db as unknown as Kysely<any>;
        const rows = [
          ...['垃圾', '清运', 'c++', '3.5'].map((term) => ({ term, org_id: grid, order_id: orderId })),
          { term: '垃圾', org_id: district, order_id: other },
        ];
        await db.insertInto('order_terms').values(rows).execute();

        await migrateTo(tested.database, '018_one_place_index');
        assert.deepEqual(await indexedTerms(ctx.db, dialect, orderId), { terms: ['3.5', 'c++', '垃圾', '清运'], places: dialect === 'sqlite' ? [district, street, grid] : [grid] });
        if (dialect === 'sqlite') {
          const match = async (q: string) =>
            (await sql<{ rowid: number }>`select rowid from order_fts where order_fts match ${q} order by rowid`.execute(ctx.db)).rows.map((r) => r.rowid);
          assert.deepEqual(await match(ftsMatch(['垃圾'])), [orderId, other]);
          assert.deepEqual(await match(ftsMatch(['垃圾'], street)), [orderId]);
          assert.deepEqual(await match(ftsMatch(['c++', '3.5'], district)), [orderId]);
        }

        await migrateTo(tested.database, '016_terms_without_order_index');
        assertSameSchema(await schemaOf(tested.database), at016);
        const back = await db.selectFrom('order_terms').select(['term', 'org_id', 'order_id']).execute();
        const key = (r: { term: string; order_id: number }) => `${r.order_id}|${r.term}`;
        assert.deepEqual(back.map(key).sort(), rows.map(key).sort());
        assert.equal(back.find((r: { order_id: number }) => r.order_id === orderId)?.org_id, grid);
      } finally {
        await tested.drop();
        await reference.drop();
      }
    });

    it('019 adds the dictionary words that search mode left out (积水 in 路面积水, 楼道 in 单元楼道), keeping the rest', async () => {
      const tested = await createTestDatabase(dialect, { migrate: false });
      try {
        await migrateTo(tested.database, '018_one_place_index');
        const ctx = createContext(config(), tested.database);
        const district = await insertOrgNode(ctx, null, 'district', '姑苏区');
        const grid = await insertOrgNode(ctx, district, 'grid', '第一网格');
        const water = await insertOrder(ctx, grid, { title: '小区东门路面积水严重' });
        const corridor = await insertOrder(ctx, district, { title: '3单元楼道堆放杂物' });
        // As 018's code indexed them: search mode only (and the description's words).
        const before = {
          [water]: ['小区', '东门', '门路', '东门路', '面积', '水', '严重', '垃圾桶', '垃圾', '满溢', '未', '清运'],
          [corridor]: ['3', '单元', '单元楼', '道', '堆放', '杂物', '垃圾桶', '垃圾', '满溢', '未', '清运'],
        };
        await writeOrderTerms(ctx.db, dialect, [
          { orderId: water, orgId: grid, terms: before[water]! },
          { orderId: corridor, orgId: district, terms: before[corridor]! },
        ]);

        await migrateToLatest(tested.database);
        for (const [id, added, place] of [[water, ['路面', '积水'], grid], [corridor, ['楼道'], district]] as const) {
          const indexed = await indexedTerms(ctx.db, dialect, id);
          assert.deepEqual(indexed.terms, [...before[id]!, ...added].sort(), `order ${id}`);
          assert.deepEqual(indexed.places, dialect === 'sqlite' && place === grid ? [district, grid] : [place]);
        }
        if (dialect === 'sqlite') {
          const match = async (q: string) =>
            (await sql<{ rowid: number }>`select rowid from order_fts where order_fts match ${q} order by rowid`.execute(ctx.db)).rows.map((r) => r.rowid);
          assert.deepEqual(await match(ftsMatch(['积水'], district)), [water]);
          assert.deepEqual(await match(ftsMatch(['楼道', '杂物'])), [corridor]);
        }
        // Down keeps the words (the code before reads a superset alike).
        await migrateTo(tested.database, '018_one_place_index');
        assert.deepEqual((await indexedTerms(ctx.db, dialect, corridor)).terms, [...before[corridor]!, '楼道'].sort());
      } finally {
        await tested.drop();
      }
    });
  });
}
