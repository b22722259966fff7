import { type LifecycleStatus, type TeamKind, type TeamMemberRole, type TeamMemberView, type TeamView } from '@haitang/contracts';
import type { TeamMemberRow, TeamRow } from './team.repository.js';
import { viewName, type NameViewer } from '../../lib/names.js';

export { AUDIT_VIEWER, type NameViewer } from '../../lib/names.js';

export function mapTeam(r: TeamRow, viewer: NameViewer): TeamView {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    kind: r.kind as TeamKind,
    name: r.name,
    description: r.description,
    memberCount: Number(r.member_count ?? 0),
    leaderName: viewName(r.leader_name ?? null, viewer),
    status: r.status as LifecycleStatus,
    version: r.version,
  };
}

/** Members: name masked like any resident's for viewers without reveal, never a personal number. */
export function mapTeamMember(r: TeamMemberRow, viewer: NameViewer): TeamMemberView {
  return {
    residentId: r.resident_id,
    name: viewName(r.name, viewer),
    role: r.role as TeamMemberRole,
    gridId: r.grid_id,
    gridName: r.grid_name,
    joinedAt: r.joined_at,
  };
}
