import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNELS, ITEM_STATES, ORDER_ACTIONS, ORDER_STATES, SATISFACTIONS, SLA_STATES, URGENCIES } from './workflow.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const OrderStateSchema = lit(ORDER_STATES);
export const OrderActionSchema = lit(ORDER_ACTIONS);
export const ChannelSchema = lit(CHANNELS);
export const UrgencySchema = lit(URGENCIES);
export const SatisfactionSchema = lit(SATISFACTIONS);
export const ItemStateSchema = lit(ITEM_STATES);
export const SlaStateSchema = lit(SLA_STATES);

/** A photo sent inline (phones compress before sending): a data URL of a JPEG, PNG or WebP image. */
export const PhotoInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    dataUrl: Type.String({ pattern: '^data:image/(jpeg|png|webp);base64,', maxLength: 2_800_000 }),
  },
  { additionalProperties: false },
);
export type PhotoInput = Static<typeof PhotoInput>;
export const MAX_PHOTOS = 6;
/** Decoded bytes per photo. */
export const MAX_PHOTO_BYTES = 2_000_000;

const Photos = Type.Array(PhotoInput, { maxItems: MAX_PHOTOS });

export const ItemInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    ownerOrgId: Type.Optional(Nullable(Type.Integer())),
    ownerName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    dueDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInput>;

