import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

/**
 * SQLite: the whole migration in one transaction (Kysely's migrator runs SQLite migrations without
 * one): a crash half-way through a copy leaves the database as it was, and the next start runs the
 * migration again. PostgreSQL's migrator already wraps each migration in a transaction.
 */
export async function atomically(db: Kysely<any>, dialect: MigrationContext['dialect'], work: () => Promise<void>): Promise<void> {
  if (dialect !== 'sqlite') return work();
  await sql`begin`.execute(db);
  try {
    await work();
    await sql`commit`.execute(db);
  } catch (err) {
    await sql`rollback`.execute(db).catch(() => {});
    throw err;
  }
}
