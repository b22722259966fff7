import {
  ActionBody,
  CategoryList,
  CategoryView,
  CreateCategoryBody,
  CreateItemBody,
  CreateOrderBody,
  DuplicateList,
  DuplicateQuery,
  ORDER_ACTIONS,
  OrderDetail,
  OrderList,
  OrderListQuery,
  OrgUnit,
  PublicOrderView,
  PublicRateBody,
  PublicReportBody,
  PublicReportReceipt,
  SlaRule,
  SlaRuleList,
  URGENCIES,
  UpdateCategoryBody,
  UpdateItemBody,
  type OrderAction,
  type Urgency,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { requirePermission } from '../../lib/actor.js';
import { requireActor } from '../auth/auth.plugin.js';
import { createCategory, deleteSlaRule, listCategories, listSlaRules, putSlaRule, updateCategory } from './category.service.js';
import { findDuplicates } from './order.duplicates.js';
import { createOrder, publicReport } from './order.intake.js';
import { addItem, followOrder, getAttachment, getOrder, handlerCandidates, listOrders, rateOrder, updateItem } from './order.service.js';
import { transition } from './order.transition.js';

const IdParams = Type.Object({ id: Type.Integer() });
const ActionParams = Type.Object({ id: Type.Integer(), action: Type.Union(ORDER_ACTIONS.map((a) => Type.Literal(a))) });
const ItemParams = Type.Object({ id: Type.Integer(), itemId: Type.Integer() });
const AttachmentParams = Type.Object({ id: Type.Integer(), attachmentId: Type.Integer() });
const tags = ['orders'];
/** Photos travel inline as data URLs: room for the largest allowed set. */
const PHOTO_BODY_LIMIT = 20 * 1024 * 1024;

/** Work orders (工单): intake, the transition table's actions, checklist items, photos. */
export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, querystring: OrderListQuery, response: { 200: OrderList } } }, async (req) =>
      listOrders(ctx, requireActor(req), req.query),
    );
    app.post('/', { bodyLimit: PHOTO_BODY_LIMIT, schema: { tags, body: CreateOrderBody, response: { 201: OrderDetail } } }, async (req, reply) => {
      return reply.status(201).send(await createOrder(ctx, requireActor(req), req.body));
    });
    app.get('/duplicates', { schema: { tags, querystring: DuplicateQuery, response: { 200: DuplicateList } } }, async (req) =>
      findDuplicates(ctx, requireActor(req), req.query),
    );
    app.get(
      '/:id/handlers',
      { schema: { tags, params: IdParams, response: { 200: Type.Object({ items: Type.Array(OrgUnit), suggestedId: Type.Union([Type.Integer(), Type.Null()]) }) } } },
      async (req) => handlerCandidates(ctx, requireActor(req), req.params.id),
    );
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: OrderDetail } } }, async (req) =>
      getOrder(ctx, requireActor(req), req.params.id),
    );
    app.post(
      '/:id/actions/:action',
      { bodyLimit: PHOTO_BODY_LIMIT, schema: { tags, params: ActionParams, body: ActionBody, response: { 200: OrderDetail, 204: Type.Null() } } },
      async (req, reply) => {
        const actor = requireActor(req);
        await transition(ctx, actor, req.params.id, req.params.action as OrderAction, req.body);
        // A unit that returns an order no longer sees it: 204, the action was done.
        try {
          return await getOrder(ctx, actor, req.params.id);
        } catch (err) {
          if (err instanceof AppError && err.code === 'NOT_FOUND') return reply.status(204).send(null);
          throw err;
        }
      },
    );
    app.post('/:id/items', { schema: { tags, params: IdParams, body: CreateItemBody, response: { 201: OrderDetail } } }, async (req, reply) => {
      const actor = requireActor(req);
      await addItem(ctx, actor, req.params.id, req.body);
      return reply.status(201).send(await getOrder(ctx, actor, req.params.id));
    });
    app.patch(
      '/:id/items/:itemId',
      { bodyLimit: PHOTO_BODY_LIMIT, schema: { tags, params: ItemParams, body: UpdateItemBody, response: { 200: OrderDetail } } },
      async (req) => {
        const actor = requireActor(req);
        await updateItem(ctx, actor, req.params.id, req.params.itemId, req.body);
        return getOrder(ctx, actor, req.params.id);
      },
    );
    app.get('/:id/attachments/:attachmentId', { schema: { tags, params: AttachmentParams } }, async (req, reply) => {
      const a = await getAttachment(ctx, requireActor(req), req.params.id, req.params.attachmentId);
      return reply.header('content-type', a.mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(a.data));
    });
  };

