import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { listAudit, verifyAudit } from './audit.service.js';

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 60 })),
    entityType: Type.Optional(Type.String({ maxLength: 40 })),
    entityId: Type.Optional(Type.String({ maxLength: 40 })),
    actorId: Type.Optional(Type.Integer()),
    from: Type.Optional(Type.String({ maxLength: 30 })),
    to: Type.Optional(Type.String({ maxLength: 30 })),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', { schema: { tags: ['audit'], querystring: AuditQuery } }, async (req) => listAudit(ctx, requireActor(req), req.query));
    app.get('/verify', { schema: { tags: ['audit'] } }, async (req) => verifyAudit(ctx, requireActor(req)));
  };
