import {
  ActivityList,
  ClassSeriesList,
  ClassSeriesView,
  CreateClassSeriesBody,
  PublicActivityView,
  SeriesAttendance,
  ActivityListQuery,
  ActivityView,
  CancelActivityBody,
  CheckInCode,
  CheckInCodeQuery,
  ConfirmServiceBody,
  CreateActivityBody,
  CreateSignupBody,
  FinishActivityBody,
  ActivityFigures,
  ActivityFiguresQuery,
  MarkAttendanceBody,
  ScanBody,
  SignupList,
  SignupView,
  UpdateActivityBody,
  VersionBody,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { checkInCode, confirmService, markAttendance, scan } from './activity-attendance.service.js';
import { listSignups, signUp, withdrawSignup } from './activity-signup.service.js';
import {
  activityImage,
  cancelActivity,
  createActivity,
  finishActivity,
  getActivity,
  listActivities,
  publicActivity,
  publishActivity,
  updateActivity,
} from './activity.service.js';
import { CheckInCodes } from './checkin-code.js';
import { activityFigures } from './activity.figures.js';
import { createSeries, listSeries, seriesAttendance } from './class-series.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const ImageParams = Type.Object({ id: Type.Integer(), imageId: Type.Integer() });
const SignupParams = Type.Object({ id: Type.Integer(), signupId: Type.Integer() });
const ScanParams = Type.Object({ id: Type.Integer(), direction: Type.Union([Type.Literal('in'), Type.Literal('out')]) });
const tags = ['activities'];

/** Activities, their sign-ups and waiting list, QR check-in/out and the organiser's service records. */
export const activityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const codes = new CheckInCodes(ctx.config.encryptionKey);
    app.get('/', { schema: { tags, querystring: ActivityListQuery, response: { 200: ActivityList } } }, async (req) =>
      listActivities(ctx, requireActor(req), req.query),
    );
    app.get('/figures', { schema: { tags, querystring: ActivityFiguresQuery, response: { 200: ActivityFigures } } }, async (req) =>
      activityFigures(ctx, requireActor(req), req.query),
    );
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: ActivityView } } }, async (req) =>
      getActivity(ctx, requireActor(req), req.params.id),
    );
    app.post('/', { schema: { tags, body: CreateActivityBody, response: { 201: ActivityView } } }, async (req, reply) =>
      reply.status(201).send(await createActivity(ctx, requireActor(req), req.body)),
    );
    app.get('/:id/images/:imageId', { schema: { tags, params: ImageParams } }, async (req, reply) => {
      const img = await activityImage(ctx, requireActor(req), req.params.id, req.params.imageId);
      return reply.header('content-type', img.mime).header('cache-control', 'private, max-age=3600').send(img.data);
    });
    app.patch('/:id', { schema: { tags, params: IdParams, body: UpdateActivityBody, response: { 200: ActivityView } } }, async (req) =>
      updateActivity(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/publish', { schema: { tags, params: IdParams, body: VersionBody, response: { 200: ActivityView } } }, async (req) =>
      publishActivity(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/cancel', { schema: { tags, params: IdParams, body: CancelActivityBody, response: { 200: ActivityView } } }, async (req) =>
      cancelActivity(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/:id/finish', { schema: { tags, params: IdParams, body: FinishActivityBody, response: { 200: ActivityView } } }, async (req) =>
      finishActivity(ctx, requireActor(req), req.params.id, req.body),
    );
    app.get('/:id/signups', { schema: { tags, params: IdParams, response: { 200: SignupList } } }, async (req) =>
      listSignups(ctx, requireActor(req), req.params.id),
    );
    app.post('/:id/signups', { schema: { tags, params: IdParams, body: CreateSignupBody, response: { 201: SignupView } } }, async (req, reply) =>
      reply.status(201).send(await signUp(ctx, requireActor(req), req.params.id, req.body ?? {})),
    );
    app.post('/:id/signups/:signupId/withdraw', { schema: { tags, params: SignupParams, response: { 200: SignupView } } }, async (req) =>
      withdrawSignup(ctx, requireActor(req), req.params.id, req.params.signupId),
    );
    app.patch(
      '/:id/signups/:signupId/attendance',
      { schema: { tags, params: SignupParams, body: MarkAttendanceBody, response: { 200: SignupView } } },
      async (req) => markAttendance(ctx, requireActor(req), req.params.id, req.params.signupId, req.body),
    );
    app.post(
      '/:id/signups/:signupId/confirm',
      { schema: { tags, params: SignupParams, body: ConfirmServiceBody, response: { 200: SignupView } } },
      async (req) => confirmService(ctx, requireActor(req), req.params.id, req.params.signupId, req.body),
    );
    app.get('/:id/check-in-code', { schema: { tags, params: IdParams, querystring: CheckInCodeQuery, response: { 200: CheckInCode } } }, async (req) =>
      checkInCode(ctx, codes, requireActor(req), req.params.id, req.query.direction),
    );
    app.post('/:id/scan/:direction', { schema: { tags, params: ScanParams, body: ScanBody, response: { 200: SignupView } } }, async (req) =>
      scan(ctx, codes, requireActor(req), req.params.id, req.params.direction, req.body.token),
    );
  };

/** The share page of an activity (no account needed): what, when, where, how many places. */
export const publicActivityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/:id', { schema: { tags, params: IdParams, response: { 200: PublicActivityView } } }, async (req) => publicActivity(ctx, req.params.id));
    app.get('/:id/images/:imageId', { schema: { tags, params: ImageParams } }, async (req, reply) => {
      const img = await activityImage(ctx, null, req.params.id, req.params.imageId);
      return reply.header('content-type', img.mime).header('cache-control', 'public, max-age=3600').send(img.data);
    });
  };

/** Class series (微课堂): sessions are activities with the series; attendance per member. */
export const classSeriesRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags, response: { 200: ClassSeriesList } } }, async (req) => listSeries(ctx, requireActor(req)));
    app.post('/', { schema: { tags, body: CreateClassSeriesBody, response: { 201: ClassSeriesView } } }, async (req, reply) =>
      reply.status(201).send(await createSeries(ctx, requireActor(req), req.body)),
    );
    app.get('/:id/attendance', { schema: { tags, params: IdParams, response: { 200: SeriesAttendance } } }, async (req) =>
      seriesAttendance(ctx, requireActor(req), req.params.id),
    );
  };
