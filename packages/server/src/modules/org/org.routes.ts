import { CreateOrgUnitBody, MoveOrgUnitBody, RetireOrgUnitBody, UpdateOrgUnitBody } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import {
  createOrgUnit,
  deleteOrgUnit,
  getOrgSummary,
  getOrgUnit,
  listOrgTree,
  moveOrgUnit,
  retireOrgUnit,
  updateOrgUnit,
} from './org.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const tags = ['org'];

export const orgRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/tree',
      { schema: { tags, querystring: Type.Object({ includeRetired: Type.Optional(Type.Boolean()) }) } },
      async (req) => ({ nodes: await listOrgTree(ctx, requireActor(req), req.query) }),
    );
    app.get('/summary', { schema: { tags } }, async (req) => getOrgSummary(ctx, requireActor(req)));
    app.get('/:id', { schema: { tags, params: IdParams } }, async (req) => getOrgUnit(ctx, requireActor(req), req.params.id));
    app.post('/', { schema: { tags, body: CreateOrgUnitBody } }, async (req, reply) => {
      reply.status(201);
      return createOrgUnit(ctx, requireActor(req), req.body);
    });
    app.patch('/:id', { schema: { tags, params: IdParams, body: UpdateOrgUnitBody } }, async (req) =>
      updateOrgUnit(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/move', { schema: { tags, params: IdParams, body: MoveOrgUnitBody } }, async (req) =>
      moveOrgUnit(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/retire', { schema: { tags, params: IdParams, body: RetireOrgUnitBody } }, async (req) =>
      retireOrgUnit(ctx, requireActor(req), req.params.id, req.body.version),
    );
    app.delete('/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
      await deleteOrgUnit(ctx, requireActor(req), req.params.id);
      reply.status(204);
    });
  };
