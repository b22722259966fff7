import { randomInt } from 'node:crypto';
import {
  servicePoints,
  type CreateRewardBody,
  type DecideRedemptionBody,
  type PickupBody,
  type PointLedger,
  type RedemptionStatus,
  type RedemptionView,
  type RewardView,
  type UpdateRewardBody,
} from '@haitang/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { updateVersioned } from '../../db/versioned.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { viewName } from '../../lib/names.js';
import { requireResidentSelf } from '../activities/activity.policy.js';
import { findOrgUnit, pathIds } from '../org/org.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { orgAccount, pointsForSignup, postTransaction, walletBalance, walletOf } from './points.ledger.js';

/** The points rules: per certified hour, and each activity kind's coefficient. */
export async function pointRules(db: Kysely<DB> | Transaction<DB>): Promise<{ rate: number; coefficient: (kind: string) => number }> {
  const rows = await db.selectFrom('point_rules').select(['kind', 'coefficient_pct']).execute();
  const pct = new Map(rows.map((r) => [r.kind, r.coefficient_pct]));
  return { rate: (pct.get('*rate') ?? 1000) / 100, coefficient: (kind) => (pct.get(kind) ?? 100) / 100 };
}

/**
 * Brings a sign-up's points in line with its certified minutes, in the caller's transaction: the
 * first certification earns them, a correction posts the difference (a correction downwards that
 * the resident has already spent is refused: no balance goes below zero).
 */
export async function awardServicePoints(
  trx: Transaction<DB>,
  p: { signupId: number; residentId: number; activityOrgId: number; activityKind: string; title: string; minutes: number; actorId: number; at: string },
): Promise<number> {
  const rules = await pointRules(trx);
  const target = servicePoints(p.minutes, rules.rate, rules.coefficient(p.activityKind));
  const resident = await trx.selectFrom('residents').select('org_id').where('id', '=', p.residentId).executeTakeFirstOrThrow();
  const wallet = await walletOf(trx, p.residentId, resident.org_id);
  const prior = await pointsForSignup(trx, wallet, p.signupId);
  const delta = target - prior;
  if (delta === 0) return target;
  const issue = await orgAccount(trx, p.activityOrgId, 'issue');
  await postTransaction(
    trx,
    { kind: prior === 0 ? 'earn' : 'correct', memo: `${p.title}(${p.minutes} 分钟)`, signupId: p.signupId, createdBy: p.actorId, at: p.at },
    [
      { accountId: wallet, amount: delta, wallet: true },
      { accountId: issue, amount: -delta },
    ],
  ).catch((err) => {
    if (err instanceof AppError && err.code === 'CONFLICT') throw new AppError('CONFLICT', { detail: '该居民的积分已兑换使用,不能按更少的时长扣回' });
    throw err;
  });
  return target;
}

/** A resident's points: balance and entries, newest first. */
export async function ledgerOf(ctx: AppContext, residentId: number, limit = 100): Promise<PointLedger> {
  const rows = await ctx.db
    .selectFrom('point_entries as e')
    .innerJoin('point_accounts as a', 'a.id', 'e.account_id')
    .innerJoin('point_transactions as t', 't.id', 'e.transaction_id')
    .select(['t.id', 't.kind', 't.memo', 'e.amount', 't.created_at'])
    .where('a.resident_id', '=', residentId)
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
  return {
    balance: await walletBalance(ctx.db, residentId),
    entries: rows.map((r) => ({ transactionId: r.id, kind: r.kind, memo: r.memo, amount: Number(r.amount), createdAt: r.created_at })),
  };
}

export async function myLedger(ctx: AppContext, actor: Actor): Promise<PointLedger> {
  return ledgerOf(ctx, requireResidentSelf(actor));
}

// ── rewards ──

interface RewardRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  name: string;
  description: string | null;
  cost: number;
  stock: number;
  status: string;
  version: number;
}

function selectRewards(db: Kysely<DB> | Transaction<DB>) {
  return db
    .selectFrom('rewards as w')
    .innerJoin('org_units as o', 'o.id', 'w.org_id')
    .select(['w.id', 'w.org_id', 'o.name as org_name', 'o.path as org_path', 'w.name', 'w.description', 'w.cost', 'w.stock', 'w.status', 'w.version']);
}

