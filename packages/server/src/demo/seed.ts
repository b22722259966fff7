import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { nowIso } from '../db/database.js';
import { hashPassword } from '../modules/auth/password.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, listDemoAccounts, type DemoAccountRow } from './accounts.js';
import { DEMO_SEED, planDemoWorld } from './plan.js';
import type { SeedCounts } from './write.js';
import { writeDemoWorld } from './write.js';
import { ORG_TREE } from './world.js';

export { DEMO_PASSWORD, formatAccountsTable } from './accounts.js';
export type { SeedCounts } from './write.js';

export interface SeedOptions {
  /** PRNG seed of the generated people; the default gives the documented demo world. */
  seed?: number;
}

export interface SeedResult {
  /** false when the demo world was already there and nothing was written. */
  created: boolean;
  counts: SeedCounts | null;
  accounts: DemoAccountRow[];
}

// Serialises concurrent seeders on PostgreSQL (any constant distinct from the audit lock's).
const SEED_LOCK_KEY = 7_420_002;

/**
 * Loads the demo world of the seed's news reports (竹辉社区 and its neighbours, a few thousand
 * generated residents, the party chain, teams, alliance members and one account per role).
 * Deterministic for a given seed; idempotent: when the root 苏州市 exists it changes nothing.
 * Everything is written in one transaction, so a failure leaves no half-seeded database.
 */
export async function seedDemo(ctx: AppContext, opts: SeedOptions = {}): Promise<SeedResult> {
  if (await hasDemoRoot(ctx)) return { created: false, counts: null, accounts: await listDemoAccounts(ctx.db) };

  const plan = planDemoWorld(opts.seed ?? DEMO_SEED);
  // Hashing is slow on purpose (argon2id): done before the transaction opens, in parallel.
  const passwordHashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  const counts = await ctx.db.transaction().execute(async (trx) => {
    if (ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`.execute(trx);
    if (await hasDemoRoot(ctx, trx)) return null;
    return writeDemoWorld(trx, ctx, plan, passwordHashes, nowIso());
  });
  return { created: counts !== null, counts, accounts: await listDemoAccounts(ctx.db) };
}

async function hasDemoRoot(ctx: AppContext, db = ctx.db): Promise<boolean> {
  const row = await db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', 'is', null)
    .where('name', '=', ORG_TREE.name)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
