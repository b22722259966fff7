import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorMessage, type Locale } from '@haitang/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import { AppError } from './lib/errors.js';
import { registerAuth } from './modules/auth/auth.plugin.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { NotificationHub } from './modules/notifications/notification.hub.js';
import { notificationRoutes } from './modules/notifications/notification.routes.js';
import { webhookRoutes } from './modules/webhooks/webhook.routes.js';
import { WebhookWorker } from './modules/webhooks/webhook.worker.js';
import { categoryRoutes, orderRoutes, publicCommunityRoutes, publicOrderRoutes, slaRoutes } from './modules/workorders/order.routes.js';
import { indicatorRoutes } from './modules/workorders/indicator.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { householdRoutes } from './modules/households/household.routes.js';
import { residentRoutes } from './modules/residents/resident.routes.js';
import { importRoutes } from './modules/imports/import.routes.js';
import { partyRoutes } from './modules/party/party.routes.js';
import { teamRoutes } from './modules/teams/team.routes.js';
import { activityRoutes, classSeriesRoutes, publicActivityRoutes } from './modules/activities/activity.routes.js';
import { volunteerRoutes } from './modules/volunteers/volunteer.routes.js';
import { wishRoutes } from './modules/wishes/wish.routes.js';
import { remindDueClaims } from './modules/wishes/wish.service.js';
import { allianceRoutes } from './modules/alliance/alliance.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    notificationHub: NotificationHub;
    webhookWorker: WebhookWorker;
  }
}

export type App = FastifyInstance;

