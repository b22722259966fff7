import {
  ClaimWishesBody,
  CreateWishBody,
  FulfilWishBody,
  MyWishBody,
  PublicWishList,
  PublicWishQuery,
  ThankWishBody,
  VerifyWishBody,
  WishList,
  WishListQuery,
  WishVersionBody,
  WishView,
} from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import {
  claimWishes,
  contactWish,
  createMyWish,
  createWish,
  fulfilWish,
  listWishes,
  myWishes,
  publicWishes,
  publishWish,
  thankWish,
  verifyWish,
  wishPhoto,
} from './wish.service.js';

const IdParams = Type.Object({ id: Type.Integer() });
const PhotoParams = Type.Object({ id: Type.Integer(), photoId: Type.Integer() });
const tags = ['wishes'];

/** The wish box: staff collect, verify, publish and follow wishes; residents make and claim them. */
export const wishRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/wishes', { schema: { tags, querystring: WishListQuery, response: { 200: WishList } } }, async (req) => listWishes(ctx, requireActor(req), req.query));
    app.post('/wishes', { schema: { tags, body: CreateWishBody, response: { 201: WishView } } }, async (req, reply) =>
      reply.status(201).send(await createWish(ctx, requireActor(req), req.body)),
    );
    app.get('/wishes/mine', { schema: { tags, response: { 200: WishList } } }, async (req) => myWishes(ctx, requireActor(req)));
    app.post('/wishes/mine', { schema: { tags, body: MyWishBody, response: { 201: WishView } } }, async (req, reply) =>
      reply.status(201).send(await createMyWish(ctx, requireActor(req), req.body.content)),
    );
    app.post('/wishes/:id/verify', { schema: { tags, params: IdParams, body: VerifyWishBody, response: { 200: WishView } } }, async (req) =>
      verifyWish(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/wishes/:id/publish', { schema: { tags, params: IdParams, body: WishVersionBody, response: { 200: WishView } } }, async (req) =>
      publishWish(ctx, requireActor(req), req.params.id, req.body.version),
    );
    app.post('/wishes/:id/contact', { schema: { tags, params: IdParams, body: WishVersionBody, response: { 200: WishView } } }, async (req) =>
      contactWish(ctx, requireActor(req), req.params.id, req.body.version),
    );
    app.post('/wishes/:id/fulfil', { schema: { tags, params: IdParams, body: FulfilWishBody, response: { 200: WishView } } }, async (req) =>
      fulfilWish(ctx, requireActor(req), req.params.id, req.body),
    );
    app.post('/wishes/:id/thank', { schema: { tags, params: IdParams, body: ThankWishBody, response: { 200: WishView } } }, async (req) =>
      thankWish(ctx, requireActor(req), req.params.id, req.body),
    );
    app.get('/wishes/:id/photos/:photoId', { schema: { tags, params: PhotoParams } }, async (req, reply) => {
      const photo = await wishPhoto(ctx, requireActor(req), req.params.id, req.params.photoId);
      return reply.header('content-type', photo.mime).header('cache-control', 'private, max-age=3600').send(photo.data);
    });
    app.post('/wish-claims', { schema: { tags, body: ClaimWishesBody, response: { 201: WishList } } }, async (req, reply) =>
      reply.status(201).send(await claimWishes(ctx, requireActor(req), req.body)),
    );
    // Anyone (no account): the published wishes, each with the masked name and the wish only.
    app.get('/public/wishes', { schema: { tags, querystring: PublicWishQuery, response: { 200: PublicWishList } } }, async (req) =>
      publicWishes(ctx, req.query.communityId),
    );
  };
