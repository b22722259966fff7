import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

/** The spine: org tree, households, residents, accounts, sessions, party chain, teams, audit log. */
export async function up(db: Kysely<any>, { id, dialect }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('org_units')
    .addColumn('id', id.type, id.pk)
    .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    // Materialised path of ids, e.g. "/1/4/17/": subtree = path LIKE '/1/4/%', ancestors = ids in path.
    // Byte order on PostgreSQL too ("C" collation), so that a subtree is also an index range
    // ('/1/4/' <= path < '/1/40') whatever the database's locale.
    .addColumn('path', dialect === 'postgres' ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('geometry', 'text')
    .addColumn('min_lng', 'double precision')
    .addColumn('min_lat', 'double precision')
    .addColumn('max_lng', 'double precision')
    .addColumn('max_lat', 'double precision')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_units_path_idx').on('org_units').column('path').execute();
  await db.schema.createIndex('org_units_parent_idx').on('org_units').column('parent_id').execute();

  await db.schema
    .createTable('buildings')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('buildings_org_idx').on('buildings').column('org_id').execute();

  await db.schema
    .createTable('households')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('building_id', 'integer', (c) => c.references('buildings.id'))
    .addColumn('unit_label', 'text')
    .addColumn('room', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('households_org_idx').on('households').column('org_id').execute();
  await db.schema
    .createIndex('households_building_room_uq')
    .on('households')
    .columns(['building_id', 'unit_label', 'room'])
    .unique()
    .execute();

  await db.schema
    .createTable('residents')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_pinyin', 'text', (c) => c.notNull())
    .addColumn('name_initials', 'text', (c) => c.notNull())
    .addColumn('gender', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_hash', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_hash', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('address', 'text')
    .addColumn('relation_to_head', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // (org_id, status, id): the default list (scope + status, newest first) reads 20 entries per org, no sort.
  await db.schema.createIndex('residents_org_idx').on('residents').columns(['org_id', 'status', 'id']).execute();
  // Covering index for text search (contains / prefix): scanning it is ~10x cheaper than the wide table.
  await db.schema
    .createIndex('residents_search_idx')
    .on('residents')
    .columns(['org_id', 'status', 'name', 'name_initials', 'name_pinyin', 'address'])
    .execute();
  await db.schema.createIndex('residents_household_idx').on('residents').column('household_id').execute();
  await db.schema.createIndex('residents_id_hash_uq').on('residents').column('id_number_hash').unique().execute();
  await db.schema.createIndex('residents_phone_hash_idx').on('residents').column('phone_hash').execute();
  await db.schema.createIndex('residents_name_idx').on('residents').column('name').execute();
  await db.schema.createIndex('residents_initials_idx').on('residents').column('name_initials').execute();

  // One row per (resident, tag) so that filtering by tag uses an index.
  await db.schema
    .createTable('resident_tags')
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_tags_pk', ['resident_id', 'tag'])
    .execute();
  await db.schema.createIndex('resident_tags_tag_idx').on('resident_tags').columns(['tag', 'resident_id']).execute();
  await createResidentStats(db, dialect);

  await db.schema
    .createTable('accounts')
    .addColumn('id', id.type, id.pk)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('resident_id', 'integer', (c) => c.references('residents.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('password_changed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_account_idx').on('sessions').column('account_id').execute();

  // Fixed-window counters shared by every server instance (login rate limit).
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('party_orgs')
    .addColumn('id', id.type, id.pk)
    .addColumn('parent_id', 'integer', (c) => c.references('party_orgs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('secretary_resident_id', 'integer', (c) => c.references('residents.id'))
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('party_orgs_org_idx').on('party_orgs').column('org_id').execute();
  await db.schema.createIndex('party_orgs_parent_idx').on('party_orgs').column('parent_id').execute();

  await db.schema
    .createTable('party_members')
    .addColumn('party_org_id', 'integer', (c) => c.notNull().references('party_orgs.id'))
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('party_members_pk', ['party_org_id', 'resident_id'])
    .execute();
  await db.schema.createIndex('party_members_resident_idx').on('party_members').column('resident_id').execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_org_idx').on('teams').column('org_id').execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    // For the vanguard: the grid a member looks after.
    .addColumn('grid_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'resident_id'])
    .execute();
  await db.schema.createIndex('team_members_resident_idx').on('team_members').column('resident_id').execute();

  await db.schema
    .createTable('alliance_members')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('address', 'text')
    .addColumn('services', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alliance_members_org_idx').on('alliance_members').column('org_id').execute();

  // Append-only, hash-chained: hash = sha256(prev_hash || canonical(row)).
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('org_id', 'integer')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('ip', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  if (dialect === 'postgres') {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }

  // Spreadsheet imports: staged rows with their validation result, so any instance can continue.
  await db.schema
    .createTable('import_jobs')
    .addColumn('id', id.type, id.pk)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('import_rows')
    .addColumn('job_id', 'integer', (c) => c.notNull().references('import_jobs.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    // A valid row: its residents row as JSON (ID number and phone already encrypted); a row with
    // errors: its cells, encrypted as a whole (they may hold a mistyped ID number or phone).
    .addColumn('data', 'text', (c) => c.notNull())
    // JSON array of {row, column, value (masked), reason, message}; null when the row is valid.
    .addColumn('errors', 'text')
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row_no'])
    .execute();
}

/**
 * resident_stats(org_id, status, tag, n): how many residents each org node holds per status, in
 * total (tag '') and per tag. Triggers on residents and resident_tags keep it exact whoever
 * writes (service, import, seed), so that the resident list's total is a sum over the scope's
 * org nodes instead of a count over up to hundreds of thousands of rows.
 */
async function createResidentStats(db: Kysely<any>, dialect: MigrationContext['dialect']): Promise<void> {
  await db.schema
    .createTable('resident_stats')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_stats_pk', ['org_id', 'status', 'tag'])
    .execute();
  if (dialect === 'postgres') {
    await sql`create function resident_stats_bump(p_org integer, p_status text, p_tag text, p_delta integer) returns void
      language sql as $$
        insert into resident_stats (org_id, status, tag, n) values (p_org, p_status, p_tag, p_delta)
        on conflict (org_id, status, tag) do update set n = resident_stats.n + excluded.n
      $$`.execute(db);
    await sql`create function residents_stats_trg() returns trigger language plpgsql as $$
      declare t text;
      begin
        if tg_op <> 'INSERT' then
          perform resident_stats_bump(old.org_id, old.status, '', -1);
        end if;
        if tg_op <> 'DELETE' then
          perform resident_stats_bump(new.org_id, new.status, '', 1);
        end if;
        if tg_op = 'UPDATE' then
          for t in select tag from resident_tags where resident_id = new.id loop
            perform resident_stats_bump(old.org_id, old.status, t, -1);
            perform resident_stats_bump(new.org_id, new.status, t, 1);
          end loop;
        end if;
        if tg_op = 'DELETE' then return old; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger residents_stats_ins after insert on residents
      for each row execute function residents_stats_trg()`.execute(db);
    await sql`create trigger residents_stats_upd after update of org_id, status on residents for each row
      when (old.org_id is distinct from new.org_id or old.status is distinct from new.status)
      execute function residents_stats_trg()`.execute(db);
    await sql`create trigger residents_stats_del before delete on residents
      for each row execute function residents_stats_trg()`.execute(db);
    await sql`create function resident_tags_stats_trg() returns trigger language plpgsql as $$
      declare r record;
      begin
        if tg_op = 'INSERT' then
          select org_id, status into r from residents where id = new.resident_id;
          perform resident_stats_bump(r.org_id, r.status, new.tag, 1);
          return new;
        end if;
        select org_id, status into r from residents where id = old.resident_id;
        if found then perform resident_stats_bump(r.org_id, r.status, old.tag, -1); end if;
        return old;
      end $$`.execute(db);
    await sql`create trigger resident_tags_stats after insert or delete on resident_tags
      for each row execute function resident_tags_stats_trg()`.execute(db);
    return;
  }
  const bump = (org: string, status: string, tag: string, delta: number, from = '', where = 'where true') =>
    `insert into resident_stats (org_id, status, tag, n) select ${org}, ${status}, ${tag}, ${delta} ${from} ${where}
       on conflict (org_id, status, tag) do update set n = n + (${delta});`;
  await sql.raw(`create trigger residents_stats_ins after insert on residents begin
      ${bump('new.org_id', 'new.status', "''", 1)}
    end`).execute(db);
  await sql.raw(`create trigger residents_stats_upd after update of org_id, status on residents
    when old.org_id is not new.org_id or old.status is not new.status begin
      ${bump('old.org_id', 'old.status', "''", -1)}
      ${bump('new.org_id', 'new.status', "''", 1)}
      ${bump('old.org_id', 'old.status', 't.tag', -1, 'from resident_tags t', 'where t.resident_id = new.id')}
      ${bump('new.org_id', 'new.status', 't.tag', 1, 'from resident_tags t', 'where t.resident_id = new.id')}
    end`).execute(db);
  await sql.raw(`create trigger residents_stats_del before delete on residents begin
      ${bump('old.org_id', 'old.status', "''", -1)}
    end`).execute(db);
  await sql.raw(`create trigger resident_tags_stats_ins after insert on resident_tags begin
      ${bump('r.org_id', 'r.status', 'new.tag', 1, 'from residents r', 'where r.id = new.resident_id')}
    end`).execute(db);
  await sql.raw(`create trigger resident_tags_stats_del after delete on resident_tags begin
      ${bump('r.org_id', 'r.status', 'old.tag', -1, 'from residents r', 'where r.id = old.resident_id')}
    end`).execute(db);
}
