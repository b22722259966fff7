import { Type, type Static } from '@sinclair/typebox';

/**
 * A volunteer's record (design.md §4, 民政部令第67号): certified service, star level by cumulative
 * hours, numbered certificates, and points earned by service and redeemed for rewards.
 */
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ServiceRecordView = Type.Object({
  signupId: Type.Integer(),
  activityId: Type.Integer(),
  title: Type.String(),
  kind: Type.String(),
  organiser: Type.String(),
  startsAt: Type.String(),
  minutes: Type.Integer(),
  confirmedAt: Type.String(),
});
export type ServiceRecordView = Static<typeof ServiceRecordView>;

export const CertificateView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  residentId: Type.Integer(),
  residentName: Type.String(),
  issuerName: Type.String(),
  totalMinutes: Type.Integer(),
  services: Type.Integer(),
  firstServiceAt: NullableString,
  lastServiceAt: NullableString,
  issuedAt: Type.String(),
});
export type CertificateView = Static<typeof CertificateView>;

export const VolunteerProfile = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  orgName: Type.String(),
  /** Certified minutes in total, and as hours with one decimal. */
  totalMinutes: Type.Integer(),
  totalHours: Type.Number(),
  services: Type.Integer(),
  /** 0 to 5. */
  star: Type.Integer(),
  /** The next level and the hours still needed (null at the top). */
  nextStar: Type.Union([Type.Object({ level: Type.Integer(), minHours: Type.Integer(), hoursToGo: Type.Number() }), Type.Null()]),
  points: Type.Integer(),
  records: Type.Array(ServiceRecordView),
  certificates: Type.Array(CertificateView),
});
export type VolunteerProfile = Static<typeof VolunteerProfile>;

export const StarLevels = Type.Object({
  levels: Type.Array(Type.Object({ level: Type.Integer({ minimum: 1, maximum: 5 }), minHours: Type.Integer({ minimum: 1, maximum: 100000 }) }), {
    minItems: 5,
    maxItems: 5,
  }),
});
export type StarLevels = Static<typeof StarLevels>;

/** The star level of a number of certified hours: the highest level whose threshold is reached. */
export function starLevel(hours: number, levels: readonly { level: number; minHours: number }[]): number {
  let star = 0;
  for (const l of levels) if (hours >= l.minHours && l.level > star) star = l.level;
  return star;
}

/** Points for certified minutes: hours × rate × the activity kind's coefficient, rounded down. */
export function servicePoints(minutes: number, ratePerHour: number, coefficient: number): number {
  return Math.floor((minutes * ratePerHour * coefficient) / 60 + 1e-9);
}

export const PointEntryView = Type.Object({
  transactionId: Type.Integer(),
  kind: Type.String(),
  memo: Type.String(),
  amount: Type.Integer(),
  createdAt: Type.String(),
});
export const PointLedger = Type.Object({ balance: Type.Integer(), entries: Type.Array(PointEntryView) });
export type PointLedger = Static<typeof PointLedger>;

export const REDEMPTION_STATUSES = ['pending', 'approved', 'rejected', 'picked_up'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
export const REDEMPTION_STATUS_LABELS: Record<RedemptionStatus, { 'zh-CN': string; en: string }> = {
  pending: { 'zh-CN': '待审核', en: 'Pending' },
  approved: { 'zh-CN': '待领取', en: 'Ready for pickup' },
  rejected: { 'zh-CN': '未通过', en: 'Rejected' },
  picked_up: { 'zh-CN': '已领取', en: 'Picked up' },
};

export const RewardView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  name: Type.String(),
  description: NullableString,
  cost: Type.Integer(),
  stock: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  version: Type.Integer(),
});
export type RewardView = Static<typeof RewardView>;
export const RewardList = Type.Object({ items: Type.Array(RewardView) });

export const CreateRewardBody = Type.Object(
  {
    orgId: Type.Integer(),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
    cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type CreateRewardBody = Static<typeof CreateRewardBody>;

export const UpdateRewardBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
    cost: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
  },
  { additionalProperties: false },
);
export type UpdateRewardBody = Static<typeof UpdateRewardBody>;

export const RedemptionView = Type.Object({
  id: Type.Integer(),
  rewardId: Type.Integer(),
  rewardName: Type.String(),
  residentId: Type.Integer(),
  residentName: Type.String(),
  points: Type.Integer(),
  status: Type.Union(REDEMPTION_STATUSES.map((s) => Type.Literal(s))),
  /** Shown to the resident once approved; staff see it only as "given". */
  pickupCode: NullableString,
  reason: NullableString,
  createdAt: Type.String(),
  version: Type.Integer(),
});
export type RedemptionView = Static<typeof RedemptionView>;
export const RedemptionList = Type.Object({ items: Type.Array(RedemptionView) });

/** Staff redeem for a resident without a phone (residentId); a resident for themself. */
export const RedeemBody = Type.Object({ residentId: Type.Optional(Type.Integer()) }, { additionalProperties: false });
export const DecideRedemptionBody = Type.Object(
  { version: Type.Integer(), approve: Type.Boolean(), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type DecideRedemptionBody = Static<typeof DecideRedemptionBody>;
export const PickupBody = Type.Object({ version: Type.Integer(), pickupCode: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false });
export type PickupBody = Static<typeof PickupBody>;

export const IssueCertificateBody = Type.Object({}, { additionalProperties: false });
