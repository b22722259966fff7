import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * Classes in series (微课堂, e.g. the sessions of 党的二十大精神 study): a series groups its sessions
 * (activities with series_id), each session may carry materials (titles and links), and each
 * member's attendance across the sessions is read from the sign-ups' check-ins.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, () => upSteps(db, ctx));
}

async function upSteps(db: Kysely<any>, { id }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('class_series')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('class_series_org_idx').on('class_series').column('org_id').execute();
  await db.schema.alterTable('activities').addColumn('series_id', 'integer', (c) => c.references('class_series.id')).execute();
  /** JSON array of { title, url? }: the session's materials. */
  await db.schema.alterTable('activities').addColumn('materials', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.createIndex('activities_series_idx').on('activities').column('series_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_series_idx').execute();
  await db.schema.alterTable('activities').dropColumn('materials').execute();
  await db.schema.alterTable('activities').dropColumn('series_id').execute();
  await db.schema.dropTable('class_series').execute();
}
