import { maskName } from '@haitang/contracts';
import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { verifyAuditChain } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import type { AuditQuery } from './audit.routes.js';

/**
 * Audit entries within the actor's subtree (entries about org nodes in scope, or written by
 * accounts in scope). Admins too: an admin is bound to an org node like every account, and one of
 * a street does not read another street's log (an admin at the root node sees everything).
 */
export async function listAudit(ctx: AppContext, actor: Actor, q: Static<typeof AuditQuery>) {
  requirePermission(actor, 'audit.read');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const scopeOrgs = ctx.db.selectFrom('org_units').select('id').where('path', 'like', `${actor.orgPath}%`);
  let base = ctx.db
    .selectFrom('audit_log')
    .where((eb) =>
      eb.or([
        eb('org_id', 'in', scopeOrgs),
        eb('actor_id', 'in', ctx.db.selectFrom('accounts').select('id').where('org_id', 'in', scopeOrgs)),
      ]),
    );
  if (q.action) base = base.where('action', 'like', `${q.action}%`);
  if (q.entityType) base = base.where('entity_type', '=', q.entityType);
  if (q.entityId) base = base.where('entity_id', '=', q.entityId);
  if (q.actorId) base = base.where('actor_id', '=', q.actorId);
  if (q.from) base = base.where('at', '>=', q.from);
  if (q.to) base = base.where('at', '<=', q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to);
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const fullName = canSeeFullNames(actor);
  const image = (json: string | null, entityType: string) => {
    const value = json ? JSON.parse(json) : null;
    return fullName || entityType !== 'resident' ? value : maskImageName(value);
  };
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      orgId: r.org_id,
      before: image(r.before, r.entity_type),
      after: image(r.after, r.entity_type),
      ip: r.ip,
    })),
  };
}

/** A resident's before/after image with its name as surname + * (design.md §5); the log keeps it whole. */
function maskImageName(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const image = value as Record<string, unknown>;
  return typeof image.name === 'string' ? { ...image, name: maskName(image.name) } : image;
}

/** Recomputes the whole hash chain (admins only). */
export async function verifyAudit(ctx: AppContext, actor: Actor) {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  return verifyAuditChain(ctx.db);
}
