import type { Permission } from '@haitang/contracts';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import type { AllianceRow } from './alliance.repository.js';

/** May the actor see/act on this alliance member? Permission first (403), then scope (404). */
export function authorizeAllianceMember(actor: Actor, permission: Permission, row: AllianceRow | undefined): AllianceRow {
  requirePermission(actor, permission);
  requireInScope(actor, row?.org_path);
  return row!;
}
