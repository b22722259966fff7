import type { CategoryList, CategoryView, CreateCategoryBody, SlaRule, SlaRuleList, UpdateCategoryBody, Urgency } from '@haitang/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, OrderCategoriesTable } from '../../db/schema.js';
import { requireCitySettings, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';
import { isUniqueViolation } from '../residents/resident.repository.js';

/**
 * The problem taxonomy (two levels) and the SLA limits per category × urgency: settings of the
 * whole city, kept by an administrator of the root of the org tree, read by everyone who reports
 * or handles orders.
 */

function toView(r: Selectable<OrderCategoriesTable>): CategoryView {
  return { id: r.id, parentId: r.parent_id, code: r.code, name: r.name, defaultHandlerOrgId: r.default_handler_org_id, status: r.status, version: r.version };
}

export async function listCategories(ctx: AppContext, opts: { all?: boolean } = {}): Promise<CategoryList> {
  let q = ctx.db.selectFrom('order_categories').selectAll().orderBy('sort_order').orderBy('id');
  if (!opts.all) q = q.where('status', '=', 'active');
  return { items: (await q.execute()).map(toView) };
}

/** What intake and dispatch need of a category: its name, whether it takes orders, the unit they go to by default. */
export interface CachedCategory {
  id: number;
  name: string;
  status: string;
  /** Its own default handler unit, else its parent's. */
  default_handler: number | null;
}

/**
 * Every category as intake and dispatch need it. Each process keeps a copy for a short while (the
 * taxonomy changes rarely, by a city administrator): every intake used to look its category up, a
 * round trip on PostgreSQL. A change made through this process is seen at once (the copy is dropped
 * when the change commits), one made through another instance within CATEGORY_CACHE_MS; a
 * category id missing from the copy loads a fresh one.
 */
const CATEGORY_CACHE_MS = 30_000;
const categoryCache = new WeakMap<object, { at: number; byId: Promise<Map<number, CachedCategory>> }>();

function categoryQuery(db: Kysely<DB>) {
  return db
    .selectFrom('order_categories as c')
    .leftJoin('order_categories as p', 'p.id', 'c.parent_id')
    .select(['c.id', 'c.name', 'c.status'])
    .select((eb) => eb.fn.coalesce('c.default_handler_org_id', 'p.default_handler_org_id').as('default_handler'));
}

function loadCategories(db: Kysely<DB>) {
  const byId = categoryQuery(db)
    .execute()
    .then((rows) => new Map(rows.map((r) => [r.id, r])));
  const hit = { at: Date.now(), byId };
  categoryCache.set(db, hit);
  byId.catch(() => categoryCache.delete(db));
  return hit;
}

export async function cachedCategory(db: Kysely<DB>, id: number): Promise<CachedCategory | undefined> {
  let hit = categoryCache.get(db);
  if (!hit || Date.now() - hit.at >= CATEGORY_CACHE_MS) hit = loadCategories(db);
  const found = (await hit.byId).get(id);
  if (found) return found;
  // Newer than the copy (or no such category): a fresh copy, shared by the requests waiting now.
  if (categoryCache.get(db) === hit) hit = loadCategories(db);
  return (await (categoryCache.get(db) ?? hit).byId).get(id);
}

/** The unit a category's orders usually go to: its own default, else its parent's (from the copy). */
export async function defaultHandlerOf(db: Kysely<DB>, categoryId: number): Promise<number | null> {
  return (await cachedCategory(db, categoryId))?.default_handler ?? null;
}

async function checkHandlerOrg(ctx: AppContext, actor: Actor, orgId: number | null | undefined) {
  if (orgId === null || orgId === undefined) return;
  const org = await findOrgUnit(ctx.db, orgId);
  if (!org || !org.path.startsWith(actor.orgPath)) throw new AppError('NOT_FOUND');
}

export async function createCategory(ctx: AppContext, actor: Actor, body: CreateCategoryBody): Promise<CategoryView> {
  await requireCitySettings(ctx.db, actor);
  if (body.parentId !== undefined && body.parentId !== null) {
    const parent = await ctx.db.selectFrom('order_categories').select(['id', 'parent_id']).where('id', '=', body.parentId).executeTakeFirst();
    if (!parent) throw new AppError('NOT_FOUND');
    // Two levels: a category sits under a top-level one or is one.
    if (parent.parent_id !== null) throw new AppError('VALIDATION_FAILED', { detail: '分类最多两级' }, { field: 'parentId' });
  }
  await checkHandlerOrg(ctx, actor, body.defaultHandlerOrgId);
  const now = new Date().toISOString();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('order_categories').select((eb) => eb.fn.max('sort_order').as('m')).executeTakeFirst();
      const row = await trx
        .insertInto('order_categories')
        .values({
          parent_id: body.parentId ?? null,
          code: body.code,
          name: body.name.trim(),
          default_handler_org_id: body.defaultHandlerOrgId ?? null,
          sort_order: Number(last?.m ?? 0) + 1,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx.dialect, actor, { action: 'category.create', entityType: 'order_category', entityId: row.id, before: null, after: toView(row) });
      return toView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE', { detail: `分类代码 ${body.code}` }, { field: 'code' });
    throw err;
  }
}

export async function updateCategory(ctx: AppContext, actor: Actor, id: number, body: UpdateCategoryBody): Promise<CategoryView> {
  await requireCitySettings(ctx.db, actor);
  const before = await ctx.db.selectFrom('order_categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw new AppError('NOT_FOUND');
  if (before.version !== body.version) throw new AppError('VERSION_CONFLICT');
  await checkHandlerOrg(ctx, actor, body.defaultHandlerOrgId);
  const now = new Date().toISOString();
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('order_categories')
      .set((eb) => ({
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.defaultHandlerOrgId !== undefined ? { default_handler_org_id: body.defaultHandlerOrgId } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', body.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('VERSION_CONFLICT');
    await writeAudit(trx, ctx.dialect, actor, { action: 'category.update', entityType: 'order_category', entityId: id, before: toView(before), after: toView(row) });
    return toView(row);
  });
  // After the commit: a copy loaded in between would hold the old row.
  categoryCache.delete(ctx.db);
  return updated;
}

export async function listSlaRules(ctx: AppContext): Promise<SlaRuleList> {
  const rows = await ctx.db.selectFrom('sla_rules').selectAll().orderBy('category_id').orderBy('urgency').execute();
  return {
    items: rows.map((r) => ({
      categoryId: r.category_id === 0 ? null : r.category_id,
      urgency: r.urgency as Urgency,
      signHours: r.sign_hours,
      handleLimit: r.handle_limit,
      handleUnit: r.handle_unit as SlaRule['handleUnit'],
    })),
  };
}

/** Sets the limits of a category (or the default, categoryId null) for one urgency. */
export async function putSlaRule(ctx: AppContext, actor: Actor, rule: SlaRule): Promise<SlaRuleList> {
  await requireCitySettings(ctx.db, actor);
  const categoryId = rule.categoryId ?? 0;
  if (categoryId !== 0) {
    const cat = await ctx.db.selectFrom('order_categories').select('id').where('id', '=', categoryId).executeTakeFirst();
    if (!cat) throw new AppError('NOT_FOUND');
  }
  if (rule.handleUnit === 'hours' && rule.handleLimit > 72) {
    throw new AppError('VALIDATION_FAILED', { detail: '按小时计的办理时限不超过 72 小时' }, { field: 'handleLimit' });
  }
  const now = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('sla_rules').selectAll().where('category_id', '=', categoryId).where('urgency', '=', rule.urgency).executeTakeFirst();
    const values = { sign_hours: rule.signHours, handle_limit: rule.handleLimit, handle_unit: rule.handleUnit, updated_at: now };
    await trx
      .insertInto('sla_rules')
      .values({ category_id: categoryId, urgency: rule.urgency, ...values })
      .onConflict((oc) => oc.columns(['category_id', 'urgency']).doUpdateSet(values))
      .execute();
    await writeAudit(trx, ctx.dialect, actor, { action: 'sla.put', entityType: 'sla_rule', entityId: `${categoryId}:${rule.urgency}`, before: before ?? null, after: rule });
  });
  return listSlaRules(ctx);
}

/** Removes a category's own limits (it falls back to its parent's, then the default). */
export async function deleteSlaRule(ctx: AppContext, actor: Actor, categoryId: number, urgency: Urgency): Promise<void> {
  await requireCitySettings(ctx.db, actor);
  if (categoryId === 0) throw new AppError('VALIDATION_FAILED', { detail: '默认时限不能删除,可以修改' }, { field: 'categoryId' });
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('sla_rules').selectAll().where('category_id', '=', categoryId).where('urgency', '=', urgency).executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND');
    await trx.deleteFrom('sla_rules').where('category_id', '=', categoryId).where('urgency', '=', urgency).execute();
    await writeAudit(trx, ctx.dialect, actor, { action: 'sla.delete', entityType: 'sla_rule', entityId: `${categoryId}:${urgency}`, before, after: null });
  });
}
