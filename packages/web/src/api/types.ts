/**
 * Response shapes of the API that the console reads. Most come from the schemas the server
 * validates against (contracts); the few below have no shared schema yet.
 */
import type {
  AllianceMemberView,
  Building,
  Household,
  ImportJobView,
  ImportRowError,
  OrgUnit,
  PartyMemberView,
  PartyOrgView,
  Permission,
  ResidentView,
  TeamDetail,
  TeamMemberView,
  TeamView,
} from '@haitang/contracts';

export type { Building, Household, ImportRowError, OrgUnit, ResidentView, TeamDetail };
export type PartyOrg = PartyOrgView;
export type PartyMember = PartyMemberView;
export type Team = TeamView;
export type TeamMember = TeamMemberView;
export type AllianceMember = AllianceMemberView;
export type ImportJob = ImportJobView;

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: string;
  orgId: number | null;
  orgName: string | null;
}

export interface Session {
  account: Account;
  permissions: Permission[];
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Items<T> {
  items: T[];
}

export interface OrgSummary {
  communities: number;
  grids: number;
  microGrids: number;
  households: number;
  residents: number;
  teams: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | number | null;
  orgId: number | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: unknown[];
}

export interface PublicSettings {
  mapTileUrl: string | null;
}
