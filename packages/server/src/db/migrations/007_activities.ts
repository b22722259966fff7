import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * Activities (services, classes, study sessions, events) and their sign-ups, which carry the
 * attendance and the service record (design.md §4, 民政部令第67号): check-in and check-out times,
 * the minutes computed under the activity's rules, and the minutes the organiser certified.
 *
 * activities.confirmed_count / waiting_count are kept by the sign-up use cases in the same
 * transaction; the conditional `confirmed_count < capacity` update is what hands out the last
 * place to exactly one of two people signing up at once.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, () => upSteps(db, ctx));
}

async function upSteps(db: Kysely<any>, { id }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('organiser', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('min_share_percent', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('cap_minutes', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('cancel_reason', 'text')
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_org_starts_idx').on('activities').columns(['org_id', 'starts_at']).execute();
  await db.schema.createIndex('activities_team_idx').on('activities').column('team_id').execute();

  await db.schema
    .createTable('activity_signups')
    .addColumn('id', id.type, id.pk)
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id'))
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    /** The staff account that signed the resident up (null: the resident did). */
    /** Place in the line: the sign-up time, renewed when a withdrawn person signs up again. */
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('proxy_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('checked_in_at', 'text')
    .addColumn('checked_out_at', 'text')
    /** The organiser who marked the attendance by hand (null: scanned). */
    .addColumn('attendance_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('computed_minutes', 'integer')
    .addColumn('confirmed_minutes', 'integer')
    .addColumn('confirmed_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('confirmed_at', 'text')
    .addColumn('correction_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activity_signups_person_uq').on('activity_signups').columns(['activity_id', 'resident_id']).unique().execute();
  await db.schema.createIndex('activity_signups_line_idx').on('activity_signups').columns(['activity_id', 'status', 'queued_at', 'id']).execute();
  await db.schema.createIndex('activity_signups_resident_idx').on('activity_signups').column('resident_id').execute();

  // A notification may point at an activity as it may at an order.
  await db.schema.alterTable('notifications').addColumn('activity_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('activity_id').execute();
  await db.schema.dropTable('activity_signups').execute();
  await db.schema.dropTable('activities').execute();
}
