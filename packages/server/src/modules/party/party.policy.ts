import type { Permission } from '@haitang/contracts';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import type { PartyOrgRow } from './party.repository.js';

/**
 * May the actor see/act on this party organisation? Permission first (403), then scope (404):
 * an organisation is in scope when its org node (community, grid, or the centre household's
 * micro-grid) lies in the actor's subtree.
 */
export function authorizePartyOrg(actor: Actor, permission: Permission, row: PartyOrgRow | undefined): PartyOrgRow {
  requirePermission(actor, permission);
  requireInScope(actor, row?.org_path);
  return row!;
}
