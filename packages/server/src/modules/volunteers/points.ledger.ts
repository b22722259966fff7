import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

/**
 * The points ledger (double entry): a transaction's entries sum to zero, so the balances of all
 * accounts together are always zero. A resident's wallet may not go below zero: each debit is a
 * conditional update (`balance + amount >= 0`), so of two redemptions racing for the last points
 * exactly one goes through. Accounts: a resident's wallet; per org node the "issue" account
 * (what it has given out, negative) and the "spent" account (what was redeemed there).
 */

type Trx = Transaction<DB>;

/** The resident's wallet, created on first use (the unique index settles a race). */
export async function walletOf(trx: Trx, residentId: number, orgId: number): Promise<number> {
  await trx.insertInto('point_accounts').values({ kind: 'wallet', org_id: orgId, resident_id: residentId }).onConflict((oc) => oc.doNothing()).execute();
  const row = await trx.selectFrom('point_accounts').select('id').where('resident_id', '=', residentId).executeTakeFirstOrThrow();
  return row.id;
}

/** An org node's issue or spent account, created on first use. */
export async function orgAccount(trx: Trx, orgId: number, kind: 'issue' | 'spent'): Promise<number> {
  await trx.insertInto('point_accounts').values({ kind, org_id: orgId, resident_id: null }).onConflict((oc) => oc.doNothing()).execute();
  const row = await trx
    .selectFrom('point_accounts')
    .select('id')
    .where('org_id', '=', orgId)
    .where('kind', '=', kind)
    .where('resident_id', 'is', null)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface NewPointTransaction {
  kind: 'earn' | 'correct' | 'redeem' | 'refund';
  memo: string;
  signupId?: number | null;
  redemptionId?: number | null;
  createdBy: number | null;
  at: string;
}

/**
 * Posts a balanced transaction. Wallet debits that would take a balance below zero fail with
 * 409 (积分不足) and the caller's transaction rolls back with them.
 */
export async function postTransaction(trx: Trx, tx: NewPointTransaction, entries: { accountId: number; amount: number; wallet?: boolean }[]): Promise<number> {
  const moving = entries.filter((e) => e.amount !== 0);
  if (moving.reduce((s, e) => s + e.amount, 0) !== 0) throw new Error('unbalanced points transaction');
  if (!moving.length) return 0;
  const { id } = await trx
    .insertInto('point_transactions')
    .values({ kind: tx.kind, memo: tx.memo, signup_id: tx.signupId ?? null, redemption_id: tx.redemptionId ?? null, created_by: tx.createdBy, created_at: tx.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('point_entries')
    .values(moving.map((e) => ({ transaction_id: id, account_id: e.accountId, amount: e.amount })))
    .execute();
  // In a fixed order (by account id): two transactions lock shared accounts in the same order.
  for (const e of [...moving].sort((a, b) => a.accountId - b.accountId)) {
    let q = trx.updateTable('point_accounts').set((eb) => ({ balance: eb('balance', '+', e.amount) })).where('id', '=', e.accountId);
    if (e.wallet && e.amount < 0) q = q.where(sql<boolean>`balance + ${e.amount} >= 0`);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', { detail: '积分不足' });
  }
  return id;
}

/** A wallet's balance (0 when it has none yet). */
export async function walletBalance(db: Trx | import('kysely').Kysely<DB>, residentId: number): Promise<number> {
  const row = await db.selectFrom('point_accounts').select('balance').where('resident_id', '=', residentId).executeTakeFirst();
  return Number(row?.balance ?? 0);
}

/** What the resident's wallet has received for one sign-up so far (earn and corrections). */
export async function pointsForSignup(trx: Trx, walletId: number, signupId: number): Promise<number> {
  const row = await trx
    .selectFrom('point_entries as e')
    .innerJoin('point_transactions as t', 't.id', 'e.transaction_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('e.amount'), eb.lit(0)).as('n'))
    .where('e.account_id', '=', walletId)
    .where('t.signup_id', '=', signupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
