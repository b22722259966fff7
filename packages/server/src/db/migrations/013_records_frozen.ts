import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * A certificate keeps the service lines it was issued with (a later correction of a record must not
 * change a printed certificate), and a redemption counts wrong pickup codes (after five, the code no
 * longer works: six digits are not to be guessed at the counter). Certificates issued before this
 * migration get the lines certified by their date of issue, as they were printed until now.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, async () => {
    await db.schema.alterTable('volunteer_certificates').addColumn('records', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('redemptions').addColumn('pickup_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    const certs = await db.selectFrom('volunteer_certificates').select(['id', 'resident_id', 'issued_at']).execute();
    for (const c of certs) {
      const rows = await db
        .selectFrom('activity_signups as s')
        .innerJoin('activities as a', 'a.id', 's.activity_id')
        .select(['a.title', 'a.starts_at', 's.confirmed_minutes'])
        .where('s.resident_id', '=', c.resident_id)
        .where('s.confirmed_at', '<=', c.issued_at)
        .where('s.confirmed_minutes', '>', 0)
        .where('a.status', '<>', 'cancelled')
        .orderBy('a.starts_at', 'desc')
        .execute();
      const lines = rows.map((r: { title: string; starts_at: string; confirmed_minutes: number }) => ({
        date: new Date(Date.parse(r.starts_at) + 8 * 3_600_000).toISOString().slice(0, 10),
        title: r.title,
        minutes: Number(r.confirmed_minutes),
      }));
      await db.updateTable('volunteer_certificates').set({ records: JSON.stringify(lines) }).where('id', '=', c.id).execute();
    }
  });
}

export async function down(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, async () => {
    await db.schema.alterTable('redemptions').dropColumn('pickup_attempts').execute();
    await db.schema.alterTable('volunteer_certificates').dropColumn('records').execute();
  });
}
