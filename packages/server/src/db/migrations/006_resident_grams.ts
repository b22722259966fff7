import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * An index for the resident list's text search, so that "name or address contains" and "pinyin
 * starts with" read the matching residents of the scope instead of scanning all of them.
 *
 * resident_grams(org_id, status, kind, gram, resident_id), the primary key being the whole row:
 * - kind 0: every two-character piece of `name ␁ address ␁` (␁ = U+0001, a separator no search
 *   text holds), pieces that start with ␁ left out. Every character of the name and the address
 *   starts one piece, so a one-character search is a range scan over the pieces starting with it,
 *   and a longer search needs every one of its own pieces (then the row itself is checked).
 * - kind 1: the name's pinyin initials and its full pinyin, for prefix ranges.
 * org_id first, so a scope reads node by node (as the orders' search terms do); the resident's
 * status next, so a list of active (or moved-out) residents reads only theirs. Up to two
 * characters and pinyin the grams are the answer itself, without reading a resident row.
 *
 * Triggers keep it exact whoever writes residents (service, import upsert, household move, demo,
 * bench generators), as resident_stats is kept. SQLite: row triggers over a table of positions
 * (triggers may not hold a WITH clause). PostgreSQL: statement triggers over the transition tables,
 * one set-based statement per import batch instead of one function call per row, inserting in key
 * order and without ON CONFLICT (resident_gram_set gives each resident's grams once, and a
 * resident's old grams are deleted before the new ones go in); the grams are compared in byte
 * order (collate "C"), which the range scans need.
 *
 * The list's exact test (instr/strpos, LIKE) still decides; the grams only narrow the candidates.
 */

/** Longest `name ␁ address ␁` the positions cover: name ≤ 40 and address ≤ 200 characters. */
const MAX_POSITIONS = 1024;

/** SQLite: the kind-0 pieces of the row named `row` ('new' or 'old'), as a select of (gram). */
function sqlitePieces(row: 'new' | 'old'): string {
  return `select substr(t.s, p.n, 2) as gram
      from (select ${row}.name || char(1) || coalesce(${row}.address, '') || char(1) as s) t
      join gram_positions p on p.n < length(t.s)
      where substr(t.s, p.n, 1) <> char(1)`;
}

function sqliteInsert(): string {
  return `insert or ignore into resident_grams (org_id, status, kind, gram, resident_id)
      select new.org_id, new.status, 0, x.gram, new.id from (${sqlitePieces('new')}) x;
    insert or ignore into resident_grams (org_id, status, kind, gram, resident_id)
      select new.org_id, new.status, 1, v.gram, new.id from (select new.name_initials as gram union select new.name_pinyin) v
      where v.gram <> '';`;
}

function sqliteDelete(): string {
  return `delete from resident_grams where org_id = old.org_id and status = old.status and kind = 0
      and resident_id = old.id and gram in (${sqlitePieces('old')});
    delete from resident_grams where org_id = old.org_id and status = old.status and kind = 1 and resident_id = old.id
      and gram in (old.name_initials, old.name_pinyin);`;
}

const WATCHED = ['org_id', 'status', 'name', 'address', 'name_initials', 'name_pinyin'] as const;

export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, async () => {
    // The covering index that text search scanned; the grams replace the scan.
    await db.schema.dropIndex('residents_search_idx').execute();
    if (dialect === 'sqlite') await upSqlite(db);
    else await upPostgres(db);
  });
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql`create table resident_grams (
    org_id integer not null,
    status text not null,
    kind integer not null,
    gram text not null,
    resident_id integer not null,
    constraint resident_grams_pk primary key (org_id, status, kind, gram, resident_id)
  ) without rowid`.execute(db);
  await sql`create table gram_positions (n integer primary key)`.execute(db);
  await sql`insert into gram_positions (n)
    with recursive c(n) as (select 1 union all select n + 1 from c where n < ${sql.lit(MAX_POSITIONS)}) select n from c`.execute(db);
  const changed = WATCHED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  await sql.raw(`create trigger residents_grams_ai after insert on residents begin ${sqliteInsert()} end`).execute(db);
  await sql
    .raw(
      `create trigger residents_grams_au after update of ${WATCHED.join(', ')} on residents when ${changed}
       begin ${sqliteDelete()} ${sqliteInsert()} end`,
    )
    .execute(db);
  await sql.raw(`create trigger residents_grams_ad after delete on residents begin ${sqliteDelete()} end`).execute(db);
  // The residents already there.
  await sql`insert or ignore into resident_grams (org_id, status, kind, gram, resident_id)
    select t.org_id, t.status, 0, substr(t.s, p.n, 2), t.id
      from (select id, org_id, status, name || char(1) || coalesce(address, '') || char(1) as s from residents) t
      join gram_positions p on p.n < length(t.s)
      where substr(t.s, p.n, 1) <> char(1)`.execute(db);
  await sql`insert or ignore into resident_grams (org_id, status, kind, gram, resident_id)
    select org_id, status, 1, name_initials, id from residents where name_initials <> ''
    union all select org_id, status, 1, name_pinyin, id from residents where name_pinyin <> ''`.execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create table resident_grams (
    org_id integer not null,
    status text not null,
    kind smallint not null,
    gram text collate "C" not null,
    resident_id integer not null,
    constraint resident_grams_pk primary key (org_id, status, kind, gram, resident_id)
  )`.execute(db);
  await sql`create function resident_gram_set(p_name text, p_address text, p_initials text, p_pinyin text)
    returns table (kind smallint, gram text) language sql immutable parallel safe as $$
      select 0::smallint, substr(t.s, i, 2)
        from (select p_name || chr(1) || coalesce(p_address, '') || chr(1) as s) t,
             generate_series(1, length(t.s) - 1) i
        where substr(t.s, i, 1) <> chr(1)
      union
      select 1::smallint, v from unnest(array[p_initials, p_pinyin]) v where v <> ''
    $$`.execute(db);
  const oldCols = WATCHED.map((c) => `o.${c}`).join(', ');
  const newCols = WATCHED.map((c) => `n.${c}`).join(', ');
  await sql
    .raw(
      `create function residents_grams_ins() returns trigger language plpgsql as $$
      begin
        insert into resident_grams (org_id, status, kind, gram, resident_id)
          select n.org_id, n.status, s.kind, s.gram, n.id
          from new_rows n cross join lateral resident_gram_set(n.name, n.address, n.name_initials, n.name_pinyin) s
          order by 1, 2, 3, 4, 5;
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function residents_grams_upd() returns trigger language plpgsql as $$
      begin
        delete from resident_grams g
          using old_rows o
          join new_rows n on n.id = o.id
          cross join lateral resident_gram_set(o.name, o.address, o.name_initials, o.name_pinyin) s
          where (${oldCols}) is distinct from (${newCols})
            and g.org_id = o.org_id and g.status = o.status and g.kind = s.kind and g.gram = s.gram and g.resident_id = o.id;
        insert into resident_grams (org_id, status, kind, gram, resident_id)
          select n.org_id, n.status, s.kind, s.gram, n.id
          from old_rows o
          join new_rows n on n.id = o.id
          cross join lateral resident_gram_set(n.name, n.address, n.name_initials, n.name_pinyin) s
          where (${oldCols}) is distinct from (${newCols})
          order by 1, 2, 3, 4, 5;
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function residents_grams_del() returns trigger language plpgsql as $$
      begin
        delete from resident_grams g using old_rows o where g.org_id = o.org_id and g.resident_id = o.id;
        return null;
      end $$`,
    )
    .execute(db);
  await sql`create trigger residents_grams_ai after insert on residents
    referencing new table as new_rows for each statement execute function residents_grams_ins()`.execute(db);
  await sql`create trigger residents_grams_au after update on residents
    referencing old table as old_rows new table as new_rows for each statement execute function residents_grams_upd()`.execute(db);
  await sql`create trigger residents_grams_ad after delete on residents
    referencing old table as old_rows for each statement execute function residents_grams_del()`.execute(db);
  await sql`insert into resident_grams (org_id, status, kind, gram, resident_id)
    select r.org_id, r.status, s.kind, s.gram, r.id
    from residents r cross join lateral resident_gram_set(r.name, r.address, r.name_initials, r.name_pinyin) s
    order by 1, 2, 3, 4, 5`.execute(db);
}

export async function down(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  await atomically(db, dialect, async () => {
    for (const t of ['residents_grams_ai', 'residents_grams_au', 'residents_grams_ad']) {
      await sql`drop trigger ${sql.ref(t)}${sql.raw(dialect === 'postgres' ? ' on residents' : '')}`.execute(db);
    }
    if (dialect === 'postgres') {
      for (const f of ['residents_grams_ins', 'residents_grams_upd', 'residents_grams_del']) await sql`drop function ${sql.ref(f)}()`.execute(db);
      await sql`drop function resident_gram_set(text, text, text, text)`.execute(db);
    } else {
      await db.schema.dropTable('gram_positions').execute();
    }
    await db.schema.dropTable('resident_grams').execute();
    // As 001 created it.
    await db.schema
      .createIndex('residents_search_idx')
      .on('residents')
      .columns(['org_id', 'status', 'name', 'name_initials', 'name_pinyin', 'address'])
      .execute();
  });
}
