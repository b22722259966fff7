import { Type, type Static } from '@sinclair/typebox';
import type { OrgKind } from './org.js';

/**
 * The party chain (design.md §2, §4 微组织): 社区大党委 → 网格党支部 → 党员中心户, plus 行动支部
 * under the community committee.
 */
export const PARTY_ORG_KINDS = ['community_committee', 'grid_branch', 'center_household', 'action_branch'] as const;
export type PartyOrgKind = (typeof PARTY_ORG_KINDS)[number];

/** The kind a party organisation's parent must have (null: it has no parent). */
export const PARTY_PARENT_KIND: Record<PartyOrgKind, PartyOrgKind | null> = {
  community_committee: null,
  grid_branch: 'community_committee',
  center_household: 'grid_branch',
  action_branch: 'community_committee',
};

/**
 * The org-tree node each kind hangs on. A centre household hangs on its household's micro-grid
 * (the household must lie in the parent branch's grid).
 */
export const PARTY_ORG_NODE_KIND: Record<PartyOrgKind, OrgKind> = {
  community_committee: 'community',
  grid_branch: 'grid',
  center_household: 'micro_grid',
  action_branch: 'community',
};

export function canBePartyChild(parent: PartyOrgKind | null, child: PartyOrgKind): boolean {
  return PARTY_PARENT_KIND[child] === parent;
}

/** Roles inside a party organisation. Only one secretary at a time (mirrored in secretaryResidentId). */
export const PARTY_MEMBER_ROLES = ['secretary', 'deputy_secretary', 'committee_member', 'member'] as const;
export type PartyMemberRole = (typeof PARTY_MEMBER_ROLES)[number];

export const LIFECYCLE_STATUSES = ['active', 'retired'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

const PartyKindSchema = Type.Union(PARTY_ORG_KINDS.map((k) => Type.Literal(k)));
const PartyRoleSchema = Type.Union(PARTY_MEMBER_ROLES.map((r) => Type.Literal(r)));
const StatusSchema = Type.Union(LIFECYCLE_STATUSES.map((s) => Type.Literal(s)));
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
/**
 * A nullable id in a request body. Null comes first on purpose: the server's Ajv coerces types, and
 * with [Integer, Null] the integer branch would turn null into 0 before the null branch is tried.
 */
const NullableIdInput = Type.Union([Type.Null(), Type.Integer()]);

export const PartyOrgView = Type.Object({
  id: Type.Integer(),
  parentId: NullableInt,
  kind: PartyKindSchema,
  name: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  householdId: NullableInt,
  householdLabel: NullableString,
  secretaryResidentId: NullableInt,
  secretaryName: NullableString,
  description: NullableString,
  memberCount: Type.Integer(),
  status: StatusSchema,
  version: Type.Integer(),
});
export type PartyOrgView = Static<typeof PartyOrgView>;

export const PartyOrgList = Type.Object({ items: Type.Array(PartyOrgView) });
export type PartyOrgList = Static<typeof PartyOrgList>;

export const PartyOrgListQuery = Type.Object(
  {
    kind: Type.Optional(PartyKindSchema),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
);
export type PartyOrgListQuery = Static<typeof PartyOrgListQuery>;

/**
 * orgId: the community (community_committee), the grid (grid_branch); optional for an action
 * branch (defaults to the committee's community) and a centre household (taken from the household).
 */
export const CreatePartyOrgBody = Type.Object(
  {
    kind: PartyKindSchema,
    name: Type.String({ minLength: 1, maxLength: 60 }),
    parentId: Type.Optional(NullableIdInput),
    orgId: Type.Optional(Type.Integer()),
    householdId: Type.Optional(Type.Integer()),
    secretaryResidentId: Type.Optional(NullableIdInput),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreatePartyOrgBody = Static<typeof CreatePartyOrgBody>;

/** Kind, parent and org node are fixed once created; retire and recreate to restructure. */
export const UpdatePartyOrgBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    secretaryResidentId: Type.Optional(NullableIdInput),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
);
export type UpdatePartyOrgBody = Static<typeof UpdatePartyOrgBody>;

export const PartyMemberView = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  role: PartyRoleSchema,
  joinedAt: Type.String(),
});
export type PartyMemberView = Static<typeof PartyMemberView>;

export const PartyMemberList = Type.Object({ items: Type.Array(PartyMemberView) });
export type PartyMemberList = Static<typeof PartyMemberList>;

export const AddPartyMemberBody = Type.Object(
  { residentId: Type.Integer(), role: Type.Optional(PartyRoleSchema) },
  { additionalProperties: false },
);
export type AddPartyMemberBody = Static<typeof AddPartyMemberBody>;

/** 网格党支部全覆盖: every active grid in scope and its active grid branch (or null). */
export const PartyCoverage = Type.Object({
  grids: Type.Array(
    Type.Object({
      gridId: Type.Integer(),
      gridName: Type.String(),
      communityId: NullableInt,
      communityName: NullableString,
      branchId: NullableInt,
    }),
  ),
  covered: Type.Integer(),
  total: Type.Integer(),
});
export type PartyCoverage = Static<typeof PartyCoverage>;

export const UpdatePartyMemberBody = Type.Object({ role: PartyRoleSchema }, { additionalProperties: false });
export type UpdatePartyMemberBody = Static<typeof UpdatePartyMemberBody>;
