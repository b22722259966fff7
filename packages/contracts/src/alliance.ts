import { Type, type Static } from '@sinclair/typebox';
import type { OrgKind } from './org.js';
import { LIFECYCLE_STATUSES } from './party.js';

/** Members of the community's co-governance alliance (共治党组织联盟): 物业, 共建单位, 社会组织. */
export const ALLIANCE_KINDS = ['property', 'co_building', 'social_org'] as const;
export type AllianceKind = (typeof ALLIANCE_KINDS)[number];

/** Org nodes an alliance member may be attached to. */
export const ALLIANCE_ORG_KINDS: readonly OrgKind[] = ['street', 'community', 'grid'];

const AllianceKindSchema = Type.Union(ALLIANCE_KINDS.map((k) => Type.Literal(k)));
const StatusSchema = Type.Union(LIFECYCLE_STATUSES.map((s) => Type.Literal(s)));
const NullableString = Type.Union([Type.String(), Type.Null()]);
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

/** contactPhone is masked in lists and shown in full on the detail. */
export const AllianceMemberView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  kind: AllianceKindSchema,
  name: Type.String(),
  contactName: NullableString,
  contactPhone: NullableString,
  address: NullableString,
  services: NullableString,
  status: StatusSchema,
  version: Type.Integer(),
});
export type AllianceMemberView = Static<typeof AllianceMemberView>;

export const AllianceMemberList = Type.Object({ items: Type.Array(AllianceMemberView) });
export type AllianceMemberList = Static<typeof AllianceMemberList>;

export const AllianceListQuery = Type.Object(
  { kind: Type.Optional(AllianceKindSchema), status: Type.Optional(StatusSchema), orgId: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export type AllianceListQuery = Static<typeof AllianceListQuery>;

export const CreateAllianceMemberBody = Type.Object(
  {
    orgId: Type.Integer(),
    kind: AllianceKindSchema,
    name: Type.String({ minLength: 1, maxLength: 80 }),
    contactName: OptionalText(40),
    contactPhone: OptionalText(20),
    address: OptionalText(200),
    services: OptionalText(500),
  },
  { additionalProperties: false },
);
export type CreateAllianceMemberBody = Static<typeof CreateAllianceMemberBody>;

/** Retire (or reactivate) with status; the org node is fixed. */
export const UpdateAllianceMemberBody = Type.Object(
  {
    version: Type.Integer(),
    kind: Type.Optional(AllianceKindSchema),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    contactName: OptionalText(40),
    contactPhone: OptionalText(20),
    address: OptionalText(200),
    services: OptionalText(500),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
);
export type UpdateAllianceMemberBody = Static<typeof UpdateAllianceMemberBody>;