const mapReward = (r: RewardRow): RewardView => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, description: r.description, cost: r.cost, stock: r.stock,
  status: r.status as RewardView['status'], version: r.version,
});

/** Rewards the actor can see: staff those of their subtree and of the nodes above; residents those on the way home. */
export async function listRewards(ctx: AppContext, actor: Actor): Promise<{ items: RewardView[] }> {
  if (actor.role !== 'resident') requirePermission(actor, 'activity.read');
  const above = actor.role === 'resident' ? pathIds(actor.orgPath) : pathIds(actor.orgPath).slice(0, -1);
  const rows = await selectRewards(ctx.db)
    .where((eb) => {
      const up = eb.and([eb('w.org_id', 'in', above.length ? above : [-1]), eb('w.status', '=', 'active')]);
      if (actor.role === 'resident') return up;
      return eb.or([eb.and([eb('o.path', '>=', actor.orgPath), eb('o.path', '<', `${actor.orgPath.slice(0, -1)}0`)]), up]);
    })
    .orderBy('w.cost')
    .orderBy('w.id')
    .execute();
  return { items: rows.map(mapReward) };
}

async function findReward(db: Kysely<DB> | Transaction<DB>, id: number): Promise<RewardRow | undefined> {
  return selectRewards(db).where('w.id', '=', id).executeTakeFirst();
}

/** Staff who may manage a node's rewards: activity.write and the node in scope. */
function authorizeRewardWrite(actor: Actor, row: { org_path: string } | undefined) {
  requirePermission(actor, 'activity.write');
  requireInScope(actor, row?.org_path);
}

