import {
  AddPartyMemberBody,
  CreatePartyOrgBody,
  PartyCoverage,
  PartyMemberList,
  PartyMemberView,
  PartyOrgList,
  PartyOrgListQuery,
  PartyOrgView,
  UpdatePartyMemberBody,
  UpdatePartyOrgBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { addPartyMember, listPartyMembers, removePartyMember, updatePartyMember } from './party-member.service.js';
import { createPartyOrg, getPartyCoverage, getPartyOrg, listPartyOrgs, updatePartyOrg } from './party.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const MemberParams = Type.Object({ id: Type.Integer(), residentId: Type.Integer() });
const tags = ['party'];

/** The party chain: 社区大党委 → 网格党支部 → 党员中心户, 行动支部, their members and grid coverage. */
export const partyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/orgs', { schema: { tags, querystring: PartyOrgListQuery, response: { 200: PartyOrgList } } }, async (req) => ({
      items: await listPartyOrgs(ctx, requireActor(req), req.query),
    }));
    app.get('/orgs/:id', { schema: { tags, params: IdParams, response: { 200: PartyOrgView } } }, async (req) =>
      getPartyOrg(ctx, requireActor(req), req.params.id),
    );
    app.post('/orgs', { schema: { tags, body: CreatePartyOrgBody, response: { 201: PartyOrgView } } }, async (req, reply) => {
      const view = await createPartyOrg(ctx, requireActor(req), req.body);
      return reply.status(201).send(view);
    });
    app.patch('/orgs/:id', { schema: { tags, params: IdParams, body: UpdatePartyOrgBody, response: { 200: PartyOrgView } } }, async (req) =>
      updatePartyOrg(ctx, requireActor(req), req.params.id, req.body),
    );
    app.get('/orgs/:id/members', { schema: { tags, params: IdParams, response: { 200: PartyMemberList } } }, async (req) => ({
      items: await listPartyMembers(ctx, requireActor(req), req.params.id),
    }));
    app.post(
      '/orgs/:id/members',
      { schema: { tags, params: IdParams, body: AddPartyMemberBody, response: { 201: PartyMemberView } } },
      async (req, reply) => {
        const view = await addPartyMember(ctx, requireActor(req), req.params.id, req.body);
        return reply.status(201).send(view);
      },
    );
    app.patch(
      '/orgs/:id/members/:residentId',
      { schema: { tags, params: MemberParams, body: UpdatePartyMemberBody, response: { 200: PartyMemberView } } },
      async (req) => updatePartyMember(ctx, requireActor(req), req.params.id, req.params.residentId, req.body.role),
    );
    app.delete('/orgs/:id/members/:residentId', { schema: { tags, params: MemberParams } }, async (req, reply) => {
      await removePartyMember(ctx, requireActor(req), req.params.id, req.params.residentId);
      return reply.status(204).send();
    });
    app.get('/coverage', { schema: { tags, response: { 200: PartyCoverage } } }, async (req) => getPartyCoverage(ctx, requireActor(req)));
  };
