import {
  ActionBody,
  CategoryList,
  CreateItemBody,
  CreateOrderBody,
  ORDER_ACTIONS,
  OrderDetail,
  OrderList,
  OrderListQuery,
  PublicOrderView,
  PublicRateBody,
  PublicReportBody,
  PublicReportReceipt,
  UpdateItemBody,
  type OrderAction,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { requireActor } from '../auth/auth.plugin.js';
import { createOrder, publicReport } from './order.intake.js';
import { addItem, followOrder, getAttachment, getOrder, listOrders, rateOrder, updateItem } from './order.service.js';
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
      const actor = requireActor(req);
      const id = await createOrder(ctx, actor, req.body);
      return reply.status(201).send(await getOrder(ctx, actor, id));
    });
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

/** The problem categories (two levels), for every signed-in user and the public report page. */
export const categoryRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags: ['orders'], response: { 200: CategoryList } } }, async () => {
      const rows = await ctx.db.selectFrom('order_categories').selectAll().where('status', '=', 'active').orderBy('sort_order').execute();
      return {
        items: rows.map((r) => ({ id: r.id, parentId: r.parent_id, code: r.code, name: r.name, defaultHandlerOrgId: r.default_handler_org_id, status: r.status, version: r.version })),
      };
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
