import {
  ALLIANCE_ORG_KINDS,
  checkPhone,
  normalizePhone,
  type AllianceListQuery,
  type AllianceMemberView,
  type CreateAllianceMemberBody,
  type OrgKind,
  type UpdateAllianceMemberBody,
} from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { updateVersioned } from '../../db/versioned.js';
import { findOrgUnit } from '../org/org.repository.js';
import { mapAllianceMember } from './alliance.mapper.js';
import { authorizeAllianceMember } from './alliance.policy.js';
import { findAllianceByName, findAllianceMember, findAllianceMembers } from './alliance.repository.js';

/** Alliance members in the actor's subtree; contact phones masked. */
export async function listAllianceMembers(ctx: AppContext, actor: Actor, q: AllianceListQuery): Promise<AllianceMemberView[]> {
  requirePermission(actor, 'alliance.read');
  return (await findAllianceMembers(ctx.db, actor.orgPath, q)).map((r) => mapAllianceMember(r));
}

/** One member with the contact phone in full (an organisation's contact, not a resident's number). */
export async function getAllianceMember(ctx: AppContext, actor: Actor, id: number): Promise<AllianceMemberView> {
  return mapAllianceMember(authorizeAllianceMember(actor, 'alliance.read', await findAllianceMember(ctx.db, id)), { fullPhone: true });
}

function text(v: string | null | undefined): string | null {
  return v?.trim() || null;
}

/** Validated and normalised, or null when empty; throws INVALID_PHONE. */
function contactPhone(v: string | null | undefined): string | null {
  const t = text(v);
  if (t === null) return null;
  if (!checkPhone(t)) throw new AppError('INVALID_PHONE', {}, { field: 'contactPhone' });
  return normalizePhone(t);
}

export async function createAllianceMember(ctx: AppContext, actor: Actor, body: CreateAllianceMemberBody): Promise<AllianceMemberView> {
  requirePermission(actor, 'alliance.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (!ALLIANCE_ORG_KINDS.includes(node!.kind as OrgKind)) {
    throw new AppError('VALIDATION_FAILED', { detail: '共建单位应挂在街道、社区或网格' });
  }
  if (node!.status !== 'active') throw new AppError('CONFLICT', { detail: '该区域已停用' });
  const name = body.name.trim();
  if (await findAllianceByName(ctx.db, node!.id, name)) throw new AppError('DUPLICATE', { detail: name });
  const phone = contactPhone(body.contactPhone);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('alliance_members')
      .values({
        org_id: node!.id,
        kind: body.kind,
        name,
        contact_name: text(body.contactName),
        contact_phone: phone,
        address: text(body.address),
        services: text(body.services),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const view = mapAllianceMember((await findAllianceMember(trx, inserted.id))!, { fullPhone: true });
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'alliance.create',
      entityType: 'alliance_member',
      entityId: view.id,
      orgId: view.orgId,
      after: view,
    });
    return view;
  });
}

/** Edits a member; `status: 'retired'` retires it (kept with its history), 'active' brings it back. */
export async function updateAllianceMember(
  ctx: AppContext,
  actor: Actor,
  id: number,
  body: UpdateAllianceMemberBody,
): Promise<AllianceMemberView> {
  const row = authorizeAllianceMember(actor, 'alliance.write', await findAllianceMember(ctx.db, id));
  const name = body.name?.trim();
  if ((body.status ?? row.status) === 'active' && (await findAllianceByName(ctx.db, row.org_id, name ?? row.name, id))) {
    throw new AppError('DUPLICATE', { detail: name ?? row.name });
  }
  const phone = body.contactPhone !== undefined ? contactPhone(body.contactPhone) : undefined;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'alliance_members',
      id,
      body.version,
      {
          ...(name !== undefined ? { name } : {}),
          ...(body.kind !== undefined ? { kind: body.kind } : {}),
          ...(body.contactName !== undefined ? { contact_name: text(body.contactName) } : {}),
          ...(phone !== undefined ? { contact_phone: phone } : {}),
          ...(body.address !== undefined ? { address: text(body.address) } : {}),
          ...(body.services !== undefined ? { services: text(body.services) } : {}),
          ...(body.status !== undefined ? { status: body.status } : {}),
      },
      { now },
    );
    const after = mapAllianceMember((await findAllianceMember(trx, id))!, { fullPhone: true });
    await writeAudit(trx, ctx.dialect, actor, {
      action: body.status === 'retired' && row.status !== 'retired' ? 'alliance.retire' : 'alliance.update',
      entityType: 'alliance_member',
      entityId: id,
      orgId: row.org_id,
      before: mapAllianceMember(row, { fullPhone: true }),
      after,
    });
    return after;
  });
}
