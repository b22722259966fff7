import { hasPermission, type Permission, type Role } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
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
 * settings.manage, and an account bound to the root of the (only) org tree. An admin of one street or
 * community holds settings.manage for its own subtree only; these settings apply to every order
 * everywhere, so it may not change them (403).
 */
export async function requireCitySettings(db: Kysely<DB>, actor: Actor): Promise<void> {
  requirePermission(actor, 'settings.manage');
  if (!/^\/\d+\/$/.test(actor.orgPath)) throw new AppError('FORBIDDEN');
  // With several trees in one database, the root of one is not the whole city.
  const roots = await db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  if (Number(roots.n) !== 1) throw new AppError('FORBIDDEN');
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
