import { maskName, type AddPartyMemberBody, type PartyMemberRole, type PartyMemberView } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { Actor } from '../../lib/actor.js';
import { writeAudit, type AuditEntry } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { addResidentTag, findResidentRef, requireResidentRef, tagAudit } from '../../lib/resident-refs.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { mapPartyMember } from './party.mapper.js';
import { authorizePartyOrg } from './party.policy.js';
import { findPartyMember, findPartyMembers, findPartyOrg, insertPartyMember } from './party.repository.js';
import { clearSecretary, lockPartyOrg, makeSecretary } from './party.service.js';

export async function listPartyMembers(ctx: AppContext, actor: Actor, partyOrgId: number): Promise<PartyMemberView[]> {
  authorizePartyOrg(actor, 'party.read', await findPartyOrg(ctx.db, partyOrgId));
  const viewer = { fullName: canSeeFullNames(actor) };
  return (await findPartyMembers(ctx.db, partyOrgId)).map((m) => mapPartyMember(m, viewer));
}

async function findMemberView(ctx: AppContext, actor: Actor, partyOrgId: number, residentId: number): Promise<PartyMemberView> {
  const row = (await findPartyMembers(ctx.db, partyOrgId)).find((m) => m.resident_id === residentId);
  if (!row) throw new AppError('NOT_FOUND');
  return mapPartyMember(row, { fullName: canSeeFullNames(actor) });
}

/**
 * Adds a resident (in scope, active) to the organisation and tags them party_member, keeping the
 * resident's tags in sync. Adding as secretary makes them the organisation's secretary.
 */
export async function addPartyMember(
  ctx: AppContext,
  actor: Actor,
  partyOrgId: number,
  body: AddPartyMemberBody,
): Promise<PartyMemberView> {
  const org = authorizePartyOrg(actor, 'party.write', await findPartyOrg(ctx.db, partyOrgId));
  if (org.status !== 'active') throw new AppError('CONFLICT', { detail: '该党组织已撤销' });
  const resident = await requireResidentRef(ctx.db, actor, body.residentId);
  const role: PartyMemberRole = body.role ?? 'member';
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    // A new secretary: serialise with concurrent secretary changes before inserting (makeSecretary).
    if (role === 'secretary') await lockPartyOrg(trx, partyOrgId);
    const inserted = await insertPartyMember(trx, { party_org_id: partyOrgId, resident_id: resident.id, role, joined_at: now });
    if (!inserted) throw new AppError('DUPLICATE', { detail: `${canSeeFullNames(actor) ? resident.name : maskName(resident.name)} 已是该党组织成员` });
    const audit: AuditEntry[] = [
      {
        action: 'party.member.add',
        entityType: 'party_org',
        entityId: partyOrgId,
        orgId: org.org_id,
        after: { residentId: resident.id, name: resident.name, role },
      },
    ];
    if (role === 'secretary') {
      audit.push(...(await makeSecretary(trx, partyOrgId, resident, now)));
      await bumpVersion(trx, partyOrgId, now);
    } else {
      audit.push(...tagAudit(await addResidentTag(trx, resident.id, 'party_member', now), resident.orgId));
    }
    await writeAudit(trx, ctx.dialect, actor, audit);
  });
  return findMemberView(ctx, actor, partyOrgId, resident.id);
}

/** Changes a member's role; promoting to secretary replaces the previous secretary. */
export async function updatePartyMember(
  ctx: AppContext,
  actor: Actor,
  partyOrgId: number,
  residentId: number,
  role: PartyMemberRole,
): Promise<PartyMemberView> {
  const org = authorizePartyOrg(actor, 'party.write', await findPartyOrg(ctx.db, partyOrgId));
  const member = await findPartyMember(ctx.db, partyOrgId, residentId);
  if (!member) throw new AppError('NOT_FOUND');
  if (member.role === role) return findMemberView(ctx, actor, partyOrgId, residentId);
  // Already a member: promoting needs only who they are, not that they still live in scope.
  const resident = role === 'secretary' ? await findResidentRef(ctx.db, residentId) : undefined;
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const audit: AuditEntry[] = [
      {
        action: 'party.member.update',
        entityType: 'party_org',
        entityId: partyOrgId,
        orgId: org.org_id,
        before: { residentId, role: member.role },
        after: { residentId, role },
      },
    ];
    if (resident) {
      audit.push(...(await makeSecretary(trx, partyOrgId, resident, now)));
      await bumpVersion(trx, partyOrgId, now);
    } else {
      if (member.role === 'secretary') {
        await clearSecretary(trx, partyOrgId, residentId);
        await bumpVersion(trx, partyOrgId, now);
      }
      await trx
        .updateTable('party_members')
        .set({ role })
        .where('party_org_id', '=', partyOrgId)
        .where('resident_id', '=', residentId)
        .execute();
    }
    await writeAudit(trx, ctx.dialect, actor, audit);
  });
  return findMemberView(ctx, actor, partyOrgId, residentId);
}

/**
 * Removes a member. The resident keeps the party_member tag: leaving one organisation (a transfer,
 * a move) does not end party membership.
 */
export async function removePartyMember(ctx: AppContext, actor: Actor, partyOrgId: number, residentId: number): Promise<void> {
  const org = authorizePartyOrg(actor, 'party.write', await findPartyOrg(ctx.db, partyOrgId));
  const member = await findPartyMember(ctx.db, partyOrgId, residentId);
  if (!member) throw new AppError('NOT_FOUND');
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .deleteFrom('party_members')
      .where('party_org_id', '=', partyOrgId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new AppError('NOT_FOUND');
    if (org.secretary_resident_id === residentId) {
      await clearSecretary(trx, partyOrgId, residentId);
      await bumpVersion(trx, partyOrgId, now);
    }
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'party.member.remove',
      entityType: 'party_org',
      entityId: partyOrgId,
      orgId: org.org_id,
      before: { residentId, role: member.role },
    });
  });
}

/** The organisation changed (its secretary): open edit forms must reload. */
async function bumpVersion(trx: Parameters<typeof clearSecretary>[0], partyOrgId: number, now: string): Promise<void> {
  await trx
    .updateTable('party_orgs')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', partyOrgId)
    .execute();
}
