import {
  Building,
  BuildingListQuery,
  CreateBuildingBody,
  CreateHouseholdBody,
  Household,
  HouseholdDetail,
  HouseholdListQuery,
  UpdateBuildingBody,
  UpdateHouseholdBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import {
  createBuilding,
  createHousehold,
  getHousehold,
  listBuildings,
  listHouseholds,
  updateBuilding,
  updateHousehold,
} from './household.service.js';

const IdParams = Type.Object({ id: Type.Integer() });

/** Buildings (/buildings) and households (/households); registered under /api. */
export const householdRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const b = { tags: ['buildings'] };
    app.get('/buildings', { schema: { ...b, querystring: BuildingListQuery, response: { 200: Type.Object({ items: Type.Array(Building) }) } } }, async (req) =>
      listBuildings(ctx, requireActor(req), req.query),
    );
    app.post('/buildings', { schema: { ...b, body: CreateBuildingBody, response: { 201: Building } } }, async (req, reply) => {
      reply.status(201);
      return createBuilding(ctx, requireActor(req), req.body);
    });
    app.patch('/buildings/:id', { schema: { ...b, params: IdParams, body: UpdateBuildingBody, response: { 200: Building } } }, async (req) =>
      updateBuilding(ctx, requireActor(req), req.params.id, req.body),
    );

    const h = { tags: ['households'] };
    const HouseholdList = Type.Object({ items: Type.Array(Household), total: Type.Integer() });
    app.get('/households', { schema: { ...h, querystring: HouseholdListQuery, response: { 200: HouseholdList } } }, async (req) =>
      listHouseholds(ctx, requireActor(req), req.query),
    );
    app.get('/households/:id', { schema: { ...h, params: IdParams, response: { 200: HouseholdDetail } } }, async (req) =>
      getHousehold(ctx, requireActor(req), req.params.id),
    );
    app.post('/households', { schema: { ...h, body: CreateHouseholdBody, response: { 201: Household } } }, async (req, reply) => {
      reply.status(201);
      return createHousehold(ctx, requireActor(req), req.body);
    });
    app.patch('/households/:id', { schema: { ...h, params: IdParams, body: UpdateHouseholdBody, response: { 200: Household } } }, async (req) =>
      updateHousehold(ctx, requireActor(req), req.params.id, req.body),
    );
  };
