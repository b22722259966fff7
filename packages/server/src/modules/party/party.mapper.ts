import type { PartyMemberRole, PartyMemberView, PartyOrgKind, PartyOrgView, LifecycleStatus } from '@haitang/contracts';
import type { PartyOrgRow } from './party.repository.js';

export function mapPartyOrg(r: PartyOrgRow): PartyOrgView {
  return {
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind as PartyOrgKind,
    name: r.name,
    orgId: r.org_id,
    orgName: r.org_name,
    householdId: r.household_id,
    householdLabel: r.household_address,
    secretaryResidentId: r.secretary_resident_id,
    secretaryName: r.secretary_name,
    description: r.description,
    memberCount: Number(r.member_count ?? 0),
    status: r.status as LifecycleStatus,
    version: r.version,
  };
}

/** Members are the organisation's own: their full name is shown to staff, never a personal number. */
export function mapPartyMember(r: { resident_id: number; name: string; role: string; joined_at: string }): PartyMemberView {
  return { residentId: r.resident_id, name: r.name, role: r.role as PartyMemberRole, joinedAt: r.joined_at };
}
