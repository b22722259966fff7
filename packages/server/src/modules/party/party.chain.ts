import {
  PARTY_ORG_NODE_KIND,
  PARTY_PARENT_KIND,
  type CreatePartyOrgBody,
  type PartyOrgKind,
} from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { requireInScope, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';
import { authorizePartyOrg } from './party.policy.js';
import { findActiveTwin, findHouseholdWithPath, findPartyOrg, type PartyOrgRow } from './party.repository.js';

export const PARTY_KIND_LABEL: Record<PartyOrgKind, string> = {
  community_committee: '社区大党委',
  grid_branch: '网格党支部',
  center_household: '党员中心户',
  action_branch: '行动支部',
};

const ORG_KIND_LABEL: Record<string, string> = { community: '社区', grid: '网格', micro_grid: '微网格' };

/** Where a new party organisation sits: its parent, its org node and (centre household) its household. */
export interface PartyPlacement {
  parent: PartyOrgRow | null;
  orgId: number;
  householdId: number | null;
}

const invalid = (detail: string) => new AppError('VALIDATION_FAILED', { detail });
const badLink = (detail: string) => new AppError('INVALID_MOVE', { detail });

/**
 * Enforces the chain 社区大党委 → 网格党支部 → 党员中心户 (and 社区大党委 → 行动支部):
 * the parent's kind, the kind of org node each level hangs on, and that a grid branch's grid lies in
 * its committee's community and a centre household's household in its branch's grid.
 * Everything referred to must lie in the actor's scope (else 404).
 */
export async function resolvePlacement(db: Kysely<DB>, actor: Actor, body: CreatePartyOrgBody): Promise<PartyPlacement> {
  const kind = body.kind;
  const parentKind = PARTY_PARENT_KIND[kind];
  if (body.householdId != null && kind !== 'center_household') throw invalid('只有党员中心户关联住户');

  let parent: PartyOrgRow | null = null;
  if (parentKind === null) {
    if (body.parentId != null) throw badLink(`${PARTY_KIND_LABEL[kind]}不能有上级党组织`);
  } else {
    if (body.parentId == null) throw invalid(`${PARTY_KIND_LABEL[kind]}须选择上级${PARTY_KIND_LABEL[parentKind]}`);
    parent = authorizePartyOrg(actor, 'party.write', await findPartyOrg(db, body.parentId));
    if (parent.kind !== parentKind) {
      throw badLink(`${PARTY_KIND_LABEL[kind]}的上级应为${PARTY_KIND_LABEL[parentKind]},而不是${labelOf(parent.kind)}`);
    }
    if (parent.status !== 'active') throw new AppError('CONFLICT', { detail: '上级党组织已撤销' });
  }

  if (kind === 'center_household') {
    if (body.householdId == null) throw invalid('党员中心户须关联一户住户');
    const household = await findHouseholdWithPath(db, body.householdId);
    requireInScope(actor, household?.path);
    if (household!.status !== 'active') throw new AppError('CONFLICT', { detail: '该住户已停用' });
    if (!household!.path.startsWith(parent!.org_path)) throw badLink('该住户不在上级网格党支部所在网格内');
    if (body.orgId !== undefined && body.orgId !== household!.org_id) throw invalid('党员中心户的区域取自所关联住户');
    await requireNoTwin(db, kind, { householdId: household!.id }, '该住户已是党员中心户');
    return { parent, orgId: household!.org_id, householdId: household!.id };
  }

  const orgId = body.orgId ?? (kind === 'action_branch' ? parent!.org_id : undefined);
  if (orgId === undefined) throw invalid(`请选择${PARTY_KIND_LABEL[kind]}所在的${ORG_KIND_LABEL[PARTY_ORG_NODE_KIND[kind]]}`);
  const node = await findOrgUnit(db, orgId);
  requireInScope(actor, node?.path);
  const wanted = PARTY_ORG_NODE_KIND[kind];
  if (node!.kind !== wanted) {
    throw invalid(`${PARTY_KIND_LABEL[kind]}应设在${ORG_KIND_LABEL[wanted]},而不是${ORG_KIND_LABEL[node!.kind] ?? node!.kind}`);
  }
  if (node!.status !== 'active') throw new AppError('CONFLICT', { detail: '该区域已停用' });

  if (kind === 'community_committee') {
    await requireNoTwin(db, kind, { orgId: node!.id }, '该社区已有社区大党委');
  } else if (kind === 'grid_branch') {
    if (!node!.path.startsWith(parent!.org_path)) throw badLink('该网格不在上级社区大党委所在社区内');
    await requireNoTwin(db, kind, { orgId: node!.id }, '该网格已有网格党支部');
  } else if (node!.id !== parent!.org_id) {
    throw badLink('行动支部应设在上级社区大党委所在社区');
  }
  return { parent, orgId: node!.id, householdId: null };
}

/** One active committee per community, one branch per grid, one centre household per household. */
export async function requireNoTwin(
  db: Kysely<DB>,
  kind: PartyOrgKind,
  where: { orgId?: number; householdId?: number },
  detail: string,
  exceptId?: number,
): Promise<void> {
  if (kind === 'action_branch') return;
  if (await findActiveTwin(db, kind, where, exceptId)) throw new AppError('DUPLICATE', { detail });
}

function labelOf(kind: string): string {
  return PARTY_KIND_LABEL[kind as PartyOrgKind] ?? kind;
}
