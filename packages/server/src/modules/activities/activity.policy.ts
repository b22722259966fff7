import type { Permission } from '@haitang/contracts';
import { isInScope, requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import type { ActivityRow } from './activity.repository.js';

/** A resident account acting for itself (its own resident record); anyone else: 403. */
export function requireResidentSelf(actor: Actor): number {
  if (actor.role !== 'resident' || actor.residentId === null) throw new AppError('FORBIDDEN');
  return actor.residentId;
}

/**
 * May the actor read this activity? An activity is seen by the people of the area that runs it:
 * staff see those run in their subtree (drafts included) and the published ones run by a node
 * above them (a grid worker sees the community's); a resident sees the published ones run by a
 * node on the way to their home. Staff need the permission first (403); anything else is 404.
 */
export function authorizeActivityRead(actor: Actor, row: ActivityRow | undefined): ActivityRow {
  if (actor.role !== 'resident') requirePermission(actor, 'activity.read');
  if (!row) throw new AppError('NOT_FOUND');
  const own = actor.role !== 'resident' && isInScope(actor, row.org_path);
  const above = row.status !== 'draft' && actor.orgPath.startsWith(row.org_path);
  if (!own && !above) throw new AppError('NOT_FOUND');
  return row;
}

/** Organiser actions: the permission first (403), then the activity in scope (404). */
export function authorizeActivity(actor: Actor, permission: Permission, row: ActivityRow | undefined): ActivityRow {
  requirePermission(actor, permission);
  requireInScope(actor, row?.org_path);
  return row!;
}
