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
