import { ROLE_PERMISSIONS } from '@haitang/contracts';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from './auth.plugin.js';
import { SESSION_COOKIE, changePassword, login, logout } from './auth.service.js';

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 8, maxLength: 256 }) },
  { additionalProperties: false },
);

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/login', { schema: { tags: ['auth'], body: LoginBody } }, async (req, reply) => {
      const { sessionId, info } = await login(ctx, {
        username: req.body.username,
        password: req.body.password,
        ip: req.ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.cookieSecure,
        maxAge: ctx.config.sessionTtlHours * 3600,
      });
      return info;
    });

    app.get('/me', { schema: { tags: ['auth'] } }, async (req) => {
      const actor = requireActor(req);
      return {
        account: {
          id: actor.id,
          username: actor.username,
          displayName: actor.displayName,
          role: actor.role,
          orgId: actor.orgId,
          orgName: req.orgName,
        },
        permissions: ROLE_PERMISSIONS[actor.role],
        csrfToken: req.csrfToken,
      };
    });

    app.post('/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
      if (req.sessionId) await logout(ctx, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.post('/password', { schema: { tags: ['auth'], body: PasswordBody } }, async (req) => {
      const actor = requireActor(req);
      await changePassword(ctx, actor, req.sessionId!, req.body);
      return { ok: true };
    });
  };
