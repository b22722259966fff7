import { Type, type Static } from '@sinclair/typebox';
import { PhotoInput, MAX_PHOTOS } from './workorders.js';

/** The wish box (微心愿, design.md §4). */
export const WISH_CHANNELS = ['visit', 'box', 'card', 'online'] as const;
export type WishChannel = (typeof WISH_CHANNELS)[number];
export const WISH_STATUSES = ['collected', 'verified', 'published', 'claimed', 'contacted', 'fulfilled', 'thanked', 'rejected'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export const CLAIMANT_KINDS = ['person', 'team', 'unit'] as const;
export type ClaimantKind = (typeof CLAIMANT_KINDS)[number];

export const WISH_CHANNEL_LABELS: Record<WishChannel, { 'zh-CN': string; en: string }> = {
  visit: { 'zh-CN': '走访收集', en: 'Home visit' },
  box: { 'zh-CN': '心愿箱', en: 'Wish box' },
  card: { 'zh-CN': '心愿卡', en: 'Wish card' },
  online: { 'zh-CN': '线上提交', en: 'Online' },
};
export const WISH_STATUS_LABELS: Record<WishStatus, { 'zh-CN': string; en: string }> = {
  collected: { 'zh-CN': '待核实', en: 'To verify' },
  verified: { 'zh-CN': '待发布', en: 'To publish' },
  published: { 'zh-CN': '待认领', en: 'Open to claim' },
  claimed: { 'zh-CN': '已认领', en: 'Claimed' },
  contacted: { 'zh-CN': '已联系', en: 'Contacted' },
  fulfilled: { 'zh-CN': '已实现', en: 'Fulfilled' },
  thanked: { 'zh-CN': '已致谢', en: 'Thanked' },
  rejected: { 'zh-CN': '未通过', en: 'Not accepted' },
};

/** Days a claimant has to contact the wisher, and how long before the deadline the reminder goes. */
export const WISH_CONTACT_DAYS = 7;
export const WISH_REMIND_BEFORE_DAYS = 2;
/** An unclaimed wish gains one priority level per 30 days it has waited since publication. */
export const WISH_ROLLOVER_DAYS = 30;

export function wishPriority(publishedAt: string | null, nowMs: number): number {
  if (!publishedAt) return 0;
  return Math.max(0, Math.floor((nowMs - Date.parse(publishedAt)) / (WISH_ROLLOVER_DAYS * 86_400_000)));
}

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const Status = Type.Union(WISH_STATUSES.map((s) => Type.Literal(s)));
const Channel = Type.Union(WISH_CHANNELS.map((s) => Type.Literal(s)));

export const WishView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  channel: Channel,
  wisherResidentId: NullableInt,
  /** Masked unless the reader may see full names. */
  wisherName: Type.String(),
  publicName: Type.String(),
  content: Type.String(),
  status: Status,
  rejectReason: NullableString,
  publishedAt: NullableString,
  priority: Type.Integer(),
  claimId: NullableInt,
  claimantName: NullableString,
  contactDueAt: NullableString,
  /** Claimed, not contacted, and past the 7 days. */
  contactOverdue: Type.Boolean(),
  contactedAt: NullableString,
  fulfilledAt: NullableString,
  fulfilNote: NullableString,
  photoIds: Type.Array(Type.Integer()),
  thankedAt: NullableString,
  thanksNote: NullableString,
  version: Type.Integer(),
  createdAt: Type.String(),
});
export type WishView = Static<typeof WishView>;
export const WishList = Type.Object({ items: Type.Array(WishView) });

export const WishListQuery = Type.Object(
  { status: Type.Optional(Status), orgId: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export type WishListQuery = Static<typeof WishListQuery>;

/** What anyone may see of a published wish: the surname and the wish. */
export const PublicWishView = Type.Object({
  id: Type.Integer(),
  publicName: Type.String(),
  content: Type.String(),
  communityName: Type.String(),
  publishedAt: Type.String(),
  priority: Type.Integer(),
});
export type PublicWishView = Static<typeof PublicWishView>;
export const PublicWishList = Type.Object({ items: Type.Array(PublicWishView) });
export const PublicWishQuery = Type.Object({ communityId: Type.Optional(Type.Integer()) }, { additionalProperties: false });

/** Staff record a wish (a resident of their area, or a name when the card carries one only). */
export const CreateWishBody = Type.Object(
  {
    orgId: Type.Integer(),
    channel: Channel,
    residentId: Type.Optional(Type.Integer()),
    wisherName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    content: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type CreateWishBody = Static<typeof CreateWishBody>;

/** A resident makes a wish online (it waits for the community to verify it). */
export const MyWishBody = Type.Object({ content: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });

export const VerifyWishBody = Type.Object(
  { version: Type.Integer(), approve: Type.Boolean(), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type VerifyWishBody = Static<typeof VerifyWishBody>;
export const WishVersionBody = Type.Object({ version: Type.Integer() }, { additionalProperties: false });
export const FulfilWishBody = Type.Object(
  { version: Type.Integer(), note: Type.String({ minLength: 1, maxLength: 500 }), photos: Type.Array(PhotoInput, { minItems: 1, maxItems: MAX_PHOTOS }) },
  { additionalProperties: false },
);
export type FulfilWishBody = Static<typeof FulfilWishBody>;
export const ThankWishBody = Type.Object({ version: Type.Integer(), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type ThankWishBody = Static<typeof ThankWishBody>;

/** One claim may cover several wishes. Staff name the claimant; a resident claims for themself. */
export const ClaimWishesBody = Type.Object(
  {
    wishIds: Type.Array(Type.Integer(), { minItems: 1, maxItems: 50 }),
    claimantKind: Type.Optional(Type.Union(CLAIMANT_KINDS.map((k) => Type.Literal(k)))),
    residentId: Type.Optional(Type.Integer()),
    teamId: Type.Optional(Type.Integer()),
    allianceId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type ClaimWishesBody = Static<typeof ClaimWishesBody>;
