import {
  ResidentExportQuery,
  ResidentInput,
  ResidentList,
  ResidentListQuery,
  ResidentReveal,
  ResidentView,
  UpdateResidentBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { exportResidents } from './resident.export.js';
import { createResident, getResident, listResidents, revealResident, updateResident } from './resident.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const tags = ['residents'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const residentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, querystring: ResidentListQuery, response: { 200: ResidentList } } }, async (req) =>
      listResidents(ctx, requireActor(req), req.query),
    );
    app.get('/export.xlsx', { schema: { tags, querystring: ResidentExportQuery } }, async (req, reply) => {
      const { buffer } = await exportResidents(ctx, requireActor(req), req.query);
      const name = `居民名单-${new Date().toISOString().slice(0, 10)}.xlsx`;
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="residents.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(buffer);
    });
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: ResidentView } } }, async (req) =>
      getResident(ctx, requireActor(req), req.params.id),
    );
    app.post('/', { schema: { tags, body: ResidentInput, response: { 201: ResidentView } } }, async (req, reply) => {
      reply.status(201);
      return createResident(ctx, requireActor(req), req.body);
    });
    app.patch('/:id', { schema: { tags, params: IdParams, body: UpdateResidentBody, response: { 200: ResidentView } } }, async (req) =>
      updateResident(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/reveal', { schema: { tags, params: IdParams, response: { 200: ResidentReveal } } }, async (req) =>
      revealResident(ctx, requireActor(req), req.params.id),
    );
  };