/** The problem categories (two levels): read by everyone and the public report page; kept by admins. */
export const categoryRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/',
      { schema: { tags, querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: CategoryList } } },
      async (req) => {
        // Retired categories too, for the settings page only.
        if (req.query.all) requirePermission(requireActor(req), 'settings.manage');
        return listCategories(ctx, { all: req.query.all });
      },
    );
    app.post('/', { schema: { tags, body: CreateCategoryBody, response: { 201: CategoryView } } }, async (req, reply) =>
      reply.status(201).send(await createCategory(ctx, requireActor(req), req.body)),
    );
    app.patch('/:id', { schema: { tags, params: IdParams, body: UpdateCategoryBody, response: { 200: CategoryView } } }, async (req) =>
      updateCategory(ctx, requireActor(req), req.params.id, req.body),
    );
  };

const SlaKey = Type.Object({ categoryId: Type.Integer({ minimum: 1 }), urgency: Type.Union(URGENCIES.map((u) => Type.Literal(u))) });

/** SLA limits per category × urgency (categoryId null: the default for every category). */
export const slaRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, response: { 200: SlaRuleList } } }, async (req) => {
      requirePermission(requireActor(req), 'order.read');
      return listSlaRules(ctx);
    });
    app.put('/', { schema: { tags, body: SlaRule, response: { 200: SlaRuleList } } }, async (req) => putSlaRule(ctx, requireActor(req), req.body));
    app.delete('/:categoryId/:urgency', { schema: { tags, params: SlaKey } }, async (req, reply) => {
      await deleteSlaRule(ctx, requireActor(req), req.params.categoryId, req.params.urgency as Urgency);
      return reply.status(204).send();
    });
  };

const NumberParams = Type.Object({ number: Type.String({ maxLength: 40 }) });

/** The resident's side without an account: report a problem, follow it by number, rate it. */
export const publicOrderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/', { bodyLimit: PHOTO_BODY_LIMIT, schema: { tags: ['public'], body: PublicReportBody, response: { 201: PublicReportReceipt } } }, async (req, reply) => {
      const receipt = await publicReport(ctx, req.body, { ip: req.ip ?? null, accountId: req.actor?.role === 'resident' ? req.actor.id : null });
      return reply.status(201).send(receipt);
    });
    app.get(
      '/:number',
      { schema: { tags: ['public'], params: NumberParams, querystring: Type.Object({ code: Type.String({ maxLength: 16 }) }), response: { 200: PublicOrderView } } },
      async (req) => followOrder(ctx, req.params.number, req.query.code),
    );
    app.post('/:number/rating', { schema: { tags: ['public'], params: NumberParams, body: PublicRateBody, response: { 200: PublicOrderView } } }, async (req) =>
      rateOrder(ctx, req.params.number, req.body),
    );
  };

/**
 * The communities a resident can pick on the public report page when the phone gives no location
 * (names only: the org structure is public information, unlike anything about its people).
 */
export const publicCommunityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const Community = Type.Object({ id: Type.Integer(), name: Type.String(), streetName: Type.Union([Type.String(), Type.Null()]) });
    app.get('/', { schema: { tags: ['public'], response: { 200: Type.Object({ items: Type.Array(Community) }) } } }, async () => {
      const rows = await ctx.db
        .selectFrom('org_units as c')
        .leftJoin('org_units as s', 's.id', 'c.parent_id')
        .select(['c.id', 'c.name', 's.name as streetName'])
        .where('c.kind', '=', 'community')
        .where('c.status', '=', 'active')
        .orderBy('s.name')
        .orderBy('c.name')
        .execute();
      return { items: rows };
    });
  };
