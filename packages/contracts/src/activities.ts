import { Type, type Static } from '@sinclair/typebox';
import { MAX_PHOTOS, PhotoInput } from './workorders.js';

/**
 * Activities (微服务 services, 微课堂 classes, study sessions, events), their sign-ups, check-in and
 * the service records that follow (design.md §4; 民政部令第67号: actual service time, travel
 * excluded, recorded and certified by the organiser).
 */
export const ACTIVITY_KINDS = ['service', 'class', 'study', 'event'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** draft → published → (changed while published) → finished | cancelled. */
export const ACTIVITY_STATUSES = ['draft', 'published', 'cancelled', 'finished'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Who may sign up: everyone, residents with the volunteer tag, party members. */
export const ACTIVITY_AUDIENCES = ['all', 'volunteers', 'party_members'] as const;
export type ActivityAudience = (typeof ACTIVITY_AUDIENCES)[number];

/** confirmed (has a place) · waiting (in line, promoted in order) · withdrawn. */
export const SIGNUP_STATUSES = ['confirmed', 'waiting', 'withdrawn'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, { 'zh-CN': string; en: string }> = {
  service: { 'zh-CN': '志愿服务', en: 'Volunteer service' },
  class: { 'zh-CN': '微课堂', en: 'Class' },
  study: { 'zh-CN': '学习会', en: 'Study session' },
  event: { 'zh-CN': '主题活动', en: 'Event' },
};
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, { 'zh-CN': string; en: string }> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  published: { 'zh-CN': '报名中', en: 'Published' },
  cancelled: { 'zh-CN': '已取消', en: 'Cancelled' },
  finished: { 'zh-CN': '已结束', en: 'Finished' },
};
export const SIGNUP_STATUS_LABELS: Record<SignupStatus, { 'zh-CN': string; en: string }> = {
  confirmed: { 'zh-CN': '已报名', en: 'Confirmed' },
  waiting: { 'zh-CN': '候补中', en: 'Waiting list' },
  withdrawn: { 'zh-CN': '已取消报名', en: 'Withdrawn' },
};

const Kind = Type.Union(ACTIVITY_KINDS.map((k) => Type.Literal(k)));
const Status = Type.Union(ACTIVITY_STATUSES.map((k) => Type.Literal(k)));
const Audience = Type.Union(ACTIVITY_AUDIENCES.map((k) => Type.Literal(k)));
const SignupStatusSchema = Type.Union(SIGNUP_STATUSES.map((k) => Type.Literal(k)));
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
/** Null first: the server's Ajv coerces types, and [Integer, Null] would turn null into 0. */
const NullableIntInput = (opts: object = {}) => Type.Union([Type.Null(), Type.Integer(opts)]);
const NullableText = (max: number) => Type.Union([Type.Null(), Type.String({ maxLength: max })]);

/** How service minutes are counted from check-in and check-out (per activity; defaults from design.md). */
export const ServiceRules = Type.Object({
  /** A record counts only when at least this share of the activity's time was attended (percent). */
  minSharePercent: Type.Integer({ minimum: 0, maximum: 100 }),
  /** At most this many minutes per person (null: the activity's length). */
  capMinutes: NullableIntInput({ minimum: 1, maximum: 24 * 60 }),
});
export type ServiceRules = Static<typeof ServiceRules>;
export const DEFAULT_SERVICE_RULES: ServiceRules = { minSharePercent: 60, capMinutes: null };

/** A session's material: a title, and a link when it lives elsewhere (slides, a video, an article). */
export const Material = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 120 }), url: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500, pattern: '^https?://' })])) },
  { additionalProperties: false },
);
export type Material = Static<typeof Material>;

export const ActivityView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  teamId: NullableInt,
  teamName: NullableString,
  organiser: NullableString,
  kind: Kind,
  title: Type.String(),
  description: NullableString,
  place: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  capacity: NullableInt,
  audience: Audience,
  rules: ServiceRules,
  status: Status,
  cancelReason: NullableString,
  seriesId: NullableInt,
  seriesTitle: NullableString,
  materials: Type.Array(Material),
  imageIds: Type.Array(Type.Integer()),
  /** People served, as the organiser reported on closing (null until then). */
  servedCount: NullableInt,
  confirmedCount: Type.Integer(),
  waitingCount: Type.Integer(),
  version: Type.Integer(),
  updatedAt: Type.String(),
});
export type ActivityView = Static<typeof ActivityView>;

export const ActivityList = Type.Object({ items: Type.Array(ActivityView), total: Type.Integer() });
export type ActivityList = Static<typeof ActivityList>;