function createAjv(coerce: boolean) {
  const ajv = new Ajv.default({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

export function requestLocale(req: FastifyRequest): Locale {
  const h = String(req.headers['accept-language'] ?? '');
  return /^en\b/i.test(h) ? 'en' : 'zh-CN';
}

/** Builds the HTTP app: plugins, every module, one error handler. Does not listen. */
export async function buildApp(ctx: AppContext, opts: { logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      ctx.config.logLevel === 'silent'
        ? false
        : {
            level: ctx.config.logLevel,
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            // Query strings may carry an ID number or phone being searched: log the path only.
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: req.url.split('?')[0],
                ip: req.ip,
              }),
            },
          },
    // Fastify's per-request log lines cost a third of the throughput of a cheap endpoint even when
    // the level filters them out: switch them off unless they would be written (info or finer).
    logController: new LogController({
      disableRequestLogging: !['info', 'debug', 'trace'].includes(ctx.config.logLevel),
    }),
    // The login rate limit and the audit log key on the client address: only believe
    // X-Forwarded-For from proxies the operator named (HAITANG_TRUST_PROXY).
    trustProxy: ctx.config.trustProxy as boolean | string, // a number (hop count) is accepted at run time
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and path params arrive as text and need coercion ("5" → 5); JSON bodies must not
  // be coerced, or a `null` sent for a nullable number would silently become 0.
  const bodyAjv = createAjv(false);
  const textAjv = createAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadMb * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Haitang 海棠 API', version: '0.1.0', description: 'Grassroots community governance platform' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ht_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const locale = requestLocale(req);
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: { code: err.code, message: errorMessage(err.code, locale, err.params), details: err.details },
      });
    }
    if ((err as FastifyError).validation) {
      const detail = (err as FastifyError).validation!.map((v) => `${v.instancePath || '/'} ${v.message}`).join('; ');
      return reply.status(400).send({
        error: { code: 'VALIDATION_FAILED', message: errorMessage('VALIDATION_FAILED', locale, { detail }), details: err.validation },
      });
    }
    // An id or number beyond what the column holds (PostgreSQL 22003; SQLite simply finds nothing).
    if ((err as { code?: string }).code === '22003') {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: errorMessage('NOT_FOUND', locale) } });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status === 413 || (err as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: errorMessage('PAYLOAD_TOO_LARGE', locale) } });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        error: { code: 'BAD_REQUEST', message: errorMessage('BAD_REQUEST', locale, { detail: err.message }) },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: errorMessage('INTERNAL', locale) } });
  });

  registerAuth(app, ctx);
  await app.register(authRoutes(ctx), { prefix: '/api/auth' });
  await app.register(orgRoutes(ctx), { prefix: '/api/org' });
  await app.register(householdRoutes(ctx), { prefix: '/api' });
  await app.register(residentRoutes(ctx), { prefix: '/api/residents' });
  await app.register(importRoutes(ctx), { prefix: '/api/imports' });
  await app.register(partyRoutes(ctx), { prefix: '/api/party' });
  await app.register(teamRoutes(ctx), { prefix: '/api/teams' });
  await app.register(activityRoutes(ctx), { prefix: '/api/activities' });
  await app.register(publicActivityRoutes(ctx), { prefix: '/api/public/activities' });
  await app.register(classSeriesRoutes(ctx), { prefix: '/api/class-series' });
  await app.register(volunteerRoutes(ctx), { prefix: '/api' });
  await app.register(wishRoutes(ctx), { prefix: '/api' });
  // Wish claims whose contact deadline is near: a reminder, once (any instance may send it).
  let reminders: ReturnType<typeof setInterval> | undefined;
  app.addHook('onReady', async () => {
    reminders = setInterval(() => void remindDueClaims(ctx.db).catch((err) => app.log.error({ err }, 'wish reminders failed')), 10 * 60_000);
    reminders.unref();
  });
  app.addHook('onClose', async () => clearInterval(reminders));
  await app.register(allianceRoutes(ctx), { prefix: '/api/alliance' });
  await app.register(auditRoutes(ctx), { prefix: '/api/audit' });
  await app.register(orderRoutes(ctx), { prefix: '/api/orders' });
  await app.register(indicatorRoutes(ctx), { prefix: '/api/orders' });
  await app.register(categoryRoutes(ctx), { prefix: '/api/order-categories' });
  await app.register(slaRoutes(ctx), { prefix: '/api/sla-rules' });
  await app.register(publicOrderRoutes(ctx), { prefix: '/api/public/orders' });
  await app.register(publicCommunityRoutes(ctx), { prefix: '/api/public/communities' });
  await app.register(calendarRoutes(ctx), { prefix: '/api/calendar' });
  const hub = new NotificationHub(ctx, { pollMs: ctx.config.notificationPollMs });
  app.decorate('notificationHub', hub);
  app.addHook('onClose', async () => hub.close());
  await app.register(notificationRoutes(ctx, hub), { prefix: '/api/notifications' });
  await app.register(webhookRoutes(ctx), { prefix: '/api/webhooks' });
  // Every instance sends queued webhook deliveries; claiming keeps them from sending one twice.
  const webhooks = new WebhookWorker(ctx, { pollMs: ctx.config.webhookPollMs });
  app.decorate('webhookWorker', webhooks);
  app.addHook('onReady', async () => webhooks.start());
  app.addHook('onClose', async () => webhooks.stop());

  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true, dialect: ctx.dialect }));
  app.get('/api/settings/public', { schema: { tags: ['settings'] } }, async () => ({ mapTileUrl: ctx.config.mapTileUrl }));

  // The built console (packages/web/dist) with a fallback to index.html for client-side routes.
  const dist = ctx.config.webDistDir;
  if (existsSync(path.join(dist, 'index.html'))) {
    // wildcard: files added by a later build are served without a restart.
    await app.register(fastifyStatic, { root: dist, wildcard: true });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs')) {
        return reply.sendFile('index.html');
      }
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: errorMessage('NOT_FOUND', requestLocale(req)) } });
    });
  } else {
    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({ error: { code: 'NOT_FOUND', message: errorMessage('NOT_FOUND', requestLocale(req)) } }),
    );
  }
  return app;
}
