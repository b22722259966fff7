import type { ActorSide } from '@haitang/contracts';
import { isInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import type { OrderRow } from './order.repository.js';

/**
 * Where the actor stands toward an order: on the dispatcher side when the order's place lies in
 * the actor's area (department handlers never dispatch), on the handler side when the unit it is
 * dispatched to does. No side at all: the order does not exist for the actor (404).
 */
export function actorSides(actor: Actor, o: Pick<OrderRow, 'org_path' | 'handler_org_path'>): ActorSide[] {
  const sides: ActorSide[] = [];
  if (actor.role !== 'department_handler' && actor.role !== 'resident' && isInScope(actor, o.org_path)) sides.push('dispatcher');
  if (o.handler_org_path && actor.role !== 'resident' && isInScope(actor, o.handler_org_path)) sides.push('handler');
  return sides;
}

/** Reads an order: the permission first (403), then visibility (404, as if it did not exist). */
export function authorizeOrder(actor: Actor, o: OrderRow | undefined): { order: OrderRow; sides: ActorSide[] } {
  requirePermission(actor, 'order.read');
  if (!o) throw new AppError('NOT_FOUND');
  const sides = actorSides(actor, o);
  if (!sides.length) throw new AppError('NOT_FOUND');
  return { order: o, sides };
}
