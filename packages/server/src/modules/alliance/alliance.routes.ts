import {
  AllianceListQuery,
  AllianceMemberList,
  AllianceMemberView,
  CreateAllianceMemberBody,
  UpdateAllianceMemberBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import {
  createAllianceMember,
  getAllianceMember,
  listAllianceMembers,
  updateAllianceMember,
} from './alliance.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const tags = ['alliance'];

/** Alliance members (物业, 共建单位, 社会组织) of the communities in scope. */
export const allianceRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, querystring: AllianceListQuery, response: { 200: AllianceMemberList } } }, async (req) => ({
      items: await listAllianceMembers(ctx, requireActor(req), req.query),
    }));
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: AllianceMemberView } } }, async (req) =>
      getAllianceMember(ctx, requireActor(req), req.params.id),
    );
    app.post('/', { schema: { tags, body: CreateAllianceMemberBody, response: { 201: AllianceMemberView } } }, async (req, reply) => {
      const view = await createAllianceMember(ctx, requireActor(req), req.body);
      return reply.status(201).send(view);
    });
    app.patch(
      '/:id',
      { schema: { tags, params: IdParams, body: UpdateAllianceMemberBody, response: { 200: AllianceMemberView } } },
      async (req) => updateAllianceMember(ctx, requireActor(req), req.params.id, req.body),
    );
  };
