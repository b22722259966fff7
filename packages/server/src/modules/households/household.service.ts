import {
  hasPermission,
  type Building,
  type BuildingListQuery,
  type CreateBuildingBody,
  type CreateHouseholdBody,
  type Household,
  type HouseholdDetail,
  type HouseholdListQuery,
  type UpdateBuildingBody,
  type UpdateHouseholdBody,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';
import { mapResidentView } from '../residents/resident.mapper.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { findResidentViewsByHousehold, isUniqueViolation, moveHouseholdMembers } from '../residents/resident.repository.js';
import { mapBuilding, mapHousehold } from './household.mapper.js';
import { authorizeHouseholdRead, authorizeHouseholdWrite, requireHouseholdRead, requireMicroGrid } from './household.policy.js';
import {
  countHouseholds,
  findBuilding,
  findBuildingByName,
  findBuildings,
  findHousehold,
  findHouseholdByRoom,
  findHouseholds,
  insertBuilding,
  insertHousehold,
  updateBuildingRow,
  updateHouseholdRow,
} from './household.repository.js';

/** Most buildings one list returns (a whole street has a few thousand). */
const BUILDING_LIST_LIMIT = 5000;

/** The subtree to list: the actor's, or a node inside it (else 404). */
async function scopePath(ctx: AppContext, actor: Actor, orgId: number | undefined): Promise<string> {
  if (orgId === undefined || orgId === actor.orgId) return actor.orgPath;
  const node = await findOrgUnit(ctx.db, orgId);
  requireInScope(actor, node?.path);
  return node!.path;
}

const clean = (s: string | null | undefined) => s?.trim() || null;

export async function listBuildings(ctx: AppContext, actor: Actor, query: BuildingListQuery): Promise<{ items: Building[] }> {
  requireHouseholdRead(actor);
  const path = await scopePath(ctx, actor, query.orgId);
  const rows = await findBuildings(ctx.db, ctx.dialect, path, BUILDING_LIST_LIMIT);
  return { items: rows.map(mapBuilding) };
}

async function assertBuildingNameFree(ctx: AppContext, orgId: number, name: string, exceptId?: number) {
  if (await findBuildingByName(ctx.db, orgId, name, exceptId)) {
    throw new AppError('DUPLICATE', { detail: `该微网格下已有楼栋“${name}”` }, { field: 'name' });
  }
}

export async function createBuilding(ctx: AppContext, actor: Actor, body: CreateBuildingBody): Promise<Building> {
  requirePermission(actor, 'resident.write');
  const org = requireMicroGrid(actor, await findOrgUnit(ctx.db, body.orgId));
  const name = body.name.trim();
  await assertBuildingNameFree(ctx, org.id, name);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertBuilding(trx, {
      org_id: org.id,
      name,
      address: clean(body.address),
      lng: body.lng ?? null,
      lat: body.lat ?? null,
      created_at: now,
      updated_at: now,
    });
    const view = mapBuilding((await findBuilding(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, { action: 'building.create', entityType: 'building', entityId: id, orgId: org.id, after: view });
    return view;
  });
}

export async function updateBuilding(ctx: AppContext, actor: Actor, id: number, body: UpdateBuildingBody): Promise<Building> {
  const current = authorizeHouseholdWrite(actor, await findBuilding(ctx.db, id));
  const name = body.name?.trim();
  if (name !== undefined && name !== current.name) await assertBuildingNameFree(ctx, current.org_id, name, id);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const ok = await updateBuildingRow(trx, id, body.version, {
      ...(name !== undefined ? { name } : {}),
      ...(body.address !== undefined ? { address: clean(body.address) } : {}),
      ...(body.lng !== undefined ? { lng: body.lng } : {}),
      ...(body.lat !== undefined ? { lat: body.lat } : {}),
      updated_at: now,
    });
    if (!ok) throw new AppError('VERSION_CONFLICT');
    const after = mapBuilding((await findBuilding(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'building.update',
      entityType: 'building',
      entityId: id,
      orgId: current.org_id,
      before: mapBuilding(current),
      after,
    });
    return after;
  });
}

export async function listHouseholds(
  ctx: AppContext,
  actor: Actor,
  query: HouseholdListQuery,
): Promise<{ items: Household[]; total: number }> {
  requireHouseholdRead(actor);
  const path = await scopePath(ctx, actor, query.orgId);
  if (query.buildingId !== undefined) authorizeHouseholdRead(actor, await findBuilding(ctx.db, query.buildingId));
  const filter = { path, buildingId: query.buildingId, q: query.q?.trim() || undefined };
  const pageSize = query.pageSize ?? 20;
  const offset = ((query.page ?? 1) - 1) * pageSize;
  const [rows, total] = await Promise.all([
    findHouseholds(ctx.db, ctx.dialect, filter, pageSize, offset),
    countHouseholds(ctx.db, ctx.dialect, filter),
  ]);
  return { items: rows.map(mapHousehold), total };
}

