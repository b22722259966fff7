import { IndicatorQuery, OrderIndicators } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { orderIndicators } from './order.indicators.js';

/**
 * Work-order indicators of an org node (default: the actor's own) over a period of Beijing dates:
 * `GET /api/orders/indicators?orgId=&from=&to=`. A static path: it never reaches `/:id`.
 */
export const indicatorRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/indicators', { schema: { tags: ['orders'], querystring: IndicatorQuery, response: { 200: OrderIndicators } } }, async (req) =>
      orderIndicators(ctx, requireActor(req), req.query),
    );
  };
