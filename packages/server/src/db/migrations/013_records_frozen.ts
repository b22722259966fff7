import type { Kysely } from 'kysely';

/**
 * A certificate keeps the service lines it was issued with (a later correction of a record must not
 * change a printed certificate), and a redemption counts wrong pickup codes (after five, the code no
 * longer works: six digits are not to be guessed at the counter).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('volunteer_certificates').addColumn('records', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('redemptions').addColumn('pickup_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('redemptions').dropColumn('pickup_attempts').execute();
  await db.schema.alterTable('volunteer_certificates').dropColumn('records').execute();
}