/** A household with its members (masked; members only for roles that may read residents). */
export async function getHousehold(ctx: AppContext, actor: Actor, id: number): Promise<HouseholdDetail> {
  const row = authorizeHouseholdRead(actor, await findHousehold(ctx.db, id));
  const members = hasPermission(actor.role, 'resident.read') ? await findResidentViewsByHousehold(ctx.db, id) : [];
  const viewer = { fullName: canSeeFullNames(actor) };
  return { ...mapHousehold(row), members: members.map((m) => mapResidentView(m, viewer)) };
}

/** The building must be on the household's micro-grid; building + unit + room must be free. */
async function checkPlacement(
  ctx: AppContext,
  actor: Actor,
  orgId: number,
  buildingId: number | null,
  unitLabel: string | null,
  room: string | null,
  exceptId?: number,
): Promise<void> {
  if (buildingId === null) return;
  const building = await findBuilding(ctx.db, buildingId);
  requireInScope(actor, building?.org_path);
  if (building!.org_id !== orgId) {
    throw new AppError('BAD_REQUEST', { detail: '楼栋不在该微网格下' }, { field: 'buildingId' });
  }
  if (await findHouseholdByRoom(ctx.db, buildingId, unitLabel, room, exceptId)) throw duplicateRoom(building!.name, unitLabel, room);
}

function duplicateRoom(building: string, unit: string | null, room: string | null): AppError {
  const where = [building, unit, room].filter(Boolean).join(' ');
  return new AppError('DUPLICATE', { detail: `${where} 已登记为一户` }, { field: 'room' });
}

export async function createHousehold(ctx: AppContext, actor: Actor, body: CreateHouseholdBody): Promise<Household> {
  requirePermission(actor, 'resident.write');
  const org = requireMicroGrid(actor, await findOrgUnit(ctx.db, body.orgId));
  const buildingId = body.buildingId ?? null;
  const unitLabel = clean(body.unitLabel);
  const room = clean(body.room);
  await checkPlacement(ctx, actor, org.id, buildingId, unitLabel, room);
  const now = nowIso();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const id = await insertHousehold(trx, {
        org_id: org.id,
        building_id: buildingId,
        unit_label: unitLabel,
        room,
        address: body.address.trim(),
        created_at: now,
        updated_at: now,
      });
      const view = mapHousehold((await findHousehold(trx, id))!);
      await writeAudit(trx, ctx.dialect, actor, { action: 'household.create', entityType: 'household', entityId: id, orgId: org.id, after: view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateRoom('', unitLabel, room);
    throw err;
  }
}

/**
 * Edits a household. Moving it to another micro-grid moves its members with it (a resident
 * linked to a household is registered where the household is).
 */
export async function updateHousehold(ctx: AppContext, actor: Actor, id: number, body: UpdateHouseholdBody): Promise<Household> {
  const current = authorizeHouseholdWrite(actor, await findHousehold(ctx.db, id));
  const orgId = body.orgId ?? current.org_id;
  if (orgId !== current.org_id) requireMicroGrid(actor, await findOrgUnit(ctx.db, orgId));
  const buildingId = body.buildingId !== undefined ? body.buildingId : current.building_id;
  const unitLabel = body.unitLabel !== undefined ? clean(body.unitLabel) : current.unit_label;
  const room = body.room !== undefined ? clean(body.room) : current.room;
  await checkPlacement(ctx, actor, orgId, buildingId, unitLabel, room, id);
  const now = nowIso();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const ok = await updateHouseholdRow(trx, id, body.version, {
        org_id: orgId,
        building_id: buildingId,
        unit_label: unitLabel,
        room,
        ...(body.address !== undefined ? { address: body.address.trim() } : {}),
        updated_at: now,
      });
      if (!ok) throw new AppError('VERSION_CONFLICT');
      const moved = orgId !== current.org_id ? await moveHouseholdMembers(trx, id, orgId, now) : 0;
      const after = mapHousehold((await findHousehold(trx, id))!);
      await writeAudit(trx, ctx.dialect, actor, {
        action: 'household.update',
        entityType: 'household',
        entityId: id,
        orgId,
        before: mapHousehold(current),
        after: moved ? { ...after, membersMoved: moved } : after,
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateRoom('', unitLabel, room);
    throw err;
  }
}
