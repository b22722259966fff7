import { randomBytes } from 'node:crypto';
import type { ResidentTag } from '@haitang/contracts';
import type { AppContext } from '../src/context.js';
import { buildResidentRow } from '../src/modules/residents/resident.rows.js';

/** Test factories for org nodes, households and residents, inserted as real rows. */

/** Inserts an org node under `parentId` (null: a root) and returns its id. */
export async function insertOrgNode(
  ctx: AppContext,
  parentId: number | null,
  kind: string,
  name: string,
  geometry?: object,
): Promise<number> {
  const parent =
    parentId === null
      ? { path: '/', depth: -1 }
      : await ctx.db.selectFrom('org_units').select(['path', 'depth']).where('id', '=', parentId).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const row = await ctx.db
    .insertInto('org_units')
    .values({
      parent_id: parentId,
      kind,
      name,
      code: null,
      path: 'pending',
      depth: parent.depth + 1,
      geometry: geometry ? JSON.stringify(geometry) : null,
      min_lng: null,
      min_lat: null,
      max_lng: null,
      max_lat: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.updateTable('org_units').set({ path: `${parent.path}${row.id}/` }).where('id', '=', row.id).execute();
  return row.id;
}

export async function insertHousehold(ctx: AppContext, orgId: number, address: string): Promise<number> {
  const now = new Date().toISOString();
  const row = await ctx.db
    .insertInto('households')
    .values({ org_id: orgId, building_id: null, unit_label: null, room: null, address, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let phoneCounter = 0;

/** Inserts a resident (with a phone, so tests can check that no personal number leaks). */
export async function insertResident(
  ctx: AppContext,
  orgId: number,
  name: string,
  opts: { householdId?: number | null; tags?: ResidentTag[] } = {},
): Promise<number> {
  const now = new Date().toISOString();
  const phone = `139${String(10_000_000 + ++phoneCounter * 7919).slice(-8)}`;
  const row = await ctx.db
    .insertInto('residents')
    .values(buildResidentRow(ctx.crypto, { name, orgId, householdId: opts.householdId ?? null, phone, tags: opts.tags ?? [] }, now))
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const tag of opts.tags ?? []) {
    await ctx.db.insertInto('resident_tags').values({ resident_id: row.id, tag }).execute();
  }
  return row.id;
}

/** The resident's tags as stored in both places, and its version. */
export async function residentTags(ctx: AppContext, id: number): Promise<{ json: string[]; rows: string[]; version: number }> {
  const r = await ctx.db.selectFrom('residents').select(['tags', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  const rows = await ctx.db.selectFrom('resident_tags').select('tag').where('resident_id', '=', id).orderBy('tag').execute();
  return { json: JSON.parse(r.tags), rows: rows.map((x) => x.tag), version: r.version };
}

/** Audit actions written about an entity, oldest first. */
export async function auditActions(ctx: AppContext, entityType: string, entityId: number): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('audit_log')
    .select('action')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** Factories for the other records hung on org nodes (raw rows: no rule checks, no audit). */
const stamps = () => {
  const now = new Date().toISOString();
  return { created_at: now, updated_at: now };
};

export async function insertBuilding(ctx: AppContext, orgId: number, name: string): Promise<number> {
  const values = { org_id: orgId, name, address: null, lng: null, lat: null, ...stamps() };
  return (await ctx.db.insertInto('buildings').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertPartyOrg(
  ctx: AppContext,
  orgId: number,
  kind: string,
  name: string,
  opts: { parentId?: number | null; householdId?: number | null } = {},
): Promise<number> {
  const values = {
    parent_id: opts.parentId ?? null,
    kind,
    name,
    org_id: orgId,
    household_id: opts.householdId ?? null,
    secretary_resident_id: null,
    description: null,
    ...stamps(),
  };
  return (await ctx.db.insertInto('party_orgs').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertPartyMember(ctx: AppContext, partyOrgId: number, residentId: number, role = 'member'): Promise<void> {
  await ctx.db.insertInto('party_members').values({ party_org_id: partyOrgId, resident_id: residentId, role, joined_at: stamps().created_at }).execute();
}

export async function insertTeam(ctx: AppContext, orgId: number, name: string, kind = 'volunteer'): Promise<number> {
  const values = { org_id: orgId, kind, name, description: null, ...stamps() };
  return (await ctx.db.insertInto('teams').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertTeamMember(ctx: AppContext, teamId: number, residentId: number, role = 'member'): Promise<void> {
  await ctx.db.insertInto('team_members').values({ team_id: teamId, resident_id: residentId, role, grid_id: null, joined_at: stamps().created_at }).execute();
}

export async function insertAllianceMember(ctx: AppContext, orgId: number, name: string, kind = 'property'): Promise<number> {
  const values = { org_id: orgId, kind, name, contact_name: null, contact_phone: null, address: null, services: null, ...stamps() };
  return (await ctx.db.insertInto('alliance_members').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** An import job of `accountId` on the org node, validated with no rows (ready to commit). */
export async function insertImportJob(ctx: AppContext, accountId: number, orgId: number, status = 'validated'): Promise<number> {
  const values = { account_id: accountId, org_id: orgId, kind: 'residents', file_name: 'residents.xlsx', file_sha256: '0'.repeat(64), status, message: null, ...stamps() };
  return (await ctx.db.insertInto('import_jobs').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Inserts a work order at an org node directly (state `accepted` unless given), with its submit event. */
export async function insertOrder(
  ctx: AppContext,
  orgId: number,
  opts: { status?: string; title?: string; handlerOrgId?: number | null } = {},
): Promise<number> {
  const now = new Date().toISOString();
  const category = await ctx.db.selectFrom('order_categories').select('id').where('code', '=', 'garbage').executeTakeFirstOrThrow();
  const row = await ctx.db
    .insertInto('work_orders')
    .values({
      number: `T${randomBytes(8).toString('hex')}`,
      channel: 'visit',
      category_id: category.id,
      urgency: 'normal',
      title: opts.title ?? '垃圾未清运',
      description: '垃圾桶满溢未清运',
      original_description: '垃圾桶满溢未清运',
      org_id: orgId,
      handler_org_id: opts.handlerOrgId ?? null,
      status: opts.status ?? 'accepted',
      accepted_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('order_events')
    .values({ order_id: row.id, action: 'submit', from_status: null, to_status: 'submitted', actor_id: null, actor_name: 'test', note: null, data: null, created_at: now })
    .execute();
  return row.id;
}

/** Adds a checklist item to an order (and counts it open). */
export async function insertOrderItem(ctx: AppContext, orderId: number, title = '清理'): Promise<number> {
  const now = new Date().toISOString();
  const row = await ctx.db.insertInto('order_items').values({ order_id: orderId, title, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await ctx.db.updateTable('work_orders').set((eb) => ({ items_open: eb('items_open', '+', 1) })).where('id', '=', orderId).execute();
  return row.id;
}

/** Attaches a small PNG to an order. */
export async function insertOrderPhoto(ctx: AppContext, orderId: number): Promise<number> {
  const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  const row = await ctx.db
    .insertInto('order_attachments')
    .values({ order_id: orderId, event_id: null, item_id: null, name: 'p.png', mime: 'image/png', size: data.length, data, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * An activity on the org node (published unless given), starting `startInMinutes` from now and
 * lasting two hours, with room for 10; created by the first account.
 */
export async function insertActivity(
  ctx: AppContext,
  orgId: number,
  opts: { status?: string; startInMinutes?: number; title?: string } = {},
): Promise<number> {
  const creator = await ctx.db.selectFrom('accounts').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const start = Date.now() + (opts.startInMinutes ?? 24 * 60) * 60_000;
  const values = {
    org_id: orgId, team_id: null, organiser: null, kind: 'service', title: opts.title ?? '矩阵活动', description: null, place: '活动室',
    starts_at: new Date(start).toISOString(), ends_at: new Date(start + 120 * 60_000).toISOString(), capacity: 10, cap_minutes: null,
    status: opts.status ?? 'published', cancel_reason: null, created_by: creator.id, ...stamps(),
  };
  return (await ctx.db.insertInto('activities').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * A confirmed sign-up of the resident (checked in and out with computed minutes when `minutes` is
 * given; those minutes certified too when `certified`).
 */
export async function insertSignup(ctx: AppContext, activityId: number, residentId: number, minutes?: number, certified = false): Promise<number> {
  const now = new Date().toISOString();
  const attended = minutes === undefined ? {} : { checked_in_at: now, checked_out_at: now, computed_minutes: minutes };
  if (certified) Object.assign(attended, { confirmed_minutes: minutes, confirmed_at: now });
  const values = { activity_id: activityId, resident_id: residentId, status: 'confirmed', queued_at: now, proxy_account_id: null, ...attended, ...stamps() };
  const id = (await ctx.db.insertInto('activity_signups').values(values).returning('id').executeTakeFirstOrThrow()).id;
  await ctx.db.updateTable('activities').set((eb) => ({ confirmed_count: eb('confirmed_count', '+', 1) })).where('id', '=', activityId).execute();
  return id;
}

export async function insertReward(ctx: AppContext, orgId: number, cost = 10, stock = 5): Promise<number> {
  const values = { org_id: orgId, name: '矩阵奖品', description: null, cost, stock, ...stamps() };
  return (await ctx.db.insertInto('rewards').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** A redemption row as it stands after the request (pending) or the approval (with a pickup code). No ledger entries. */
export async function insertRedemption(ctx: AppContext, rewardId: number, residentId: number, status = 'pending', pickupCode: string | null = null): Promise<number> {
  const values = { reward_id: rewardId, resident_id: residentId, points: 0, status, pickup_code: pickupCode, ...stamps() };
  return (await ctx.db.insertInto('redemptions').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** A wish on the org node in the given state (no claim row: the state is all the use cases check). */
export async function insertWish(ctx: AppContext, orgId: number, status = 'collected'): Promise<number> {
  const published = ['published', 'claimed', 'contacted', 'fulfilled', 'thanked'].includes(status) ? new Date().toISOString() : null;
  const values = { org_id: orgId, channel: 'card', wisher_resident_id: null, wisher_name: '矩阵心愿人', wisher_surname: '矩', content: '矩阵心愿', status, published_at: published, created_by: null, ...stamps() };
  return (await ctx.db.insertInto('wishes').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertSeries(ctx: AppContext, orgId: number, title = '矩阵课程'): Promise<number> {
  const creator = await ctx.db.selectFrom('accounts').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const values = { org_id: orgId, team_id: null, title, description: null, created_by: creator.id, ...stamps() };
  return (await ctx.db.insertInto('class_series').values(values).returning('id').executeTakeFirstOrThrow()).id;
}
