import type { LifecycleStatus, TeamKind, TeamMemberRole, TeamMemberView, TeamView } from '@haitang/contracts';
import type { TeamMemberRow, TeamRow } from './team.repository.js';

export function mapTeam(r: TeamRow): TeamView {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    kind: r.kind as TeamKind,
    name: r.name,
    description: r.description,
    memberCount: Number(r.member_count ?? 0),
    leaderName: r.leader_name ?? null,
    status: r.status as LifecycleStatus,
    version: r.version,
  };
}

/** Members are the team's own: their full name is shown to staff, never a personal number. */
export function mapTeamMember(r: TeamMemberRow): TeamMemberView {
  return {
    residentId: r.resident_id,
    name: r.name,
    role: r.role as TeamMemberRole,
    gridId: r.grid_id,
    gridName: r.grid_name,
    joinedAt: r.joined_at,
  };
}