export async function createReward(ctx: AppContext, actor: Actor, body: CreateRewardBody): Promise<RewardView> {
  requirePermission(actor, 'activity.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (node!.kind === 'department') throw new AppError('VALIDATION_FAILED', { detail: '积分奖品应由街道或社区提供' });
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('rewards')
      .values({ org_id: node!.id, name: body.name.trim(), description: body.description?.trim() || null, cost: body.cost, stock: body.stock, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const view = mapReward((await findReward(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, { action: 'reward.create', entityType: 'reward', entityId: id, orgId: node!.id, after: view });
    return view;
  });
}

export async function updateReward(ctx: AppContext, actor: Actor, id: number, body: UpdateRewardBody): Promise<RewardView> {
  const row = await findReward(ctx.db, id);
  authorizeRewardWrite(actor, row);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'rewards',
      id,
      body.version,
      {
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.description !== undefined && { description: body.description?.trim() || null }),
        ...(body.cost !== undefined && { cost: body.cost }),
        ...(body.stock !== undefined && { stock: body.stock }),
        ...(body.status !== undefined && { status: body.status }),
      },
      { now },
    );
    const view = mapReward((await findReward(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, { action: 'reward.update', entityType: 'reward', entityId: id, orgId: row!.org_id, before: mapReward(row!), after: view });
    return view;
  });
}

// ── redemptions ──

interface RedemptionRow {
  id: number;
  reward_id: number;
  reward_name: string;
  reward_org_id: number;
  reward_org_path: string;
  resident_id: number;
  resident_name: string;
  points: number;
  status: string;
  pickup_code: string | null;
  reason: string | null;
  created_at: string;
  version: number;
}

function selectRedemptions(db: Kysely<DB> | Transaction<DB>) {
  return db
    .selectFrom('redemptions as d')
    .innerJoin('rewards as w', 'w.id', 'd.reward_id')
    .innerJoin('org_units as o', 'o.id', 'w.org_id')
    .innerJoin('residents as r', 'r.id', 'd.resident_id')
    .select([
      'd.id', 'd.reward_id', 'w.name as reward_name', 'w.org_id as reward_org_id', 'o.path as reward_org_path', 'd.resident_id',
      'r.name as resident_name', 'd.points', 'd.status', 'd.pickup_code', 'd.reason', 'd.created_at', 'd.version',
    ]);
}

/** The pickup code is the resident's to show; staff type what the resident shows them. */
function mapRedemption(r: RedemptionRow, viewer: { fullName: boolean; ownCode: boolean }): RedemptionView {
  return {
    id: r.id, rewardId: r.reward_id, rewardName: r.reward_name, residentId: r.resident_id,
    residentName: viewName(r.resident_name, viewer), points: r.points, status: r.status as RedemptionStatus,
    pickupCode: viewer.ownCode ? r.pickup_code : null, reason: r.reason, createdAt: r.created_at, version: r.version,
  };
}

/** Staff: the redemptions of rewards in their subtree. A resident: their own. */
export async function listRedemptions(ctx: AppContext, actor: Actor, q: { status?: RedemptionStatus }): Promise<{ items: RedemptionView[] }> {
  let query = selectRedemptions(ctx.db);
  if (actor.role === 'resident') query = query.where('d.resident_id', '=', requireResidentSelf(actor));
  else {
    requirePermission(actor, 'activity.read');
    query = query.where('o.path', '>=', actor.orgPath).where('o.path', '<', `${actor.orgPath.slice(0, -1)}0`);
  }
  if (q.status) query = query.where('d.status', '=', q.status);
  const rows = await query.orderBy('d.id', 'desc').limit(200).execute();
  const viewer = { fullName: actor.role === 'resident' || canSeeFullNames(actor), ownCode: actor.role === 'resident' };
  return { items: rows.map((r) => mapRedemption(r, viewer)) };
}

/**
 * Asks for a reward: the resident (or staff for a resident of their area). The points leave the
 * wallet at once (held until the decision; a rejection returns them) and a piece of stock is
 * reserved; either running out answers 409 and nothing changes.
 */
export async function redeem(ctx: AppContext, actor: Actor, rewardId: number, body: { residentId?: number }): Promise<RedemptionView> {
  const reward = await findReward(ctx.db, rewardId);
  let residentId: number;
  if (actor.role === 'resident') {
    residentId = requireResidentSelf(actor);
    if (!reward || reward.status !== 'active' || !actor.orgPath.startsWith(reward.org_path)) throw new AppError('NOT_FOUND');
  } else {
    authorizeRewardWrite(actor, reward);
    if (body.residentId === undefined) throw new AppError('VALIDATION_FAILED', { detail: '请选择居民' }, { field: 'residentId' });
    residentId = body.residentId;
    const r = await ctx.db.selectFrom('residents as r').innerJoin('org_units as o', 'o.id', 'r.org_id').select(['o.path', 'r.status']).where('r.id', '=', residentId).executeTakeFirst();
    requireInScope(actor, r?.path);
    if (r!.status !== 'active') throw new AppError('CONFLICT', { detail: '该居民不是在册状态' });
    if (!r!.path.startsWith(reward!.org_path)) throw new AppError('CONFLICT', { detail: '该居民不在此奖品的兑换范围内' });
    if (reward!.status !== 'active') throw new AppError('CONFLICT', { detail: '该奖品已下架' });
  }
  const now = nowIso();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const stock = await trx
      .updateTable('rewards')
      .set((eb) => ({ stock: eb('stock', '-', 1) }))
      .where('id', '=', rewardId)
      .where('stock', '>', 0)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(stock.numUpdatedRows) !== 1) throw new AppError('CONFLICT', { detail: '该奖品已兑完' });
    // The price as it stands now that this transaction holds the reward row.
    const { cost } = await trx.selectFrom('rewards').select('cost').where('id', '=', rewardId).executeTakeFirstOrThrow();
    const { id } = await trx
      .insertInto('redemptions')
      .values({ reward_id: rewardId, resident_id: residentId, points: cost, status: 'pending', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const resident = await trx.selectFrom('residents').select('org_id').where('id', '=', residentId).executeTakeFirstOrThrow();
    const wallet = await walletOf(trx, residentId, resident.org_id);
    const spent = await orgAccount(trx, reward!.org_id, 'spent');
    await postTransaction(trx, { kind: 'redeem', memo: `兑换:${reward!.name}`, redemptionId: id, createdBy: actor.id, at: now }, [
      { accountId: wallet, amount: -cost, wallet: true },
      { accountId: spent, amount: cost },
    ]);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'reward.redeem', entityType: 'redemption', entityId: id, orgId: reward!.org_id, after: { rewardId, residentId, points: cost },
    });
    return id;
  });
  return redemptionView(ctx, actor, id);
}

