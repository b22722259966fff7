import {
  type LifecycleStatus,
  type PartyMemberRole,
  type PartyMemberView,
  type PartyOrgKind,
  type PartyOrgView,
} from '@haitang/contracts';
import type { PartyOrgRow } from './party.repository.js';
import { viewName, type NameViewer } from '../../lib/names.js';

export { AUDIT_VIEWER, type NameViewer } from '../../lib/names.js';

export function mapPartyOrg(r: PartyOrgRow, viewer: NameViewer): PartyOrgView {
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
    secretaryName: viewName(r.secretary_name, viewer),
    description: r.description,
    memberCount: Number(r.member_count ?? 0),
    status: r.status as LifecycleStatus,
    version: r.version,
  };
}

/** Members: name masked like any resident's for viewers without reveal, never a personal number. */
export function mapPartyMember(
  r: { resident_id: number; name: string; role: string; joined_at: string },
  viewer: NameViewer,
): PartyMemberView {
  return { residentId: r.resident_id, name: viewName(r.name, viewer), role: r.role as PartyMemberRole, joinedAt: r.joined_at };
}
