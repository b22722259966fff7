import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table types for Kysely. Timestamps are ISO-8601 text on both dialects; JSON is text. */
export interface OrgUnitsTable {
  id: Generated<number>;
  parent_id: number | null;
  kind: string;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  status: Generated<string>;
  geometry: string | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  sort_order: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface BuildingsTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface HouseholdsTable {
  id: Generated<number>;
  org_id: number;
  building_id: number | null;
  unit_label: string | null;
  room: string | null;
  address: string;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ResidentsTable {
  id: Generated<number>;
  org_id: number;
  household_id: number | null;
  name: string;
  name_pinyin: string;
  name_initials: string;
  gender: string | null;
  birth_date: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  address: string | null;
  relation_to_head: string | null;
  tags: Generated<string>;
  note: string | null;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** The text-search index of residents, kept exact by triggers (see migration 006). */
export interface ResidentGramsTable {
  org_id: number;
  /** The resident's status, copied so that a list of one status reads only its residents. */
  status: string;
  /** 0: two-character piece of name and address; 1: pinyin initials or full pinyin. */
  kind: number;
  gram: string;
  resident_id: number;
}

export interface ResidentTagsTable {
  resident_id: number;
  tag: string;
}

/** Derived counts kept exact by triggers (see 001_foundation createResidentStats); tag '' = all. */
export interface ResidentStatsTable {
  org_id: number;
  status: string;
  tag: string;
  n: number;
}

export interface AccountsTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  org_id: number;
  resident_id: number | null;
  status: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: string | null;
  password_changed_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: string;
  count: number;
}

export interface PartyOrgsTable {
  id: Generated<number>;
  parent_id: number | null;
  kind: string;
  name: string;
  org_id: number;
  household_id: number | null;
  secretary_resident_id: number | null;
  description: string | null;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface PartyMembersTable {
  party_org_id: number;
  resident_id: number;
  role: Generated<string>;
  joined_at: string;
}

export interface TeamsTable {
  id: Generated<number>;
  org_id: number;
  kind: string;
  name: string;
  description: string | null;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface TeamMembersTable {
  team_id: number;
  resident_id: number;
  role: Generated<string>;
  grid_id: number | null;
  joined_at: string;
}

export interface AllianceMembersTable {
  id: Generated<number>;
  org_id: number;
  kind: string;
  name: string;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  services: string | null;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_id: number | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface ImportJobsTable {
  id: Generated<number>;
  account_id: number;
  org_id: number;
  kind: string;
  file_name: string;
  file_sha256: string;
  status: string;
  total_rows: Generated<number>;
  valid_rows: Generated<number>;
  error_rows: Generated<number>;
  processed_rows: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImportRowsTable {
  job_id: number;
  row_no: number;
  data: string;
  errors: string | null;
  error_count: Generated<number>;
}

export interface OrderCategoriesTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name: string;
  default_handler_org_id: number | null;
  sort_order: Generated<number>;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SlaRulesTable {
  category_id: number;
  urgency: string;
  sign_hours: number;
  handle_limit: number;
  handle_unit: string;
  updated_at: string;
}

export interface CalendarYearsTable {
  year: number;
  source: string;
  updated_at: string;
}

export interface CalendarDaysTable {
  day: string;
  kind: string;
}

export interface WorkOrdersTable {
  id: Generated<number>;
  number: string;
  hotline_number: string | null;
  channel: string;
  category_id: number;
  urgency: string;
  title: string;
  description: string;
  original_description: string;
  org_id: number;
  household_id: number | null;
  lng: number | null;
  lat: number | null;
  address: string | null;
  reporter_resident_id: number | null;
  reporter_account_id: number | null;
  reporter_name: string | null;
  reporter_phone_enc: string | null;
  reporter_phone_hash: string | null;
  reporter_phone_masked: string | null;
  anonymous: Generated<number>;
  access_code_hash: string | null;
  handler_org_id: number | null;
  created_by: number | null;
  status: string;
  merged_into_id: number | null;
  praise: Generated<number>;
  praised_person: string | null;
  praised_org_id: number | null;
  on_the_spot: Generated<number>;
  satisfaction: string | null;
  reopen_count: Generated<number>;
  return_count: Generated<number>;
  send_back_count: Generated<number>;
  extension_days: Generated<number>;
  pending_extension_days: number | null;
  pending_extension_note: string | null;
  supervised: Generated<number>;
  items_open: Generated<number>;
  sign_due_at: string | null;
  handle_due_at: string | null;
  accepted_at: string | null;
  dispatched_at: string | null;
  signed_at: string | null;
  replied_at: string | null;
  closed_at: string | null;
  evaluated_at: string | null;
  closed_on_time: number | null;
  handling_work_hours: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  client_request_id: string | null;
}

export interface OrderEventsTable {
  id: Generated<number>;
  order_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: number | null;
  actor_name: string;
  note: string | null;
  data: string | null;
  created_at: string;
}

export interface OrderItemsTable {
  id: Generated<number>;
  order_id: number;
  title: string;
  owner_org_id: number | null;
  owner_name: string | null;
  due_date: string | null;
  state: Generated<string>;
  note: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OrderAttachmentsTable {
  id: Generated<number>;
  order_id: number;
  event_id: number | null;
  item_id: number | null;
  name: string;
  mime: string;
  size: number;
  data: Buffer;
  created_at: string;
}

/**
 * SQLite only: the FTS5 index of the orders' search terms (modules/workorders/order.fts.ts). Its
 * rowid is the order's id; `order_fts` names the table itself in `order_fts match ?`.
 */
export interface OrderFtsTable {
  rowid: number;
  doc: string;
  order_fts: string;
}

/** PostgreSQL only: SQLite keeps search terms in the FTS5 index order_fts (migration 017). */
export interface OrderTermsTable {
  term: string;
  /** The order's place (work_orders.org_id), so that a search reads its own area's matches only. */
  org_id: number;
  order_id: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  order_id: number | null;
  activity_id: Generated<number | null>;
  wish_id: Generated<number | null>;
  title: string;
  body: string | null;
  read_at: string | null;
  created_at: string;
}

export interface OrgWebhooksTable {
  org_id: number;
  url: string;
  secret: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  org_id: number;
  payload: string;
  attempts: Generated<number>;
  next_at: string;
  status: string;
  last_error: string | null;
  created_at: string;
}

export interface ActivitiesTable {
  id: Generated<number>;
  org_id: number;
  team_id: number | null;
  organiser: string | null;
  kind: string;
  title: string;
  description: string | null;
  place: string;
  starts_at: string;
  ends_at: string;
  capacity: number | null;
  audience: Generated<string>;
  min_share_percent: Generated<number>;
  cap_minutes: number | null;
  status: Generated<string>;
  cancel_reason: string | null;
  served_count: Generated<number | null>;
  series_id: Generated<number | null>;
  materials: Generated<string>;
  image_ids: Generated<string>;
  confirmed_count: Generated<number>;
  waiting_count: Generated<number>;
  created_by: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ActivitySignupsTable {
  id: Generated<number>;
  activity_id: number;
  resident_id: number;
  status: string;
  queued_at: string;
  proxy_account_id: number | null;
  checked_in_at: string | null;
  checked_out_at: string | null;
  attendance_by: number | null;
  computed_minutes: number | null;
  confirmed_minutes: number | null;
  confirmed_by: number | null;
  confirmed_at: string | null;
  correction_reason: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface VolunteerStarLevelsTable {
  level: number;
  min_hours: number;
}

export interface PointRulesTable {
  /** An activity kind, or '*rate' for the points per certified hour; coefficient in hundredths. */
  kind: string;
  coefficient_pct: number;
}

export interface VolunteerCertificatesTable {
  id: Generated<number>;
  number: string;
  resident_id: number;
  org_id: number;
  issuer_name: string;
  resident_name: string;
  id_number_masked: string | null;
  total_minutes: number;
  services: number;
  first_service_at: string | null;
  last_service_at: string | null;
  issued_by: number;
  issued_at: string;
  /** JSON [{ date, title, minutes }]: the service lines as certified when issued. */
  records: Generated<string>;
}

export interface PointAccountsTable {
  id: Generated<number>;
  kind: string;
  org_id: number;
  resident_id: number | null;
  balance: Generated<number>;
}

export interface PointTransactionsTable {
  id: Generated<number>;
  kind: string;
  memo: string;
  signup_id: number | null;
  redemption_id: number | null;
  created_by: number | null;
  created_at: string;
}

export interface PointEntriesTable {
  id: Generated<number>;
  transaction_id: number;
  account_id: number;
  amount: number;
}

export interface RewardsTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  description: string | null;
  cost: number;
  stock: number;
  status: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface RedemptionsTable {
  id: Generated<number>;
  reward_id: number;
  resident_id: number;
  points: number;
  status: string;
  pickup_code: string | null;
  reason: string | null;
  decided_by: number | null;
  decided_at: string | null;
  picked_up_at: string | null;
  pickup_attempts: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface WishClaimsTable {
  id: Generated<number>;
  org_id: number;
  claimant_kind: string;
  claimant_resident_id: number | null;
  claimant_team_id: number | null;
  claimant_alliance_id: number | null;
  claimant_name: string;
  remind_account_id: number | null;
  contact_due_at: string;
  reminded_at: string | null;
  created_by: number;
  created_at: string;
}

export interface WishesTable {
  id: Generated<number>;
  org_id: number;
  channel: string;
  wisher_resident_id: number | null;
  wisher_name: string;
  wisher_surname: string;
  content: string;
  status: Generated<string>;
  reject_reason: string | null;
  published_at: string | null;
  claim_id: number | null;
  contacted_at: string | null;
  fulfilled_at: string | null;
  fulfil_note: string | null;
  thanked_at: string | null;
  thanks_note: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface WishPhotosTable {
  id: Generated<number>;
  wish_id: number;
  name: string;
  mime: string;
  size: number;
  data: Buffer;
  created_at: string;
}

export interface ClassSeriesTable {
  id: Generated<number>;
  org_id: number;
  team_id: number | null;
  title: string;
  description: string | null;
  created_by: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ActivityImagesTable {
  id: Generated<number>;
  activity_id: number;
  name: string;
  mime: string;
  size: number;
  data: Buffer;
  created_at: string;
}

export interface DB {
  org_units: OrgUnitsTable;
  buildings: BuildingsTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  resident_tags: ResidentTagsTable;
  resident_grams: ResidentGramsTable;
  resident_stats: ResidentStatsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  party_orgs: PartyOrgsTable;
  party_members: PartyMembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  alliance_members: AllianceMembersTable;
  audit_log: AuditLogTable;
  import_jobs: ImportJobsTable;
  import_rows: ImportRowsTable;
  order_categories: OrderCategoriesTable;
  sla_rules: SlaRulesTable;
  calendar_years: CalendarYearsTable;
  calendar_days: CalendarDaysTable;
  work_orders: WorkOrdersTable;
  order_events: OrderEventsTable;
  order_items: OrderItemsTable;
  order_attachments: OrderAttachmentsTable;
  order_terms: OrderTermsTable;
  order_fts: OrderFtsTable;
  notifications: NotificationsTable;
  activities: ActivitiesTable;
  activity_signups: ActivitySignupsTable;
  volunteer_star_levels: VolunteerStarLevelsTable;
  point_rules: PointRulesTable;
  volunteer_certificates: VolunteerCertificatesTable;
  point_accounts: PointAccountsTable;
  point_transactions: PointTransactionsTable;
  point_entries: PointEntriesTable;
  rewards: RewardsTable;
  redemptions: RedemptionsTable;
  wish_claims: WishClaimsTable;
  wishes: WishesTable;
  wish_photos: WishPhotosTable;
  class_series: ClassSeriesTable;
  activity_images: ActivityImagesTable;
  org_webhooks: OrgWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type OrgUnitRow = Selectable<OrgUnitsTable>;
export type ResidentRow = Selectable<ResidentsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type NewResident = Insertable<ResidentsTable>;
export type ResidentUpdate = Updateable<ResidentsTable>;
export type WorkOrderRow = Selectable<WorkOrdersTable>;