async function redemptionView(ctx: AppContext, actor: Actor, id: number): Promise<RedemptionView> {
  const row = (await selectRedemptions(ctx.db).where('d.id', '=', id).executeTakeFirst())!;
  return mapRedemption(row, { fullName: actor.role === 'resident' || canSeeFullNames(actor), ownCode: actor.role === 'resident' });
}

async function authorizeRedemption(ctx: AppContext, actor: Actor, id: number): Promise<RedemptionRow> {
  const row = await selectRedemptions(ctx.db).where('d.id', '=', id).executeTakeFirst();
  requirePermission(actor, 'activity.write');
  requireInScope(actor, row?.reward_org_path);
  return row!;
}

/** Approves (a pickup code for the resident) or rejects with a reason (points and stock go back). */
export async function decideRedemption(ctx: AppContext, actor: Actor, id: number, body: DecideRedemptionBody): Promise<RedemptionView> {
  const row = await authorizeRedemption(ctx, actor, id);
  if (row.status !== 'pending') throw new AppError('INVALID_TRANSITION', { detail: '该兑换已处理' });
  const reason = body.reason?.trim() || null;
  if (!body.approve && !reason) throw new AppError('VALIDATION_FAILED', { detail: '请填写不通过的原因' }, { field: 'reason' });
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const set = body.approve
      ? { status: 'approved', pickup_code: String(randomInt(0, 1_000_000)).padStart(6, '0'), decided_by: actor.id, decided_at: now }
      : { status: 'rejected', reason, decided_by: actor.id, decided_at: now };
    await updateVersioned(trx, 'redemptions', id, body.version, set, { now, also: { status: 'pending' } });
    if (!body.approve) {
      // The reward row first, then the accounts: the order redeem() takes them in (no deadlock between the two).
      await trx.updateTable('rewards').set((eb) => ({ stock: eb('stock', '+', 1) })).where('id', '=', row.reward_id).execute();
      const resident = await trx.selectFrom('residents').select('org_id').where('id', '=', row.resident_id).executeTakeFirstOrThrow();
      const wallet = await walletOf(trx, row.resident_id, resident.org_id);
      const spent = await orgAccount(trx, row.reward_org_id, 'spent');
      await postTransaction(trx, { kind: 'refund', memo: `退回:${row.reward_name}`, redemptionId: id, createdBy: actor.id, at: now }, [
        { accountId: wallet, amount: row.points, wallet: true },
        { accountId: spent, amount: -row.points },
      ]);
    }
    await writeAudit(trx, ctx.dialect, actor, {
      action: body.approve ? 'reward.approve' : 'reward.reject', entityType: 'redemption', entityId: id, orgId: row.reward_org_id,
      before: { status: 'pending' }, after: { status: set.status, reason },
    });
  });
  return redemptionView(ctx, actor, id);
}

/** Wrong codes a redemption takes before its code stops working. */
const MAX_PICKUP_ATTEMPTS = 5;

/** The resident collects the reward: staff type the code the resident shows. */
export async function pickUp(ctx: AppContext, actor: Actor, id: number, body: PickupBody): Promise<RedemptionView> {
  const row = await authorizeRedemption(ctx, actor, id);
  if (row.status !== 'approved') throw new AppError('INVALID_TRANSITION', { detail: row.status === 'picked_up' ? '该奖品已领取' : '该兑换尚未通过审核' });
  // Each try takes one of the five first (one conditional update), then the code is compared: many
  // tries at once cannot get past the limit.
  const tried = await ctx.db
    .updateTable('redemptions')
    .set((eb) => ({ pickup_attempts: eb('pickup_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('pickup_attempts', '<', MAX_PICKUP_ATTEMPTS)
    .executeTakeFirst();
  if (Number(tried.numUpdatedRows) !== 1) throw new AppError('CONFLICT', { detail: '领取码错误次数过多,已停用;请将该兑换退回后重新申请' });
  if (body.pickupCode.trim() !== row.pickup_code) throw new AppError('VALIDATION_FAILED', { detail: '领取码不正确' }, { field: 'pickupCode' });
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'redemptions', id, body.version, { status: 'picked_up', picked_up_at: now }, { now, also: { status: 'approved' } });
    await writeAudit(trx, ctx.dialect, actor, { action: 'reward.pickup', entityType: 'redemption', entityId: id, orgId: row.reward_org_id, after: { status: 'picked_up' } });
  });
  return redemptionView(ctx, actor, id);
}

