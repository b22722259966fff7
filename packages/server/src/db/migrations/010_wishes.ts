import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * The wish box (微心愿, design.md §4): a wish is collected (visit, box, card, online), verified,
 * published (only the wisher's surname and the wish are public), claimed by a person, a team or a
 * partner unit (one claim may cover several wishes), contacted within 7 days (a reminder before the
 * deadline), fulfilled with a photo, and thanked. An unclaimed wish's priority grows with the
 * months it has waited (computed when read, never stored).
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, () => upSteps(db, ctx));
}

async function upSteps(db: Kysely<any>, { id, dialect }: MigrationContext): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('wish_claims')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    /** person | team | unit */
    .addColumn('claimant_kind', 'text', (c) => c.notNull())
    .addColumn('claimant_resident_id', 'integer', (c) => c.references('residents.id'))
    .addColumn('claimant_team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('claimant_alliance_id', 'integer', (c) => c.references('alliance_members.id'))
    .addColumn('claimant_name', 'text', (c) => c.notNull())
    /** Who is reminded to make contact: the claimant's own account, else the staff who took the claim. */
    .addColumn('remind_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('contact_due_at', 'text', (c) => c.notNull())
    .addColumn('reminded_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wish_claims_due_idx').on('wish_claims').columns(['reminded_at', 'contact_due_at']).execute();

  await db.schema
    .createTable('wishes')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    /** visit | box | card | online */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('wisher_resident_id', 'integer', (c) => c.references('residents.id'))
    /** The full name is for staff; the public sees the surname only. */
    .addColumn('wisher_name', 'text', (c) => c.notNull())
    .addColumn('wisher_surname', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    /** collected → verified → published → claimed → contacted → fulfilled → thanked; or rejected */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('collected'))
    .addColumn('reject_reason', 'text')
    .addColumn('published_at', 'text')
    .addColumn('claim_id', 'integer', (c) => c.references('wish_claims.id'))
    .addColumn('contacted_at', 'text')
    .addColumn('fulfilled_at', 'text')
    .addColumn('fulfil_note', 'text')
    .addColumn('thanked_at', 'text')
    .addColumn('thanks_note', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wishes_org_status_idx').on('wishes').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('wishes_claim_idx').on('wishes').column('claim_id').execute();
  await db.schema.createIndex('wishes_wisher_idx').on('wishes').column('wisher_resident_id').execute();

  await db.schema
    .createTable('wish_photos')
    .addColumn('id', id.type, id.pk)
    .addColumn('wish_id', 'integer', (c) => c.notNull().references('wishes.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wish_photos_wish_idx').on('wish_photos').column('wish_id').execute();
  await db.schema.alterTable('notifications').addColumn('wish_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('wish_id').execute();
  await db.schema.dropTable('wish_photos').execute();
  await db.schema.dropTable('wishes').execute();
  await db.schema.dropTable('wish_claims').execute();
}
