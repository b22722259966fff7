import { Type, type Static } from '@sinclair/typebox';

/** Tags a resident can carry (design.md §2). */
export const RESIDENT_TAGS = [
  'elderly_alone',
  'child_in_difficulty',
  'disabled',
  'low_income',
  'party_member',
  'volunteer',
  'elderly',
  'veteran',
] as const;
export type ResidentTag = (typeof RESIDENT_TAGS)[number];

export const RESIDENT_STATUSES = ['active', 'moved_out', 'deceased'] as const;

const Tag = Type.Union(RESIDENT_TAGS.map((t) => Type.Literal(t)));
const Gender = Type.Union([Type.Literal('male'), Type.Literal('female')]);
// Null first: the server's Ajv coerces types and would turn null into '' or 0 for a branch tried before it.
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([Type.Null(), t]);

export const ResidentInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    orgId: Type.Optional(Type.Integer()),
    householdId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
    idNumber: Type.Optional(Nullable(Type.String({ maxLength: 18 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    gender: Type.Optional(Type.Union([Type.Null(), Gender])),
    birthDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    relationToHead: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    tags: Type.Optional(Type.Array(Tag, { uniqueItems: true })),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type ResidentInput = Static<typeof ResidentInput>;

export const UpdateResidentBody = Type.Composite([
  Type.Partial(ResidentInput),
  Type.Object({
    version: Type.Integer(),
    status: Type.Optional(Type.Union(RESIDENT_STATUSES.map((s) => Type.Literal(s)))),
  }),
], { additionalProperties: false });
export type UpdateResidentBody = Static<typeof UpdateResidentBody>;

/** What a list or detail shows: personal data masked. */
export const ResidentView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.Optional(Type.String()),
  householdId: Type.Union([Type.Integer(), Type.Null()]),
  householdLabel: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  name: Type.String(),
  gender: Type.Union([Gender, Type.Null()]),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  idNumberMasked: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  relationToHead: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  status: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  updatedAt: Type.String(),
});
export type ResidentView = Static<typeof ResidentView>;

export const ResidentListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 60 })),
    orgId: Type.Optional(Type.Integer()),
    tag: Type.Optional(Tag),
    /** Defaults to active. */
    status: Type.Optional(Type.Union(RESIDENT_STATUSES.map((s) => Type.Literal(s)))),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type ResidentListQuery = Static<typeof ResidentListQuery>;

/** Export takes the list's filters, without paging. */
export const ResidentExportQuery = Type.Omit(ResidentListQuery, ['page', 'pageSize'], { additionalProperties: false });
export type ResidentExportQuery = Static<typeof ResidentExportQuery>;

export const ResidentList = Type.Object({ items: Type.Array(ResidentView), total: Type.Integer() });
export type ResidentList = Static<typeof ResidentList>;

/** The full personal numbers, returned only by the audited reveal endpoint. */
export const ResidentReveal = Type.Object({
  idNumber: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
});
export type ResidentReveal = Static<typeof ResidentReveal>;

/** Most rows one spreadsheet export may hold. */
export const RESIDENT_EXPORT_MAX_ROWS = 50_000;
