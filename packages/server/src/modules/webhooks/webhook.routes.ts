import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { DeliveryView, WebhookBody, WebhookView, deleteWebhook, getWebhook, listDeliveries, listWebhooks, putWebhook, retryDelivery } from './webhook.service.js';

const OrgParams = Type.Object({ orgId: Type.Integer() });
const tags = ['webhooks'];

/** Handler units' webhooks: set the URL (secret shown once), see and retry deliveries. */
export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(WebhookView) }) } } }, async (req) => listWebhooks(ctx, requireActor(req)));
    app.get('/:orgId', { schema: { tags, params: OrgParams, response: { 200: WebhookView } } }, async (req) => getWebhook(ctx, requireActor(req), req.params.orgId));
    app.put('/:orgId', { schema: { tags, params: OrgParams, body: WebhookBody, response: { 200: WebhookView } } }, async (req) =>
      putWebhook(ctx, requireActor(req), req.params.orgId, req.body),
    );
    app.delete('/:orgId', { schema: { tags, params: OrgParams } }, async (req, reply) => {
      await deleteWebhook(ctx, requireActor(req), req.params.orgId);
      return reply.status(204).send();
    });
    app.get('/:orgId/deliveries', { schema: { tags, params: OrgParams, response: { 200: Type.Object({ items: Type.Array(DeliveryView) }) } } }, async (req) =>
      listDeliveries(ctx, requireActor(req), req.params.orgId),
    );
    app.post(
      '/:orgId/deliveries/:deliveryId/retry',
      { schema: { tags, params: Type.Object({ orgId: Type.Integer(), deliveryId: Type.Integer() }) } },
      async (req, reply) => {
        await retryDelivery(ctx, requireActor(req), req.params.orgId, req.params.deliveryId);
        return reply.status(204).send();
      },
    );
  };
