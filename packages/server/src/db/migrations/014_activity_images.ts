import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/** Pictures of an activity (the poster's photo, last year's event), shown with its description. */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, async () => {
    await db.schema
      .createTable('activity_images')
      .addColumn('id', ctx.id.type, ctx.id.pk)
      .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('data', ctx.dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('activity_images_activity_idx').on('activity_images').column('activity_id').execute();
    // The ids of its pictures, in order (JSON), kept with the activity so that every read has them.
    await db.schema.alterTable('activities').addColumn('image_ids', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('image_ids').execute();
  await db.schema.dropTable('activity_images').execute();
}
