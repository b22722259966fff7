import { sql, type Kysely } from 'kysely';

/**
 * The figures read every certified record of the activities of an area (minutes, and the distinct
 * volunteers): a partial covering index on exactly those rows lets both databases answer from the
 * index alone, activity by activity, instead of visiting each sign-up row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index activity_signups_certified_idx on activity_signups (activity_id, resident_id, confirmed_minutes) where confirmed_minutes > 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index activity_signups_certified_idx`.execute(db);
}
