import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { SESSION_COOKIE, resolveSession } from './auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
    orgName: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the session cookie on every /api request and enforces CSRF on cookie-authenticated
 * writes (the token from login/me must come back in the x-csrf-token header).
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('orgName', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const sid = req.cookies[SESSION_COOKIE];
    if (!sid) return;
    const resolved = await resolveSession(ctx, sid, req.ip ?? null);
    if (!resolved) return;
    req.actor = resolved.actor;
    req.sessionId = sid;
    req.csrfToken = resolved.csrfToken;
    req.orgName = resolved.orgName;
    if (!SAFE_METHODS.has(req.method) && !sameToken(req.headers['x-csrf-token'], resolved.csrfToken)) {
      throw new AppError('CSRF_FAILED');
    }
  });
}

/** The actor of an authenticated request, or 401. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/** Constant-time comparison of the CSRF header with the session's token. */
function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
