import { Type, type Static } from '@sinclair/typebox';

/**
 * Org tree levels, top to bottom (a city root above several districts is optional).
 * Department handler units (派出所, 司法所, 物业, 城管...) hang under a district, street or community.
 */
export const ORG_KINDS = ['city', 'district', 'street', 'community', 'grid', 'micro_grid', 'department'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which kinds may be a child of which. */
export const ORG_CHILD_KINDS: Record<OrgKind, readonly OrgKind[]> = {
  city: ['district', 'department'],
  district: ['street', 'department'],
  street: ['community', 'department'],
  community: ['grid', 'department'],
  grid: ['micro_grid'],
  micro_grid: [],
  department: [],
};

export function canBeChild(parent: OrgKind, child: OrgKind): boolean {
  return ORG_CHILD_KINDS[parent].includes(child);
}

export const GeoJsonPolygon = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Any()),
  },
  { additionalProperties: false },
);
export type GeoJsonPolygon = Static<typeof GeoJsonPolygon>;

export const OrgUnit = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  kind: Type.Union(ORG_KINDS.map((k) => Type.Literal(k))),
  name: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  depth: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  geometry: Type.Union([GeoJsonPolygon, Type.Null()]),
  version: Type.Integer(),
});
export type OrgUnit = Static<typeof OrgUnit>;

export const CreateOrgUnitBody = Type.Object(
  {
    parentId: Type.Integer(),
    kind: Type.Union(ORG_KINDS.map((k) => Type.Literal(k))),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    code: Type.Optional(Type.String({ maxLength: 40 })),
    geometry: Type.Optional(Type.Union([GeoJsonPolygon, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateOrgUnitBody = Static<typeof CreateOrgUnitBody>;

export const UpdateOrgUnitBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    code: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    geometry: Type.Optional(Type.Union([GeoJsonPolygon, Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateOrgUnitBody = Static<typeof UpdateOrgUnitBody>;

export const MoveOrgUnitBody = Type.Object(
  { version: Type.Integer(), parentId: Type.Integer() },
  { additionalProperties: false },
);
export type MoveOrgUnitBody = Static<typeof MoveOrgUnitBody>;

export const RetireOrgUnitBody = Type.Object({ version: Type.Integer() }, { additionalProperties: false });
