import { hasPermission, type Permission, type Role } from '@haitang/contracts';
import { AppError } from './errors.js';

/** The authenticated account a use case runs for, with its data scope (an org subtree). */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  /** Materialised path of the account's org node, e.g. "/1/4/". */
  orgPath: string;
  residentId: number | null;
  ip: string | null;
}

/** First statement of a use case: the role must hold the permission, else 403. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor.role, permission)) throw new AppError('FORBIDDEN');
}

/**
 * Changing city-wide settings (order categories, SLA limits, the working-day calendar):
 * settings.manage, and an account bound to the root of the org tree. An admin of one street or
 * community holds settings.manage for its own subtree only; these settings apply to every order
 * everywhere, so it may not change them (403).
 */
export function requireCitySettings(actor: Actor): void {
  requirePermission(actor, 'settings.manage');
  if (!/^\/\d+\/$/.test(actor.orgPath)) throw new AppError('FORBIDDEN');
}

/** True when an org path lies inside the actor's subtree. */
export function isInScope(actor: Actor, orgPath: string): boolean {
  return orgPath.startsWith(actor.orgPath);
}

/**
 * A record outside the actor's subtree answers 404, exactly like a missing one,
 * so that nobody learns what exists elsewhere.
 */
export function requireInScope(actor: Actor, orgPath: string | null | undefined): void {
  if (!orgPath || !isInScope(actor, orgPath)) throw new AppError('NOT_FOUND');
}
