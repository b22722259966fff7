import type { Insertable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../db/schema.js';
import { writeAudit } from '../lib/audit.js';
import { validateGeometry } from '../modules/org/org.geometry.js';
import { buildResidentRow } from '../modules/residents/resident.rows.js';
import { DEMO_ACCOUNTS } from './accounts.js';
import { rectangle } from './geo.js';
import { writeDemoOrders } from './orders.js';
import { writeDemoActivities } from './activities.js';
import { writeDemoWishes } from './wishes.js';
import type { DemoPlan } from './plan.js';

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

export interface SeedCounts {
  orgUnits: number;
  buildings: number;
  households: number;
  residents: number;
  tags: Record<string, number>;
  partyOrgs: number;
  partyMembers: number;
  teams: number;
  teamMembers: number;
  allianceMembers: number;
  accounts: number;
  /** Work orders by state (orders.ts). */
  orders: Record<string, number>;
  /** Activities of 竹辉社区 (activities.ts). */
  activities: number;
  /** Wishes in 竹辉新村's wish box (wishes.ts). */
  wishes: number;
}

async function insertInChunks<T extends keyof DB & string>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) {
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}

/**
 * Writes a planned world inside the caller's transaction: batched inserts, then one select per
 * table to learn the generated ids (by natural key, not by insertion order). One audit entry
 * summarises the counts; individual rows are not audited.
 */
