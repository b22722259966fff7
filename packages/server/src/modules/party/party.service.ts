import type {
  CreatePartyOrgBody,
  PartyCoverage,
  PartyOrgKind,
  PartyOrgListQuery,
  PartyOrgView,
  UpdatePartyOrgBody,
} from '@haitang/contracts';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit, type AuditEntry } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { updateVersioned } from '../../db/versioned.js';
import { addResidentTag, requireResidentRef, tagAudit, type ResidentRef } from '../../lib/resident-refs.js';
import { requireNoTwin, resolvePlacement } from './party.chain.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { AUDIT_VIEWER, mapPartyOrg } from './party.mapper.js';
import { authorizePartyOrg } from './party.policy.js';
import { findGridCoverage, findPartyOrg, findPartyOrgs, hasActiveChildren, type PartyOrgRow } from './party.repository.js';

/** Party organisations whose org node lies in the actor's subtree (parents before children). */
export async function listPartyOrgs(ctx: AppContext, actor: Actor, q: PartyOrgListQuery): Promise<PartyOrgView[]> {
  requirePermission(actor, 'party.read');
  const viewer = { fullName: canSeeFullNames(actor) };
  return (await findPartyOrgs(ctx.db, actor.orgPath, q)).map((r) => mapPartyOrg(r, viewer));
}

export async function getPartyOrg(ctx: AppContext, actor: Actor, id: number): Promise<PartyOrgView> {
  return mapPartyOrg(authorizePartyOrg(actor, 'party.read', await findPartyOrg(ctx.db, id)), { fullName: canSeeFullNames(actor) });
}

export async function createPartyOrg(ctx: AppContext, actor: Actor, body: CreatePartyOrgBody): Promise<PartyOrgView> {
  requirePermission(actor, 'party.write');
  const placement = await resolvePlacement(ctx.db, actor, body);
  const secretary = body.secretaryResidentId != null ? await requireResidentRef(ctx.db, actor, body.secretaryResidentId) : null;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('party_orgs')
      .values({
        parent_id: placement.parent?.id ?? null,
        kind: body.kind,
        name: body.name.trim(),
        org_id: placement.orgId,
        household_id: placement.householdId,
        secretary_resident_id: null,
        description: body.description?.trim() || null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const audit: AuditEntry[] = [];
    if (secretary) audit.push(...(await makeSecretary(trx, inserted.id, secretary, now)));
    const created = (await findPartyOrg(trx, inserted.id))!;
    const view = mapPartyOrg(created, AUDIT_VIEWER);
    audit.unshift({ action: 'party.org.create', entityType: 'party_org', entityId: view.id, orgId: view.orgId, after: view });
    await writeAudit(trx, ctx.dialect, actor, audit);
    return mapPartyOrg(created, { fullName: canSeeFullNames(actor) });
  });
}

/**
 * Renames, describes, sets the secretary, retires or reactivates. Retiring needs the active
 * children retired first; reactivating needs an active parent and no active twin.
 */
export async function updatePartyOrg(ctx: AppContext, actor: Actor, id: number, body: UpdatePartyOrgBody): Promise<PartyOrgView> {
  const row = authorizePartyOrg(actor, 'party.write', await findPartyOrg(ctx.db, id));
  if (body.status === 'retired' && row.status !== 'retired' && (await hasActiveChildren(ctx.db, id))) {
    throw new AppError('CONFLICT', { detail: '请先撤销下级党组织' });
  }
  if (body.status === 'active' && row.status !== 'active') await checkReactivation(ctx, row);
  const secretary =
    body.secretaryResidentId != null && body.secretaryResidentId !== row.secretary_resident_id
      ? await requireResidentRef(ctx.db, actor, body.secretaryResidentId)
      : null;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'party_orgs',
      id,
      body.version,
      {
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.description !== undefined ? { description: body.description?.trim() || null } : {}),
          ...(body.status !== undefined ? { status: body.status } : {}),
      },
      { now },
    );
    const audit: AuditEntry[] = [];
    if (secretary) {
      audit.push(...(await makeSecretary(trx, id, secretary, now)));
    } else if (body.secretaryResidentId === null && row.secretary_resident_id !== null) {
      await clearSecretary(trx, id, row.secretary_resident_id);
    }
    const updated = (await findPartyOrg(trx, id))!;
    const after = mapPartyOrg(updated, AUDIT_VIEWER);
    audit.unshift({ action: 'party.org.update', entityType: 'party_org', entityId: id, orgId: row.org_id, before: mapPartyOrg(row, AUDIT_VIEWER), after });
    await writeAudit(trx, ctx.dialect, actor, audit);
    return mapPartyOrg(updated, { fullName: canSeeFullNames(actor) });
  });
}

