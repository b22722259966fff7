import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database, Dialect } from './database.js';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_work_orders.js';
import * as m003 from './migrations/003_order_indicators.js';
import * as m004 from './migrations/004_order_requests.js';
import * as m005 from './migrations/005_intake_write_cost.js';
import * as m006 from './migrations/006_resident_grams.js';
import * as m007 from './migrations/007_activities.js';
import * as m008 from './migrations/008_volunteer_records.js';
import * as m009 from './migrations/009_activity_served.js';
import * as m010 from './migrations/010_wishes.js';
import * as m011 from './migrations/011_certified_index.js';
import * as m012 from './migrations/012_class_series.js';
import * as m013 from './migrations/013_records_frozen.js';
import * as m014 from './migrations/014_activity_images.js';
import * as m015 from './migrations/015_resident_stats_by_statement.js';
import * as m016 from './migrations/016_terms_without_order_index.js';
import * as m017 from './migrations/017_order_search_fts.js';
import * as m018 from './migrations/018_one_place_index.js';
import * as m019 from './migrations/019_order_terms_dictionary_words.js';

/** What a migration needs to write the few statements that differ between dialects. */
export interface MigrationContext {
  dialect: Dialect;
  id: { type: 'integer' | 'serial'; pk: (c: any) => any };
}

type MigrationModule = {
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
  down?(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
};

/** The one migration history, in order. Add new files here. */
const MIGRATIONS: Record<string, MigrationModule> = {
  '001_foundation': m001,
  '002_work_orders': m002,
  '003_order_indicators': m003,
  '004_order_requests': m004,
  '005_intake_write_cost': m005,
  '006_resident_grams': m006,
  '007_activities': m007,
  '008_volunteer_records': m008,
  '009_activity_served': m009,
  '010_wishes': m010,
  '011_certified_index': m011,
  '012_class_series': m012,
  '013_records_frozen': m013,
  '014_activity_images': m014,
  '015_resident_stats_by_statement': m015,
  '016_terms_without_order_index': m016,
  '017_order_search_fts': m017,
  '018_one_place_index': m018,
  '019_order_terms_dictionary_words': m019,
};

function context(dialect: Dialect): MigrationContext {
  return dialect === 'postgres'
    ? { dialect, id: { type: 'serial', pk: (c) => c.primaryKey() } }
    : { dialect, id: { type: 'integer', pk: (c) => c.primaryKey().autoIncrement() } };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const ctx = context(this.dialect);
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, mod]) => [
        name,
        { up: (db: Kysely<any>) => mod.up(db, ctx), down: mod.down ? (db: Kysely<any>) => mod.down!(db, ctx) : undefined },
      ]),
    );
  }
}

/** Runs every pending migration; throws (with the failing migration's name) when one fails. */
export async function migrateToLatest(database: Database): Promise<MigrationResultSet['results']> {
  const migrator = new Migrator({ db: database.db, provider: new StaticProvider(database.dialect) });
  return checked(await migrator.migrateToLatest());
}

/**
 * Migrates up or down to the named migration (it included: `migrateTo(db, '003_order_indicators')`
 * undoes 004 and later); throws like migrateToLatest.
 */
export async function migrateTo(database: Database, name: string): Promise<MigrationResultSet['results']> {
  const migrator = new Migrator({ db: database.db, provider: new StaticProvider(database.dialect) });
  return checked(await migrator.migrateTo(name));
}

function checked({ error, results }: MigrationResultSet): MigrationResultSet['results'] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const err = new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? error}`);
    (err as Error & { cause: unknown }).cause = error;
    throw err;
  }
  return results;
}
