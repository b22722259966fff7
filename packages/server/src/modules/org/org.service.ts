import {
  canBeChild,
  type CreateOrgUnitBody,
  type MoveOrgUnitBody,
  type OrgKind,
  type OrgUnit,
  type UpdateOrgUnitBody,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { updateVersioned } from '../../db/versioned.js';
import { validateGeometry, type BBox } from './org.geometry.js';
import { mapOrgUnit } from './org.mapper.js';
import { authorizeOrgUnit, forbidOwnRoot } from './org.policy.js';
import { reindexOrdersPlacedIn } from '../workorders/order.fts.js';
import {
  countSubtree,
  findAncestors,
  findOrgUnit,
  findSubtree,
  hasDependents,
  lockOrgUnit,
  rewriteSubtreePaths,
} from './org.repository.js';

function bboxColumns(box: BBox | null) {
  return {
    min_lng: box?.minLng ?? null,
    min_lat: box?.minLat ?? null,
    max_lng: box?.maxLng ?? null,
    max_lat: box?.maxLat ?? null,
  };
}

/** The actor's subtree as a flat list (parents before children). */
export async function listOrgTree(ctx: AppContext, actor: Actor, opts: { includeRetired?: boolean } = {}): Promise<OrgUnit[]> {
  requirePermission(actor, 'org.read');
  const rows = await findSubtree(ctx.db, actor.orgPath, opts);
  return rows.map(mapOrgUnit);
}

export async function getOrgUnit(ctx: AppContext, actor: Actor, id: number) {
  const node = authorizeOrgUnit(actor, 'org.read', await findOrgUnit(ctx.db, id));
  const ancestors = await findAncestors(ctx.db, node.path);
  return { ...mapOrgUnit(node), ancestors: ancestors.filter((a) => a.id !== node.id).map((a) => ({ id: a.id, kind: a.kind, name: a.name })) };
}

export async function getOrgSummary(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'org.read');
  return countSubtree(ctx.db, actor.orgPath);
}

