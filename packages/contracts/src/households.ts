import { Type, type Static } from '@sinclair/typebox';
import { ResidentView } from './residents.js';

// Null first: the server's Ajv coerces types, and would turn null into 0 or '' for a number or string branch tried first.
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) =>
  Type.Union([Type.Null(), t]);
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

/** A building (幢) on a micro-grid. */
export const Building = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  name: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  lng: Type.Union([Type.Number(), Type.Null()]),
  lat: Type.Union([Type.Number(), Type.Null()]),
  version: Type.Integer(),
});
export type Building = Static<typeof Building>;

export const BuildingListQuery = Type.Object(
  { orgId: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export type BuildingListQuery = Static<typeof BuildingListQuery>;

export const CreateBuildingBody = Type.Object(
  {
    orgId: Type.Integer(),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    lng: Type.Optional(Nullable(Lng)),
    lat: Type.Optional(Nullable(Lat)),
  },
  { additionalProperties: false },
);
export type CreateBuildingBody = Static<typeof CreateBuildingBody>;

export const UpdateBuildingBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    lng: Type.Optional(Nullable(Lng)),
    lat: Type.Optional(Nullable(Lat)),
  },
  { additionalProperties: false },
);
export type UpdateBuildingBody = Static<typeof UpdateBuildingBody>;

/** A household (户): a dwelling on a micro-grid, optionally in a building, unit and room. */
export const Household = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  buildingId: Type.Union([Type.Integer(), Type.Null()]),
  buildingName: Type.Union([Type.String(), Type.Null()]),
  unitLabel: Type.Union([Type.String(), Type.Null()]),
  room: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  memberCount: Type.Integer(),
  version: Type.Integer(),
});
export type Household = Static<typeof Household>;

export const HouseholdDetail = Type.Composite([Household, Type.Object({ members: Type.Array(ResidentView) })]);
export type HouseholdDetail = Static<typeof HouseholdDetail>;

export const HouseholdListQuery = Type.Object(
  {
    orgId: Type.Optional(Type.Integer()),
    buildingId: Type.Optional(Type.Integer()),
    /** Address contains. */
    q: Type.Optional(Type.String({ maxLength: 60 })),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type HouseholdListQuery = Static<typeof HouseholdListQuery>;

export const CreateHouseholdBody = Type.Object(
  {
    orgId: Type.Integer(),
    buildingId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
    unitLabel: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    room: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    address: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateHouseholdBody = Static<typeof CreateHouseholdBody>;

export const UpdateHouseholdBody = Type.Object(
  {
    version: Type.Integer(),
    orgId: Type.Optional(Type.Integer()),
    buildingId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
    unitLabel: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    room: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type UpdateHouseholdBody = Static<typeof UpdateHouseholdBody>;
