import type { Kysely } from 'kysely';

/** How many people an activity served (服务人次), as its organiser reports when closing it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('served_count', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('served_count').execute();
}