export const ActivityListQuery = Type.Object(
  {
    orgId: Type.Optional(Type.Integer()),
    status: Type.Optional(Status),
    kind: Type.Optional(Kind),
    /** Only activities that have not ended yet. */
    upcoming: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ActivityListQuery = Static<typeof ActivityListQuery>;

const activityFields = {
  kind: Kind,
  title: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.Optional(NullableText(4000)),
  place: Type.String({ minLength: 1, maxLength: 120 }),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  capacity: Type.Optional(NullableIntInput({ minimum: 1, maximum: 100000 })),
  audience: Type.Optional(Audience),
  teamId: Type.Optional(NullableIntInput()),
  organiser: Type.Optional(NullableText(80)),
  rules: Type.Optional(ServiceRules),
  seriesId: Type.Optional(NullableIntInput()),
  materials: Type.Optional(Type.Array(Material, { maxItems: 30 })),
  /** Pictures to add (JPEG, PNG or WebP data URLs, as photos of orders). */
  images: Type.Optional(Type.Array(PhotoInput, { maxItems: MAX_PHOTOS })),
};

/** orgId: the community (or any node in scope) that runs the activity. Created as a draft. */
export const CreateActivityBody = Type.Object({ orgId: Type.Integer(), ...activityFields }, { additionalProperties: false });
export type CreateActivityBody = Static<typeof CreateActivityBody>;

/** A change; when the activity is published, the people signed up are notified of what changed. */
export const UpdateActivityBody = Type.Object(
  {
    version: Type.Integer(),
    kind: Type.Optional(Kind),
    title: Type.Optional(activityFields.title),
    description: activityFields.description,
    place: Type.Optional(activityFields.place),
    startsAt: Type.Optional(activityFields.startsAt),
    endsAt: Type.Optional(activityFields.endsAt),
    capacity: activityFields.capacity,
    audience: activityFields.audience,
    teamId: activityFields.teamId,
    organiser: activityFields.organiser,
    rules: activityFields.rules,
    seriesId: activityFields.seriesId,
    materials: activityFields.materials,
    images: activityFields.images,
    removeImageIds: Type.Optional(Type.Array(Type.Integer(), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type UpdateActivityBody = Static<typeof UpdateActivityBody>;

export const VersionBody = Type.Object({ version: Type.Integer() }, { additionalProperties: false });
export type VersionBody = Static<typeof VersionBody>;

export const CancelActivityBody = Type.Object(
  { version: Type.Integer(), reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type CancelActivityBody = Static<typeof CancelActivityBody>;

export const SignupView = Type.Object({
  id: Type.Integer(),
  activityId: Type.Integer(),
  residentId: Type.Integer(),
  /** Masked unless the reader may see full names. */
  name: Type.String(),
  status: SignupStatusSchema,
  /** 1-based place in the waiting list (null unless waiting). */
  waitingPosition: NullableInt,
  byProxy: Type.Boolean(),
  checkedInAt: NullableString,
  checkedOutAt: NullableString,
  /** Minutes computed from check-in/out under the activity's rules (null until checked out). */
  computedMinutes: NullableInt,
  /** Minutes the organiser certified (null until confirmed). */
  confirmedMinutes: NullableInt,
  confirmedAt: NullableString,
  correctionReason: NullableString,
  createdAt: Type.String(),
  version: Type.Integer(),
});
export type SignupView = Static<typeof SignupView>;

export const SignupList = Type.Object({ items: Type.Array(SignupView) });
export type SignupList = Static<typeof SignupList>;

/** Staff sign a resident up by proxy (residentId); a resident signs up themself (no body needed). */
export const CreateSignupBody = Type.Object({ residentId: Type.Optional(Type.Integer()) }, { additionalProperties: false });
export type CreateSignupBody = Static<typeof CreateSignupBody>;

/** The rotating check-in code shown on the organiser's screen. */
export const CheckInCode = Type.Object({
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  token: Type.String(),
  /** When this code stops being accepted (it is replaced well before). */
  expiresAt: Type.String(),
  /** Seconds until the screen should fetch the next code. */
  refreshInSeconds: Type.Integer(),
  /** What the QR code holds: the phone page that checks the scanner in. */
  url: Type.String(),
});
export type CheckInCode = Static<typeof CheckInCode>;

export const CheckInCodeQuery = Type.Object(
  { direction: Type.Union([Type.Literal('in'), Type.Literal('out')]) },
  { additionalProperties: false },
);

/** A resident scanning the organiser's code. */
export const ScanBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type ScanBody = Static<typeof ScanBody>;

/** The organiser marks attendance for someone without a phone (times default to the activity's). */
export const MarkAttendanceBody = Type.Object(
  {
    version: Type.Integer(),
    checkedInAt: Type.String({ format: 'date-time' }),
    checkedOutAt: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' })])),
  },
  { additionalProperties: false },
);
export type MarkAttendanceBody = Static<typeof MarkAttendanceBody>;

/** The organiser certifies the minutes; a number other than the computed one needs a reason. */
export const ConfirmServiceBody = Type.Object(
  {
    version: Type.Integer(),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 60 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ConfirmServiceBody = Static<typeof ConfirmServiceBody>;

/**
 * Minutes actually served (design.md §4): the overlap of [check-in, check-out] with the activity's
 * time (arriving early or staying late is not service; travel is outside both), zero when the
 * overlap is under the activity's minimum share, and at most the cap.
 */
export function serviceMinutes(
  activity: { startsAt: string; endsAt: string; rules: ServiceRules },
  checkedInAt: string,
  checkedOutAt: string,
): number {
  const start = Math.max(Date.parse(activity.startsAt), Date.parse(checkedInAt));
  const end = Math.min(Date.parse(activity.endsAt), Date.parse(checkedOutAt));
  const length = Date.parse(activity.endsAt) - Date.parse(activity.startsAt);
  const attended = Math.max(0, end - start);
  if (length <= 0 || attended * 100 < length * activity.rules.minSharePercent) return 0;
  const minutes = Math.floor(attended / 60_000);
  return activity.rules.capMinutes === null ? minutes : Math.min(minutes, activity.rules.capMinutes);
}

/** The organiser closes an activity, saying how many people it served (服务人次) when it served anyone. */
export const FinishActivityBody = Type.Object(
  { version: Type.Integer(), servedCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) },
  { additionalProperties: false },
);
export type FinishActivityBody = Static<typeof FinishActivityBody>;

export const ActivityFiguresQuery = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    orgId: Type.Optional(Type.Integer()),
    kind: Type.Optional(Kind),
  },
  { additionalProperties: false },
);
export type ActivityFiguresQuery = Static<typeof ActivityFiguresQuery>;

/**
 * One row of figures (design.md §4; the seed's "今年开展服务36次,累计服务时长230小时"): activities
 * held (started in the period, not cancelled, with at least one certified record), people served
 * (as the organisers reported on closing), volunteers (distinct people with certified minutes),
 * certified minutes and hours, and hours per volunteer.
 */
export const FigureRow = Type.Object({
  key: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  services: Type.Integer(),
  served: Type.Integer(),
  volunteers: Type.Integer(),
  minutes: Type.Integer(),
  hours: Type.Number(),
  hoursPerVolunteer: Type.Number(),
});
export type FigureRow = Static<typeof FigureRow>;

export const ActivityFigures = Type.Object({
  from: Type.String(),
  to: Type.String(),
  total: FigureRow,
  byTeam: Type.Array(FigureRow),
  byOrg: Type.Array(FigureRow),
});
export type ActivityFigures = Static<typeof ActivityFigures>;

/** What anyone may see of a published activity (the share page): no sign-up names. */
export const PublicActivityView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  kind: Kind,
  orgName: Type.String(),
  organiser: NullableString,
  place: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  capacity: NullableInt,
  confirmedCount: Type.Integer(),
  waitingCount: Type.Integer(),
  audience: Audience,
  status: Status,
  description: NullableString,
  imageIds: Type.Array(Type.Integer()),
});
export type PublicActivityView = Static<typeof PublicActivityView>;

export const ClassSeriesView = Type.Object({
  id: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  teamId: NullableInt,
  title: Type.String(),
  description: NullableString,
  sessions: Type.Integer(),
  version: Type.Integer(),
});
export type ClassSeriesView = Static<typeof ClassSeriesView>;
export const ClassSeriesList = Type.Object({ items: Type.Array(ClassSeriesView) });

export const CreateClassSeriesBody = Type.Object(
  {
    orgId: Type.Integer(),
    title: Type.String({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(NullableText(2000)),
    teamId: Type.Optional(NullableIntInput()),
  },
  { additionalProperties: false },
);
export type CreateClassSeriesBody = Static<typeof CreateClassSeriesBody>;

/** Each member's attendance across a series' sessions (a member: anyone who signed up for one). */
export const SeriesAttendance = Type.Object({
  series: ClassSeriesView,
  sessions: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), startsAt: Type.String(), status: Status, attended: Type.Integer(), materials: Type.Array(Material) })),
  members: Type.Array(
    Type.Object({
      residentId: Type.Integer(),
      name: Type.String(),
      /**
       * Per session, in the order of `sessions`: attended (checked in), signed up but absent, signed
       * up for a session not held yet, or not signed up.
       */
      marks: Type.Array(Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('upcoming'), Type.Literal('none')])),
      attended: Type.Integer(),
      /** Sessions attended of the sessions held so far (percent). */
      rate: Type.Integer(),
    }),
  ),
});
export type SeriesAttendance = Static<typeof SeriesAttendance>;
