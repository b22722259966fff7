import { Type, type Static } from '@sinclair/typebox';
import { LIFECYCLE_STATUSES } from './party.js';

/** Teams of a community (design.md §2): the 海棠先锋 vanguard, volunteer service teams, others. */
export const TEAM_KINDS = ['vanguard', 'volunteer', 'other'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const TEAM_MEMBER_ROLES = ['leader', 'member'] as const;
export type TeamMemberRole = (typeof TEAM_MEMBER_ROLES)[number];

const TeamKindSchema = Type.Union(TEAM_KINDS.map((k) => Type.Literal(k)));
const TeamRoleSchema = Type.Union(TEAM_MEMBER_ROLES.map((r) => Type.Literal(r)));
const StatusSchema = Type.Union(LIFECYCLE_STATUSES.map((s) => Type.Literal(s)));
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
/**
 * A nullable id in a request body. Null comes first on purpose: the server's Ajv coerces types, and
 * with [Integer, Null] the integer branch would turn null into 0 before the null branch is tried.
 */
const NullableIdInput = Type.Union([Type.Null(), Type.Integer()]);

export const TeamView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  kind: TeamKindSchema,
  name: Type.String(),
  description: NullableString,
  memberCount: Type.Integer(),
  leaderName: NullableString,
  status: StatusSchema,
  version: Type.Integer(),
});
export type TeamView = Static<typeof TeamView>;

export const TeamList = Type.Object({ items: Type.Array(TeamView) });
export type TeamList = Static<typeof TeamList>;

export const TeamListQuery = Type.Object(
  { kind: Type.Optional(TeamKindSchema), status: Type.Optional(StatusSchema), orgId: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export type TeamListQuery = Static<typeof TeamListQuery>;

/** A member's full name is shown to staff: they are the team's own members. */
export const TeamMemberView = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  role: TeamRoleSchema,
  gridId: NullableInt,
  gridName: NullableString,
  joinedAt: Type.String(),
});
export type TeamMemberView = Static<typeof TeamMemberView>;

export const TeamDetail = Type.Composite([TeamView, Type.Object({ members: Type.Array(TeamMemberView) })]);
export type TeamDetail = Static<typeof TeamDetail>;

/** orgId: the community the team belongs to. */
export const CreateTeamBody = Type.Object(
  {
    orgId: Type.Integer(),
    kind: TeamKindSchema,
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateTeamBody = Static<typeof CreateTeamBody>;

export const UpdateTeamBody = Type.Object(
  {
    version: Type.Integer(),
    kind: Type.Optional(TeamKindSchema),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
);
export type UpdateTeamBody = Static<typeof UpdateTeamBody>;

/** gridId: the grid the member looks after (a grid of the team's community). */
export const AddTeamMemberBody = Type.Object(
  { residentId: Type.Integer(), role: Type.Optional(TeamRoleSchema), gridId: Type.Optional(NullableIdInput) },
  { additionalProperties: false },
);
export type AddTeamMemberBody = Static<typeof AddTeamMemberBody>;

export const UpdateTeamMemberBody = Type.Object(
  { role: Type.Optional(TeamRoleSchema), gridId: Type.Optional(NullableIdInput) },
  { additionalProperties: false },
);
export type UpdateTeamMemberBody = Static<typeof UpdateTeamMemberBody>;
