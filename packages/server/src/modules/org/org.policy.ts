import type { Permission } from '@haitang/contracts';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import type { OrgUnitRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

/** May the actor see/act on this node? Permission first (403), then scope (404). */
export function authorizeOrgUnit(actor: Actor, permission: Permission, node: OrgUnitRow | undefined): OrgUnitRow {
  requirePermission(actor, permission);
  requireInScope(actor, node?.path);
  return node!;
}

/** Nobody restructures the node their own account hangs on (they would lose their scope). */
export function forbidOwnRoot(actor: Actor, node: OrgUnitRow): void {
  if (node.path === actor.orgPath) throw new AppError('FORBIDDEN');
}