export async function writeDemoWorld(
  trx: Transaction<DB>,
  ctx: AppContext,
  plan: DemoPlan,
  passwordHashes: readonly string[],
  now: string,
): Promise<SeedCounts> {
  // Org tree, parents first: the materialised path needs the node's own id.
  const org = new Map<string, { id: number; path: string }>();
  for (const o of plan.orgs) {
    const parent = o.parentKey ? org.get(o.parentKey)! : null;
    const geometry = o.box ? rectangle(o.box) : null;
    const bbox = geometry ? validateGeometry(geometry) : null;
    const { id } = await trx
      .insertInto('org_units')
      .values({
        parent_id: parent?.id ?? null,
        kind: o.kind,
        name: o.name,
        code: o.code,
        path: 'pending',
        depth: o.depth,
        geometry: geometry ? JSON.stringify(geometry) : null,
        min_lng: bbox?.minLng ?? null,
        min_lat: bbox?.minLat ?? null,
        max_lng: bbox?.maxLng ?? null,
        max_lat: bbox?.maxLat ?? null,
        sort_order: o.sortOrder,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parent?.path ?? '/'}${id}/`;
    await trx.updateTable('org_units').set({ path }).where('id', '=', id).execute();
    org.set(o.key, { id, path });
  }
  const orgId = (key: string) => org.get(key)!.id;
  const allOrgIds = [...org.values()].map((o) => o.id);

  await insertInChunks(
    trx,
    'buildings',
    plan.buildings.map((b) => ({ org_id: orgId(b.orgKey), name: b.name, address: b.address, lng: b.lng, lat: b.lat, created_at: now, updated_at: now })),
  );
  const buildingRows = await trx.selectFrom('buildings').select(['id', 'name']).where('org_id', 'in', allOrgIds).execute();
  const buildingIdByName = new Map(buildingRows.map((r) => [r.name, r.id]));
  const buildingIds = plan.buildings.map((b) => buildingIdByName.get(b.name)!);

  await insertInChunks(
    trx,
    'households',
    plan.households.map((h) => ({
      org_id: orgId(h.orgKey),
      building_id: buildingIds[h.building]!,
      unit_label: h.unitLabel,
      room: h.room,
      address: h.address,
      created_at: now,
      updated_at: now,
    })),
  );
  const householdRows = await trx
    .selectFrom('households')
    .select(['id', 'building_id', 'unit_label', 'room'])
    .where('org_id', 'in', allOrgIds)
    .execute();
  const householdIdByKey = new Map(householdRows.map((r) => [`${r.building_id}|${r.unit_label}|${r.room}`, r.id]));
  const householdIds = plan.households.map((h) => householdIdByKey.get(`${buildingIds[h.building]}|${h.unitLabel}|${h.room}`)!);

  const residentRows = plan.residents.map((r) =>
    buildResidentRow(
      ctx.crypto,
      {
        name: r.name,
        orgId: orgId(r.orgKey),
        householdId: householdIds[r.household]!,
        idNumber: r.idNumber,
        phone: r.phone,
        gender: r.gender,
        birthDate: r.birthDate,
        address: r.address,
        relationToHead: r.relation,
        tags: r.tags,
      },
      now,
    ),
  );
  await insertInChunks(trx, 'residents', residentRows);
  const insertedResidents = await trx
    .selectFrom('residents')
    .select(['id', 'id_number_hash'])
    .where('org_id', 'in', allOrgIds)
    .execute();
  const residentIdByHash = new Map(insertedResidents.map((r) => [r.id_number_hash, r.id]));
  const residentIds = residentRows.map((r) => residentIdByHash.get(r.id_number_hash ?? null)!);

  const tagRows = plan.residents.flatMap((r, i) => r.tags.map((tag) => ({ resident_id: residentIds[i]!, tag })));
  await insertInChunks(trx, 'resident_tags', tagRows);

  const partyOrgIds: number[] = [];
  for (const p of plan.partyOrgs) {
    const { id } = await trx
      .insertInto('party_orgs')
      .values({
        parent_id: p.parent === null ? null : partyOrgIds[p.parent]!,
        kind: p.kind,
        name: p.name,
        org_id: orgId(p.orgKey),
        household_id: p.household === null ? null : householdIds[p.household]!,
        secretary_resident_id: p.secretary === null ? null : residentIds[p.secretary]!,
        description: p.description,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    partyOrgIds.push(id);
  }
  const partyMemberRows = plan.partyOrgs.flatMap((p, i) =>
    p.members.map((m) => ({ party_org_id: partyOrgIds[i]!, resident_id: residentIds[m.resident]!, role: m.role, joined_at: m.joinedAt })),
  );
  await insertInChunks(trx, 'party_members', partyMemberRows);

  const teamIds: number[] = [];
  for (const t of plan.teams) {
    const { id } = await trx
      .insertInto('teams')
      .values({ org_id: orgId(t.orgKey), kind: t.kind, name: t.name, description: t.description, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    teamIds.push(id);
  }
  const teamMemberRows = plan.teams.flatMap((t, i) =>
    t.members.map((m) => ({
      team_id: teamIds[i]!,
      resident_id: residentIds[m.resident]!,
      role: m.role,
      grid_id: m.gridKey ? orgId(m.gridKey) : null,
      joined_at: m.joinedAt,
    })),
  );
  await insertInChunks(trx, 'team_members', teamMemberRows);

  await insertInChunks(
    trx,
    'alliance_members',
    plan.alliance.map((a) => ({
      org_id: orgId(a.community),
      kind: a.kind,
      name: a.name,
      contact_name: a.contactName,
      contact_phone: a.contactPhone,
      address: a.address,
      services: a.services,
      created_at: now,
      updated_at: now,
    })),
  );

  await insertInChunks(
    trx,
    'accounts',
    DEMO_ACCOUNTS.map((a, i) => {
      const resident = a.resident === undefined ? null : plan.named[a.resident]!;
      return {
        username: a.username,
        display_name: a.displayName,
        password_hash: passwordHashes[i]!,
        role: a.role,
        org_id: orgId(a.orgKey ?? plan.residents[resident!]!.orgKey),
        resident_id: resident === null ? null : residentIds[resident]!,
        locked_until: null,
        password_changed_at: null,
        created_at: now,
        updated_at: now,
      };
    }),
  );

  const orders = await writeDemoOrders(trx, ctx, plan, { orgId, householdIds, residentIds }, now);
  const staff = await trx.selectFrom('accounts').select('id').where('username', '=', 'staff').executeTakeFirstOrThrow();
  const activities = await writeDemoActivities(trx, plan, { community: orgId('zhuhui'), teamIds, residentIds, staffAccountId: staff.id }, now);
  const wishes = await writeDemoWishes(trx, plan, { orgId, residentIds, teamIds, staffAccountId: staff.id }, now);

  const tags: Record<string, number> = {};
  for (const t of tagRows) tags[t.tag] = (tags[t.tag] ?? 0) + 1;
  const counts: SeedCounts = {
    orgUnits: plan.orgs.length,
    buildings: plan.buildings.length,
    households: plan.households.length,
    residents: plan.residents.length,
    tags,
    partyOrgs: plan.partyOrgs.length,
    partyMembers: partyMemberRows.length,
    teams: plan.teams.length,
    teamMembers: teamMemberRows.length,
    allianceMembers: plan.alliance.length,
    accounts: DEMO_ACCOUNTS.length,
    orders,
    activities,
    wishes,
  };
  await writeAudit(trx, ctx.dialect, null, {
    action: 'demo.seed',
    entityType: 'system',
    orgId: orgId(plan.orgs[0]!.key),
    after: counts,
  });
  return counts;
}
