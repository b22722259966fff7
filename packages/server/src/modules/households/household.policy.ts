import { hasPermission } from '@haitang/contracts';
import type { OrgUnitRow } from '../../db/schema.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';

/** Buildings and households are read with 'resident.read' or 'org.read' (403 otherwise). */
export function requireHouseholdRead(actor: Actor): void {
  if (!hasPermission(actor.role, 'resident.read') && !hasPermission(actor.role, 'org.read')) throw new AppError('FORBIDDEN');
}

/** May the actor read the record held by the org node at `org_path`? 403, then 404. */
export function authorizeHouseholdRead<T extends { org_path: string }>(actor: Actor, row: T | undefined): T {
  requireHouseholdRead(actor);
  requireInScope(actor, row?.org_path);
  return row!;
}

/** May the actor change it? 'resident.write', then scope. */
export function authorizeHouseholdWrite<T extends { org_path: string }>(actor: Actor, row: T | undefined): T {
  requirePermission(actor, 'resident.write');
  requireInScope(actor, row?.org_path);
  return row!;
}

/** Buildings and households hang on an active micro-grid inside the actor's scope. */
export function requireMicroGrid(actor: Actor, org: OrgUnitRow | undefined): OrgUnitRow {
  requireInScope(actor, org?.path);
  if (org!.kind !== 'micro_grid') throw new AppError('BAD_REQUEST', { detail: '楼栋和户只能建在微网格下' }, { field: 'orgId' });
  if (org!.status !== 'active') throw new AppError('CONFLICT', { detail: '该微网格已停用' });
  return org!;
}
