import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { atomically } from './atomically.js';

/**
 * What service earns (design.md §4): star levels by cumulative certified hours (thresholds as data,
 * default 100/300/600/1000/1500 h), numbered certificates (证明) with issuer and date, and points
 * kept in a double-entry ledger: every transaction's entries sum to zero, so all balances together
 * always sum to zero; a resident's wallet never goes below zero (a conditional update), and the
 * community's issuing account is the counterpart of what it has given out.
 */
export const DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500] as const;
/** Points per certified hour, and each activity kind's coefficient (settings, as data). */
export const DEFAULT_POINT_RATE = 10;
export const DEFAULT_KIND_COEFFICIENTS: Record<string, number> = { service: 1, class: 0.5, study: 0.5, event: 0.8 };

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await atomically(db, ctx.dialect, () => upSteps(db, ctx));
}

async function upSteps(db: Kysely<any>, { id }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('volunteer_star_levels')
    .addColumn('level', 'integer', (c) => c.primaryKey())
    .addColumn('min_hours', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('volunteer_star_levels').values(DEFAULT_STAR_HOURS.map((h, i) => ({ level: i + 1, min_hours: h }))).execute();

  await db.schema
    .createTable('point_rules')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    /** Hundredths: 100 = coefficient 1.0 (integers keep the arithmetic exact). */
    .addColumn('coefficient_pct', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('point_rules')
    .values([
      { kind: '*rate', coefficient_pct: DEFAULT_POINT_RATE * 100 },
      ...Object.entries(DEFAULT_KIND_COEFFICIENTS).map(([kind, c]) => ({ kind, coefficient_pct: Math.round(c * 100) })),
    ])
    .execute();

  await db.schema
    .createTable('volunteer_certificates')
    .addColumn('id', id.type, id.pk)
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    /** The issuing node (the resident's community) and its name at the time of issue. */
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('issuer_name', 'text', (c) => c.notNull())
    .addColumn('resident_name', 'text', (c) => c.notNull())
    .addColumn('id_number_masked', 'text')
    .addColumn('total_minutes', 'integer', (c) => c.notNull())
    .addColumn('services', 'integer', (c) => c.notNull())
    .addColumn('first_service_at', 'text')
    .addColumn('last_service_at', 'text')
    .addColumn('issued_by', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('volunteer_certificates_resident_idx').on('volunteer_certificates').column('resident_id').execute();

  await db.schema
    .createTable('point_accounts')
    .addColumn('id', id.type, id.pk)
    /** wallet: a resident's; issue: what a community gives out (negative); spent: what was redeemed. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('resident_id', 'integer', (c) => c.references('residents.id'))
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('point_accounts_resident_uq').on('point_accounts').column('resident_id').unique().where(sql.ref('resident_id'), 'is not', null).execute();
  await db.schema.createIndex('point_accounts_org_kind_uq').on('point_accounts').columns(['org_id', 'kind']).unique().where(sql.ref('resident_id'), 'is', null).execute();

  await db.schema
    .createTable('point_transactions')
    .addColumn('id', id.type, id.pk)
    /** earn | correct | redeem | refund */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('signup_id', 'integer', (c) => c.references('activity_signups.id'))
    .addColumn('redemption_id', 'integer')
    .addColumn('created_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('point_transactions_signup_idx').on('point_transactions').column('signup_id').execute();

  await db.schema
    .createTable('point_entries')
    .addColumn('id', id.type, id.pk)
    .addColumn('transaction_id', 'integer', (c) => c.notNull().references('point_transactions.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('point_accounts.id'))
    .addColumn('amount', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('point_entries_account_idx').on('point_entries').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('point_entries_transaction_idx').on('point_entries').column('transaction_id').execute();

  await db.schema
    .createTable('rewards')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('cost', 'integer', (c) => c.notNull())
    .addColumn('stock', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rewards_org_idx').on('rewards').column('org_id').execute();

  await db.schema
    .createTable('redemptions')
    .addColumn('id', id.type, id.pk)
    .addColumn('reward_id', 'integer', (c) => c.notNull().references('rewards.id'))
    .addColumn('resident_id', 'integer', (c) => c.notNull().references('residents.id'))
    .addColumn('points', 'integer', (c) => c.notNull())
    /** pending → approved → picked_up, or rejected (points and stock returned). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pickup_code', 'text')
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'text')
    .addColumn('picked_up_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('redemptions_reward_idx').on('redemptions').columns(['reward_id', 'status']).execute();
  await db.schema.createIndex('redemptions_resident_idx').on('redemptions').column('resident_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['redemptions', 'rewards', 'point_entries', 'point_transactions', 'point_accounts', 'volunteer_certificates', 'point_rules', 'volunteer_star_levels']) {
    await db.schema.dropTable(t).execute();
  }
}
