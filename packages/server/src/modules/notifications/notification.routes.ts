import { NotificationList } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { listNotifications, markRead } from './notification.service.js';

const tags = ['notifications'];

/** The bell: the signed-in account's notifications, unread count, and marking them read. */
export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/',
      {
        schema: {
          tags,
          querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), afterId: Type.Optional(Type.Integer()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
          response: { 200: NotificationList },
        },
      },
      async (req) => listNotifications(ctx, requireActor(req), req.query),
    );
    app.post(
      '/read',
      {
        schema: {
          tags,
          body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })), all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ updated: Type.Integer() }) },
        },
      },
      async (req) => ({ updated: await markRead(ctx, requireActor(req), req.body.all ? 'all' : (req.body.ids ?? [])) }),
    );
  };