async function checkReactivation(ctx: AppContext, row: PartyOrgRow): Promise<void> {
  if (row.parent_id !== null) {
    const parent = await findPartyOrg(ctx.db, row.parent_id);
    if (parent?.status !== 'active') throw new AppError('CONFLICT', { detail: '上级党组织已撤销' });
  }
  const where = row.kind === 'center_household' ? { householdId: row.household_id! } : { orgId: row.org_id };
  await requireNoTwin(ctx.db, row.kind as PartyOrgKind, where, '该位置已有同类党组织', row.id);
}

/**
 * Makes the resident the organisation's secretary inside the transaction: the membership is
 * created or promoted, a previous secretary becomes an ordinary member, secretary_resident_id
 * follows, and the resident is tagged party_member. Returns the audit entries of the side effects.
 */
export async function makeSecretary(
  trx: Transaction<DB>,
  partyOrgId: number,
  resident: ResidentRef,
  now: string,
): Promise<AuditEntry[]> {
  // Serialise on the organisation's row first: a concurrent makeSecretary waits here until this
  // transaction commits, then sees (and demotes) this secretary. Without it, under read committed
  // each demotes the others before the other's insert is visible and two secretaries remain.
  await lockPartyOrg(trx, partyOrgId);
  await trx
    .updateTable('party_members')
    .set({ role: 'member' })
    .where('party_org_id', '=', partyOrgId)
    .where('role', '=', 'secretary')
    .where('resident_id', '<>', resident.id)
    .execute();
  await trx
    .insertInto('party_members')
    .values({ party_org_id: partyOrgId, resident_id: resident.id, role: 'secretary', joined_at: now })
    .onConflict((oc) => oc.columns(['party_org_id', 'resident_id']).doUpdateSet({ role: 'secretary' }))
    .execute();
  await trx.updateTable('party_orgs').set({ secretary_resident_id: resident.id }).where('id', '=', partyOrgId).execute();
  return tagAudit(await addResidentTag(trx, resident.id, 'party_member', now), resident.orgId);
}

/**
 * Takes the organisation row's write lock for the rest of the transaction (PostgreSQL: the row
 * lock of an update; SQLite transactions already hold the database write lock).
 */
export async function lockPartyOrg(trx: Transaction<DB>, partyOrgId: number): Promise<void> {
  await trx
    .updateTable('party_orgs')
    .set((eb) => ({ version: eb.ref('version') }))
    .where('id', '=', partyOrgId)
    .execute();
}

/** The secretary steps down (stays a member) or leaves: the organisation has no secretary. */
export async function clearSecretary(trx: Transaction<DB>, partyOrgId: number, residentId: number): Promise<void> {
  await trx
    .updateTable('party_members')
    .set({ role: 'member' })
    .where('party_org_id', '=', partyOrgId)
    .where('resident_id', '=', residentId)
    .where('role', '=', 'secretary')
    .execute();
  await trx.updateTable('party_orgs').set({ secretary_resident_id: null }).where('id', '=', partyOrgId).execute();
}

/** 网格党支部全覆盖: every active grid in scope and whether it has an active grid branch. */
export async function getPartyCoverage(ctx: AppContext, actor: Actor): Promise<PartyCoverage> {
  requirePermission(actor, 'party.read');
  const rows = await findGridCoverage(ctx.db, actor.orgPath);
  const grids = rows.map((r) => ({
    gridId: r.grid_id,
    gridName: r.grid_name,
    communityId: r.community_id,
    communityName: r.community_name,
    branchId: r.branch_id == null ? null : Number(r.branch_id),
  }));
  return { grids, covered: grids.filter((g) => g.branchId !== null).length, total: grids.length };
}
