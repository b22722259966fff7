import type { OrgKind, Permission } from '@haitang/contracts';
import { nameViewer } from '../../lib/names.js';
import type { OrgUnitRow } from '../../db/schema.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';

/** May the actor act on a resident (or other record) held by the org node at `orgPath`? 403, then 404. */
export function authorizeResidentAccess<T extends { org_path: string }>(
  actor: Actor,
  permission: Permission,
  row: T | undefined,
): T {
  requirePermission(actor, permission);
  requireInScope(actor, row?.org_path);
  return row!;
}

const RESIDENT_ORG_KINDS: readonly OrgKind[] = ['grid', 'micro_grid'];

/** Residents are registered on a grid or micro-grid inside the actor's scope that is still active. */
export function requireResidentOrg(actor: Actor, org: OrgUnitRow | undefined): OrgUnitRow {
  requireInScope(actor, org?.path);
  if (!RESIDENT_ORG_KINDS.includes(org!.kind as OrgKind)) {
    throw new AppError('BAD_REQUEST', { detail: '居民只能登记在网格或微网格下' });
  }
  if (org!.status !== 'active') throw new AppError('CONFLICT', { detail: '该网格已停用' });
  return org!;
}

/** Whether the actor sees residents' full names (see lib/names.ts). */
export function canSeeFullNames(actor: Actor): boolean {
  return nameViewer(actor).fullName;
}
