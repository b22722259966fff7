import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';
import { BUNDLED_CALENDAR_YEARS, DEFAULT_CATEGORIES, DEFAULT_SLA, bundledCalendar } from '../../modules/workorders/reference-data.js';

/**
 * The work-order loop (design.md §3): categories and SLA rules, the working-day calendar, orders
 * with their append-only event timeline, checklist items, photos, search terms and notifications.
 */
export async function up(db: Kysely<any>, { id, dialect }: MigrationContext): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('order_categories')
    .addColumn('id', id.type, id.pk)
    .addColumn('parent_id', 'integer', (c) => c.references('order_categories.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_handler_org_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // category_id 0: the rule for every category without its own.
  await db.schema
    .createTable('sla_rules')
    .addColumn('category_id', 'integer', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('sign_hours', 'integer', (c) => c.notNull())
    .addColumn('handle_limit', 'integer', (c) => c.notNull())
    .addColumn('handle_unit', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_rules_pk', ['category_id', 'urgency'])
    .execute();

  // The official calendar: the exceptions to "Monday to Friday", per year an admin has loaded.
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('calendar_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // holiday | workday
    .execute();

  await db.schema
    .createTable('work_orders')
    .addColumn('id', id.type, id.pk)
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('hotline_number', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('order_categories.id'))
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // What the reporter said, kept when staff edit the description.
    .addColumn('original_description', 'text', (c) => c.notNull())
    // The grid (or micro-grid, community) the problem belongs to: the order's data scope.
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('address', 'text')
    .addColumn('reporter_resident_id', 'integer', (c) => c.references('residents.id'))
    .addColumn('reporter_account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone_enc', 'text')
    .addColumn('reporter_phone_hash', 'text')
    .addColumn('reporter_phone_masked', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    // sha256 of the code a public reporter follows and rates the order with.
    .addColumn('access_code_hash', 'text')
    .addColumn('handler_org_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('created_by', 'integer', (c) => c.references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into_id', 'integer', (c) => c.references('work_orders.id'))
    .addColumn('praise', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('praised_person', 'text')
    .addColumn('praised_org_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('on_the_spot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('satisfaction', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_back_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_extension_days', 'integer')
    .addColumn('pending_extension_note', 'text')
    .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_open', 'integer', (c) => c.notNull().defaultTo(0))
    // Fixed instants (deadlines are points in time, not countdowns): the SLA state is computed.
    .addColumn('sign_due_at', 'text')
    .addColumn('handle_due_at', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('evaluated_at', 'text')
    // Whether the order was closed by its handling deadline (set when it closes).
    .addColumn('closed_on_time', 'integer')
    // Handling time in working hours, from acceptance to closing (set when it closes).
    .addColumn('handling_work_hours', 'double precision')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_orders_org_idx').on('work_orders').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('work_orders_handler_idx').on('work_orders').columns(['handler_org_id', 'status']).execute();
  await db.schema.createIndex('work_orders_status_idx').on('work_orders').columns(['status', 'handle_due_at']).execute();
  await db.schema.createIndex('work_orders_created_idx').on('work_orders').columns(['created_at']).execute();
  await db.schema.createIndex('work_orders_household_idx').on('work_orders').columns(['household_id']).execute();
  await db.schema.createIndex('work_orders_merged_idx').on('work_orders').columns(['merged_into_id']).execute();

  // The timeline: one row per transition, written in the transition's transaction; append-only.
  await db.schema
    .createTable('order_events')
    .addColumn('id', id.type, id.pk)
    .addColumn('order_id', 'integer', (c) => c.notNull().references('work_orders.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_events_order_idx').on('order_events').columns(['order_id', 'id']).execute();
  if (dialect === 'postgres') {
    await sql`create function order_events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'order_events is append-only'; end $$`.execute(db);
    await sql`create trigger order_events_no_change before update or delete on order_events
      for each row execute function order_events_append_only()`.execute(db);
  } else {
    await sql`create trigger order_events_no_update before update on order_events
      begin select raise(abort, 'order_events is append-only'); end`.execute(db);
    await sql`create trigger order_events_no_delete before delete on order_events
      begin select raise(abort, 'order_events is append-only'); end`.execute(db);
  }

  // Checklist of a complex order (清单式逐项办理).
  await db.schema
    .createTable('order_items')
    .addColumn('id', id.type, id.pk)
    .addColumn('order_id', 'integer', (c) => c.notNull().references('work_orders.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_org_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('owner_name', 'text')
    .addColumn('due_date', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_items_order_idx').on('order_items').columns(['order_id']).execute();

  await db.schema
    .createTable('order_attachments')
    .addColumn('id', id.type, id.pk)
    .addColumn('order_id', 'integer', (c) => c.notNull().references('work_orders.id'))
    .addColumn('event_id', 'integer', (c) => c.references('order_events.id'))
    .addColumn('item_id', 'integer', (c) => c.references('order_items.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_attachments_order_idx').on('order_attachments').columns(['order_id']).execute();

  // Full-text search: jieba-segmented words of title and description, one row per (term, order).
  await db.schema
    .createTable('order_terms')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_terms_pk', ['term', 'order_id'])
    .execute();
  await db.schema.createIndex('order_terms_order_idx').on('order_terms').columns(['order_id']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', id.type, id.pk)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'integer', (c) => c.references('work_orders.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_account_idx').on('notifications').columns(['account_id', 'id']).execute();

  // Outside systems of a handler unit, called on its orders' events (signed with HMAC-SHA256).
  await db.schema
    .createTable('org_webhooks')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('org_units.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id.type, id.pk)
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | delivered | failed
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_at']).execute();

  await seedReference(db);
}

/** Reference data every installation starts with: categories, default SLA rules, the calendar. */
export async function seedReference(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  let sort = 0;
  for (const top of DEFAULT_CATEGORIES) {
    const parent = await db
      .insertInto('order_categories')
      .values({ code: top.code, name: top.name, sort_order: sort++, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const child of top.children) {
      await db
        .insertInto('order_categories')
        .values({ parent_id: parent.id, code: child.code, name: child.name, sort_order: sort++, created_at: now, updated_at: now })
        .execute();
    }
  }
  for (const r of DEFAULT_SLA) {
    await db
      .insertInto('sla_rules')
      .values({ category_id: 0, urgency: r.urgency, sign_hours: r.signHours, handle_limit: r.handleLimit, handle_unit: r.handleUnit, updated_at: now })
      .execute();
  }
  for (const year of BUNDLED_CALENDAR_YEARS) {
    const cal = bundledCalendar(year);
    if (!cal) continue;
    await db.insertInto('calendar_years').values({ year, source: 'chinese-days', updated_at: now }).execute();
    const days = [...cal.holidays.map((day) => ({ day, kind: 'holiday' })), ...cal.workdays.map((day) => ({ day, kind: 'workday' }))];
    if (days.length) await db.insertInto('calendar_days').values(days).execute();
  }
}