export async function createOrgUnit(ctx: AppContext, actor: Actor, body: CreateOrgUnitBody): Promise<OrgUnit> {
  requirePermission(actor, 'org.write');
  const parent = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, body.parentId));
  if (parent.status !== 'active') throw new AppError('CONFLICT', { detail: '上级节点已停用' });
  if (!canBeChild(parent.kind as OrgKind, body.kind)) {
    throw new AppError('INVALID_MOVE', { detail: `${parent.kind} → ${body.kind}` });
  }
  const box = body.geometry ? validateGeometry(body.geometry) : null;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    // The parent as it is now, held until commit: a concurrent move cannot leave a stale path.
    const current = await lockOrgUnit(trx, ctx.dialect, parent.id);
    requireInScope(actor, current?.path);
    if (current!.status !== 'active') throw new AppError('CONFLICT', { detail: '上级节点已停用' });
    const parentPath = current!.path;
    const inserted = await trx
      .insertInto('org_units')
      .values({
        parent_id: parent.id,
        kind: body.kind,
        name: body.name.trim(),
        code: body.code?.trim() || null,
        path: `${parentPath}pending/`,
        depth: current!.depth + 1,
        geometry: body.geometry ? JSON.stringify(body.geometry) : null,
        ...bboxColumns(box),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parentPath}${inserted.id}/`;
    await trx.updateTable('org_units').set({ path }).where('id', '=', inserted.id).execute();
    const row = (await findOrgUnit(trx, inserted.id))!;
    const view = mapOrgUnit(row);
    await writeAudit(trx, ctx.dialect, actor, { action: 'org.create', entityType: 'org_unit', entityId: row.id, orgId: row.id, after: view });
    return view;
  });
}

export async function updateOrgUnit(ctx: AppContext, actor: Actor, id: number, body: UpdateOrgUnitBody): Promise<OrgUnit> {
  const node = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, id));
  const box = body.geometry ? validateGeometry(body.geometry) : null;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'org_units',
      id,
      body.version,
      {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.code !== undefined ? { code: body.code?.trim() || null } : {}),
        ...(body.geometry !== undefined
          ? { geometry: body.geometry ? JSON.stringify(body.geometry) : null, ...bboxColumns(box) }
          : {}),
      },
      { now },
    );
    const after = mapOrgUnit((await findOrgUnit(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'org.update',
      entityType: 'org_unit',
      entityId: id,
      orgId: id,
      before: mapOrgUnit(node),
      after,
    });
    return after;
  });
}

/** Moves a node (and its whole subtree) under a new parent. */
export async function moveOrgUnit(ctx: AppContext, actor: Actor, id: number, body: MoveOrgUnitBody): Promise<OrgUnit> {
  const node = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, id));
  forbidOwnRoot(actor, node);
  const parent = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, body.parentId));
  if (parent.path.startsWith(node.path)) throw new AppError('INVALID_MOVE', { detail: '不能移到自身或其下级之下' });
  if (parent.status !== 'active') throw new AppError('INVALID_MOVE', { detail: '目标上级已停用' });
  if (!canBeChild(parent.kind as OrgKind, node.kind as OrgKind)) {
    throw new AppError('INVALID_MOVE', { detail: `${parent.kind} → ${node.kind}` });
  }
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    // Re-read the target parent under lock: it may have moved since it was checked above.
    const target = await lockOrgUnit(trx, ctx.dialect, parent.id);
    requireInScope(actor, target?.path);
    if (target!.path.startsWith(node.path)) throw new AppError('INVALID_MOVE', { detail: '不能移到自身或其下级之下' });
    if (target!.status !== 'active') throw new AppError('INVALID_MOVE', { detail: '目标上级已停用' });
    await updateVersioned(trx, 'org_units', id, body.version, { parent_id: target!.id }, { now, also: { path: node.path } });
    const newPath = `${target!.path}${node.id}/`;
    await rewriteSubtreePaths(trx, node.path, newPath, target!.depth + 1 - node.depth, now);
    // SQLite's search index holds every order's ancestors: the moved orders' are rewritten.
    await reindexOrdersPlacedIn(trx, ctx.dialect, newPath);
    const after = mapOrgUnit((await findOrgUnit(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'org.move',
      entityType: 'org_unit',
      entityId: id,
      orgId: id,
      before: { parentId: node.parent_id },
      after: { parentId: parent.id },
    });
    return after;
  });
}

/** Retires a node: it stays with its history but leaves the active tree. Active children block it. */
export async function retireOrgUnit(ctx: AppContext, actor: Actor, id: number, version: number): Promise<OrgUnit> {
  const node = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, id));
  forbidOwnRoot(actor, node);
  const activeChild = await ctx.db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', '=', id)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (activeChild) throw new AppError('CONFLICT', { detail: '请先停用或移走下级节点' });
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'org_units', id, version, { status: 'retired' }, { now, also: { status: 'active' } });
    const after = mapOrgUnit((await findOrgUnit(trx, id))!);
    await writeAudit(trx, ctx.dialect, actor, { action: 'org.retire', entityType: 'org_unit', entityId: id, orgId: id, after });
    return after;
  });
}

/** Hard delete, allowed only for a node nothing refers to (a mistake just made); otherwise retire. */
export async function deleteOrgUnit(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const node = authorizeOrgUnit(actor, 'org.write', await findOrgUnit(ctx.db, id));
  forbidOwnRoot(actor, node);
  if (await hasDependents(ctx.db, id)) throw new AppError('HAS_HISTORY');
  await ctx.db.transaction().execute(async (trx) => {
    // Anything that refers to the node and was added since the check above: still history.
    await trx
      .deleteFrom('org_units')
      .where('id', '=', id)
      .execute()
      .catch((err: { code?: string }) => {
        if (err.code === '23503' || err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new AppError('HAS_HISTORY');
        throw err;
      });
    await writeAudit(trx, ctx.dialect, actor, { action: 'org.delete', entityType: 'org_unit', entityId: id, orgId: node.parent_id, before: mapOrgUnit(node) });
  });
}
