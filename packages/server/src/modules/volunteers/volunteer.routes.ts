import {
  CertificateView,
  CreateRewardBody,
  DecideRedemptionBody,
  PickupBody,
  PointLedger,
  REDEMPTION_STATUSES,
  RedeemBody,
  RedemptionList,
  RedemptionView,
  RewardList,
  RewardView,
  StarLevels,
  UpdateRewardBody,
  VolunteerProfile,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { createReward, decideRedemption, listRedemptions, listRewards, myLedger, pickUp, redeem, updateReward } from './points.service.js';
import { certificatePdf, getVolunteer, issueCertificate, myVolunteerProfile, setStarLevels, starLevels } from './volunteer.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const ResidentParams = Type.Object({ residentId: Type.Integer() });
const RedemptionQuery = Type.Object({ status: Type.Optional(Type.Union(REDEMPTION_STATUSES.map((s) => Type.Literal(s)))) }, { additionalProperties: false });

/** Volunteers' records (hours, stars, certificates) and points (ledger, rewards, redemptions). */
export const volunteerRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const v = { tags: ['volunteers'] };
    const p = { tags: ['points'] };
    app.get('/volunteers/me', { schema: { ...v, response: { 200: VolunteerProfile } } }, async (req) => myVolunteerProfile(ctx, requireActor(req)));
    app.get('/volunteers/:residentId', { schema: { ...v, params: ResidentParams, response: { 200: VolunteerProfile } } }, async (req) =>
      getVolunteer(ctx, requireActor(req), req.params.residentId),
    );
    app.post('/volunteers/:residentId/certificates', { schema: { ...v, params: ResidentParams, response: { 201: CertificateView } } }, async (req, reply) =>
      reply.status(201).send(await issueCertificate(ctx, requireActor(req), req.params.residentId)),
    );
    app.get('/certificates/:id/pdf', { schema: { ...v, params: IdParams } }, async (req, reply) => {
      const { number, pdf } = await certificatePdf(ctx, requireActor(req), req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    });
    app.get('/settings/volunteer-stars', { schema: { ...v, response: { 200: StarLevels } } }, async (req) => {
      requireActor(req);
      return starLevels(ctx.db);
    });
    app.put('/settings/volunteer-stars', { schema: { ...v, body: StarLevels, response: { 200: StarLevels } } }, async (req) =>
      setStarLevels(ctx, requireActor(req), req.body),
    );

    app.get('/points/me', { schema: { ...p, response: { 200: PointLedger } } }, async (req) => myLedger(ctx, requireActor(req)));
    app.get('/rewards', { schema: { ...p, response: { 200: RewardList } } }, async (req) => listRewards(ctx, requireActor(req)));
    app.post('/rewards', { schema: { ...p, body: CreateRewardBody, response: { 201: RewardView } } }, async (req, reply) =>
      reply.status(201).send(await createReward(ctx, requireActor(req), req.body)),
    );
    app.patch('/rewards/:id', { schema: { ...p, params: IdParams, body: UpdateRewardBody, response: { 200: RewardView } } }, async (req) =>
      updateReward(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/rewards/:id/redeem', { schema: { ...p, params: IdParams, body: RedeemBody, response: { 201: RedemptionView } } }, async (req, reply) =>
      reply.status(201).send(await redeem(ctx, requireActor(req), req.params.id, req.body ?? {})),
    );
    app.get('/redemptions', { schema: { ...p, querystring: RedemptionQuery, response: { 200: RedemptionList } } }, async (req) =>
      listRedemptions(ctx, requireActor(req), req.query),
    );
    app.post('/redemptions/:id/decide', { schema: { ...p, params: IdParams, body: DecideRedemptionBody, response: { 200: RedemptionView } } }, async (req) =>
      decideRedemption(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/redemptions/:id/pickup', { schema: { ...p, params: IdParams, body: PickupBody, response: { 200: RedemptionView } } }, async (req) =>
      pickUp(ctx, requireActor(req), req.params.id, req.body),
    );
  };