/** Intake by staff, grid workers and hotline operators. */
export const CreateOrderBody = Type.Object(
  {
    channel: ChannelSchema,
    categoryId: Type.Integer(),
    urgency: Type.Optional(UrgencySchema),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    /** The grid the problem belongs to; by default routed from the household or the map point. */
    orgId: Type.Optional(Type.Integer()),
    householdId: Type.Optional(Nullable(Type.Integer())),
    lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    reporterResidentId: Type.Optional(Nullable(Type.Integer())),
    reporterName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    reporterPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    anonymous: Type.Optional(Type.Boolean()),
    hotlineNumber: Type.Optional(Nullable(Type.String({ pattern: '^[0-9A-Za-z-]{4,40}$' }))),
    /** A praise order (表扬工单): who is thanked. */
    praise: Type.Optional(
      Nullable(
        Type.Object(
          { person: Type.String({ minLength: 1, maxLength: 60 }), orgId: Type.Optional(Nullable(Type.Integer())) },
          { additionalProperties: false },
        ),
      ),
    ),
    items: Type.Optional(Type.Array(ItemInput, { maxItems: 50 })),
    photos: Type.Optional(Photos),
    /** Simple problem resolved on the spot: the evidence note; photos above are the evidence too. */
    resolveOnSpot: Type.Optional(Nullable(Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
export type CreateOrderBody = Static<typeof CreateOrderBody>;

/** Report by a resident from the public page, with or without an account. */
export const PublicReportBody = Type.Object(
  {
    categoryId: Type.Integer(),
    description: Type.String({ minLength: 5, maxLength: 2000 }),
    contactName: Type.String({ minLength: 1, maxLength: 60 }),
    contactPhone: Type.String({ minLength: 5, maxLength: 20 }),
    anonymous: Type.Optional(Type.Boolean()),
    lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    /** The community the resident chose when there is no map point. */
    orgId: Type.Optional(Nullable(Type.Integer())),
    photos: Type.Optional(Photos),
    /** The page's own id for this report: sending it again answers with the same receipt. */
    requestId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{16,64}$' })),
  },
  { additionalProperties: false },
);
export type PublicReportBody = Static<typeof PublicReportBody>;

export const PublicReportReceipt = Type.Object({ number: Type.String(), accessCode: Type.String() });
export type PublicReportReceipt = Static<typeof PublicReportReceipt>;

/** The body of every transition: the version read, and what the action needs (see TRANSITIONS). */
export const ActionBody = Type.Object(
  {
    version: Type.Integer(),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    handlerOrgId: Type.Optional(Type.Integer()),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    satisfaction: Type.Optional(SatisfactionSchema),
    primaryId: Type.Optional(Type.Integer()),
    photos: Type.Optional(Photos),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

export const OrderSummary = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  hotlineNumber: Nullable(Type.String()),
  title: Type.String(),
  channel: ChannelSchema,
  categoryId: Type.Integer(),
  categoryName: Type.String(),
  urgency: UrgencySchema,
  state: OrderStateSchema,
  orgId: Type.Integer(),
  orgName: Type.String(),
  handlerOrgId: Nullable(Type.Integer()),
  handlerOrgName: Nullable(Type.String()),
  address: Nullable(Type.String()),
  lng: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  praise: Type.Boolean(),
  onTheSpot: Type.Boolean(),
  supervised: Type.Boolean(),
  satisfaction: Nullable(SatisfactionSchema),
  reopenCount: Type.Integer(),
  mergedIntoId: Nullable(Type.Integer()),
  /** Deadline of the current step (sign-for while dispatched, handling afterwards), or null. */
  dueAt: Nullable(Type.String()),
  sla: Nullable(SlaStateSchema),
  createdAt: Type.String(),
  version: Type.Integer(),
});
export type OrderSummary = Static<typeof OrderSummary>;

export const OrderList = Type.Object({ items: Type.Array(OrderSummary), total: Type.Integer() });
export type OrderList = Static<typeof OrderList>;

export const ORDER_VIEWS = ['all', 'mine', 'unit', 'overdue', 'to_verify'] as const;
export type OrderViewName = (typeof ORDER_VIEWS)[number];

export const OrderListQuery = Type.Object(
  {
    view: Type.Optional(lit(ORDER_VIEWS)),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    state: Type.Optional(OrderStateSchema),
    categoryId: Type.Optional(Type.Integer()),
    orgId: Type.Optional(Type.Integer()),
    handlerOrgId: Type.Optional(Type.Integer()),
    channel: Type.Optional(ChannelSchema),
    overdue: Type.Optional(Type.Boolean()),
    /** Only orders still being worked (submitted … replied). */
    open: Type.Optional(Type.Boolean()),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

export const OrderEventView = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  fromState: Nullable(OrderStateSchema),
  toState: Nullable(OrderStateSchema),
  actorName: Type.String(),
  note: Nullable(Type.String()),
  data: Nullable(Type.Record(Type.String(), Type.Unknown())),
  attachmentIds: Type.Array(Type.Integer()),
  createdAt: Type.String(),
});
export type OrderEventView = Static<typeof OrderEventView>;

export const OrderItemView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  ownerOrgId: Nullable(Type.Integer()),
  ownerOrgName: Nullable(Type.String()),
  ownerName: Nullable(Type.String()),
  dueDate: Nullable(Type.String()),
  state: ItemStateSchema,
  note: Nullable(Type.String()),
  overdue: Type.Boolean(),
  attachmentIds: Type.Array(Type.Integer()),
  version: Type.Integer(),
});
export type OrderItemView = Static<typeof OrderItemView>;

export const AttachmentView = Type.Object({ id: Type.Integer(), name: Type.String(), mime: Type.String(), size: Type.Integer() });

export const OrderDetail = Type.Composite([
  OrderSummary,
  Type.Object({
    description: Type.String(),
    originalDescription: Type.String(),
    householdId: Nullable(Type.Integer()),
    reporterName: Nullable(Type.String()),
    reporterPhone: Nullable(Type.String()),
    anonymous: Type.Boolean(),
    praisedPerson: Nullable(Type.String()),
    praisedOrgId: Nullable(Type.Integer()),
    signDueAt: Nullable(Type.String()),
    handleDueAt: Nullable(Type.String()),
    extensionDays: Type.Integer(),
    pendingExtension: Nullable(Type.Object({ days: Type.Integer(), note: Type.String() })),
    returnCount: Type.Integer(),
    items: Type.Array(OrderItemView),
    events: Type.Array(OrderEventView),
    attachments: Type.Array(AttachmentView),
    mergedOrderIds: Type.Array(Type.Integer()),
    /** The category's default handler unit, to preselect when dispatching (staff may override). */
    suggestedHandlerOrgId: Nullable(Type.Integer()),
    allowedActions: Type.Array(OrderActionSchema),
  }),
]);
export type OrderDetail = Static<typeof OrderDetail>;

export const CreateItemBody = Type.Composite([ItemInput, Type.Object({ version: Type.Integer() })], { additionalProperties: false });
export type CreateItemBody = Static<typeof CreateItemBody>;

export const UpdateItemBody = Type.Object(
  {
    version: Type.Integer(),
    /** A new state (done needs evidence, waived a reason); leave out to change only owner or deadline. */
    state: Type.Optional(ItemStateSchema),
    ownerOrgId: Type.Optional(Nullable(Type.Integer())),
    ownerName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    dueDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    photos: Type.Optional(Photos),
  },
  { additionalProperties: false },
);
export type UpdateItemBody = Static<typeof UpdateItemBody>;

export const DuplicateQuery = Type.Object(
  {
    categoryId: Type.Integer(),
    description: Type.String({ maxLength: 4000 }),
    householdId: Type.Optional(Type.Integer()),
    lng: Type.Optional(Type.Number()),
    lat: Type.Optional(Type.Number()),
    excludeId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type DuplicateQuery = Static<typeof DuplicateQuery>;

export const DuplicateList = Type.Object({
  items: Type.Array(Type.Composite([OrderSummary, Type.Object({ similarity: Type.Number(), distanceM: Nullable(Type.Number()) })])),
});
export type DuplicateList = Static<typeof DuplicateList>;

/** Public follow-up: what a reporter sees of an order by its number and access code. */
export const PublicOrderView = Type.Object({
  number: Type.String(),
  state: OrderStateSchema,
  categoryName: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
  mergedIntoNumber: Nullable(Type.String()),
  satisfaction: Nullable(SatisfactionSchema),
  canRate: Type.Boolean(),
  timeline: Type.Array(Type.Object({ action: Type.String(), toState: Nullable(OrderStateSchema), note: Nullable(Type.String()), createdAt: Type.String() })),
});
export type PublicOrderView = Static<typeof PublicOrderView>;

export const PublicRateBody = Type.Object(
  { accessCode: Type.String({ minLength: 4, maxLength: 16 }), satisfaction: SatisfactionSchema, note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export type PublicRateBody = Static<typeof PublicRateBody>;

export const CategoryView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  name: Type.String(),
  defaultHandlerOrgId: Nullable(Type.Integer()),
  status: Type.String(),
  version: Type.Integer(),
});
export type CategoryView = Static<typeof CategoryView>;
export const CategoryList = Type.Object({ items: Type.Array(CategoryView) });
export type CategoryList = Static<typeof CategoryList>;

export const CreateCategoryBody = Type.Object(
  {
    parentId: Type.Optional(Nullable(Type.Integer())),
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    defaultHandlerOrgId: Type.Optional(Nullable(Type.Integer())),
  },
  { additionalProperties: false },
);
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    defaultHandlerOrgId: Type.Optional(Nullable(Type.Integer())),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
  },
  { additionalProperties: false },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

/** SLA limits for a category (or every category: categoryId null) and urgency. */
export const SlaRule = Type.Object(
  {
    categoryId: Nullable(Type.Integer()),
    urgency: UrgencySchema,
    signHours: Type.Integer({ minimum: 1, maximum: 240 }),
    /** Handling limit: working days, or clock hours for emergencies. */
    handleLimit: Type.Integer({ minimum: 1, maximum: 60 }),
    handleUnit: Type.Union([Type.Literal('working_days'), Type.Literal('hours')]),
  },
  { additionalProperties: false },
);
export type SlaRule = Static<typeof SlaRule>;
export const SlaRuleList = Type.Object({ items: Type.Array(SlaRule) });
export type SlaRuleList = Static<typeof SlaRuleList>;

/** A year of the official calendar: the holidays and the adjusted working days (调休). */
export const CalendarYear = Type.Object(
  {
    holidays: Type.Array(Type.String({ format: 'date' }), { maxItems: 120 }),
    workdays: Type.Array(Type.String({ format: 'date' }), { maxItems: 60 }),
  },
  { additionalProperties: false },
);
export type CalendarYear = Static<typeof CalendarYear>;
export const CalendarYearView = Type.Composite([CalendarYear, Type.Object({ year: Type.Integer(), source: Type.String() })]);
export type CalendarYearView = Static<typeof CalendarYearView>;

/**
 * Work-order indicators of an org node (its whole subtree) over a period (design.md §3, as city
 * monthly reports compute them). The base is the orders received in the period, in their state at
 * the time of the query; praise orders count only in `praise`, merged duplicates nowhere. Rates
 * are fractions (0..1), null when their base is 0. The server (order.indicators.ts) documents
 * each formula.
 */
export const OrderIndicators = Type.Object({
  orgId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  /** Registered in the period (受理量 base), praise and merged orders excepted. */
  received: Type.Integer(),
  /** Refused (不予受理). */
  rejected: Type.Integer(),
  /** Due to close (应结案): accepted, not parked, not rejected. */
  dueToClose: Type.Integer(),
  closed: Type.Integer(),
  closedOnTime: Type.Integer(),
  /** Orders with a callback (回访), counted once, by their latest rating. */
  callbacks: Type.Integer(),
  satisfiedOrBasically: Type.Integer(),
  accepted: Type.Integer(),
  onTheSpot: Type.Integer(),
  reopened: Type.Integer(),
  /** Orders closed at least once (the base of the reopen rate). */
  everClosed: Type.Integer(),
  /** Dispatch actions (派遣次数) and the returns (退单) among them. */
  dispatched: Type.Integer(),
  returned: Type.Integer(),
  /** Handling results sent for verification (办结回复) and those sent back (核查不通过, 返工). */
  handled: Type.Integer(),
  sentBack: Type.Integer(),
  praise: Type.Integer(),
  closureRate: Nullable(Type.Number()),
  onTimeClosureRate: Nullable(Type.Number()),
  satisfactionRate: Nullable(Type.Number()),
  onTheSpotRate: Nullable(Type.Number()),
  reopenRate: Nullable(Type.Number()),
  reworkRate: Nullable(Type.Number()),
  accurateDispatchRate: Nullable(Type.Number()),
  avgHandlingWorkHours: Nullable(Type.Number()),
});
export type OrderIndicators = Static<typeof OrderIndicators>;
export const IndicatorQuery = Type.Object(
  { orgId: Type.Optional(Type.Integer()), from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);
export type IndicatorQuery = Static<typeof IndicatorQuery>;

export const NotificationView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  orderId: Nullable(Type.Integer()),
  activityId: Nullable(Type.Integer()),
  wishId: Nullable(Type.Integer()),
  title: Type.String(),
  body: Nullable(Type.String()),
  readAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type NotificationView = Static<typeof NotificationView>;
export const NotificationList = Type.Object({ items: Type.Array(NotificationView), unread: Type.Integer() });
export type NotificationList = Static<typeof NotificationList>;
