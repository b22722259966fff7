import {
  AddTeamMemberBody,
  CreateTeamBody,
  TeamDetail,
  TeamList,
  TeamListQuery,
  TeamMemberView,
  TeamView,
  UpdateTeamBody,
  UpdateTeamMemberBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { addTeamMember, removeTeamMember, updateTeamMember } from './team-member.service.js';
import { createTeam, getTeam, listTeams, updateTeam } from './team.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const MemberParams = Type.Object({ id: Type.Integer(), residentId: Type.Integer() });
const tags = ['teams'];

/** Teams (the 海棠先锋 vanguard, volunteer service teams) and their members. */
export const teamRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, querystring: TeamListQuery, response: { 200: TeamList } } }, async (req) => ({
      items: await listTeams(ctx, requireActor(req), req.query),
    }));
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: TeamDetail } } }, async (req) =>
      getTeam(ctx, requireActor(req), req.params.id),
    );
    app.post('/', { schema: { tags, body: CreateTeamBody, response: { 201: TeamView } } }, async (req, reply) => {
      const view = await createTeam(ctx, requireActor(req), req.body);
      return reply.status(201).send(view);
    });
    app.patch('/:id', { schema: { tags, params: IdParams, body: UpdateTeamBody, response: { 200: TeamView } } }, async (req) =>
      updateTeam(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post(
      '/:id/members',
      { schema: { tags, params: IdParams, body: AddTeamMemberBody, response: { 201: TeamMemberView } } },
      async (req, reply) => {
        const view = await addTeamMember(ctx, requireActor(req), req.params.id, req.body);
        return reply.status(201).send(view);
      },
    );
    app.patch(
      '/:id/members/:residentId',
      { schema: { tags, params: MemberParams, body: UpdateTeamMemberBody, response: { 200: TeamMemberView } } },
      async (req) => updateTeamMember(ctx, requireActor(req), req.params.id, req.params.residentId, req.body),
    );
    app.delete('/:id/members/:residentId', { schema: { tags, params: MemberParams } }, async (req, reply) => {
      await removeTeamMember(ctx, requireActor(req), req.params.id, req.params.residentId);
      return reply.status(204).send();
    });
  };
