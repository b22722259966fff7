import { NotificationList, type NotificationView } from '@haitang/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { requireActor } from '../auth/auth.plugin.js';
import { resolveSession } from '../auth/auth.service.js';
import type { NotificationHub } from './notification.hub.js';
import { listNotifications, markRead, unreadCount } from './notification.service.js';

/** A comment line this often keeps proxies from closing an idle stream; the session is re-checked. */
const HEARTBEAT_MS = 25_000;

const tags = ['notifications'];

/** The bell: the signed-in account's notifications, unread count, and marking them read. */
export const notificationRoutes =
  (ctx: AppContext, hub: NotificationHub): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Server-sent events: `unread` ({unread}) on connect and whenever the count changes, and one
    // `notification` (a NotificationView, its id as the event id) per new notification.
    app.get('/stream', { schema: { tags, summary: 'Live notifications (text/event-stream)' } }, async (req, reply) => {
      const actor = requireActor(req);
      const sessionId = req.sessionId!;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown, id?: number) =>
        res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let lastUnread = -1;
      // The replay below and the live poller may both find a row written while the stream opens.
      const sent = new Set<number>();
      const sendNotification = (n: NotificationView) => {
        if (sent.has(n.id)) return;
        if (sent.size > 1000) sent.clear();
        sent.add(n.id);
        send('notification', n, n.id);
      };
      const unsubscribe = await hub.subscribe({
        accountId: actor.id,
        deliver(items, unread) {
          for (const n of items) sendNotification(n);
          if (unread !== lastUnread || items.length) send('unread', { unread: (lastUnread = unread) });
        },
      });
      res.write('retry: 5000\n\n');
      // A reconnecting EventSource says what it saw last: replay what it missed meanwhile.
      const lastEventId = Number(req.headers['last-event-id']);
      if (Number.isInteger(lastEventId) && lastEventId > 0) {
        const missed = await listNotifications(ctx, actor, { afterId: lastEventId, limit: 100 });
        for (const n of missed.items.reverse()) sendNotification(n);
      }
      send('unread', { unread: (lastUnread = await unreadCount(ctx, actor.id)) });
      const heartbeat = setInterval(() => {
        void resolveSession(ctx, sessionId, null).then(
          (s) => (s && s.actor.id === actor.id ? res.write(': keep-alive\n\n') : res.end()),
          () => res.end(),
        );
      }, HEARTBEAT_MS);
      heartbeat.unref();
      const cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      res.on('close', cleanup);
      res.on('error', cleanup);
    });

    app.get(
      '/',
      {
        schema: {
          tags,
          querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), afterId: Type.Optional(Type.Integer()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
          response: { 200: NotificationList },
        },
      },
      async (req) => listNotifications(ctx, requireActor(req), req.query),
    );
    app.post(
      '/read',
      {
        schema: {
          tags,
          body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })), all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ updated: Type.Integer() }) },
        },
      },
      async (req) => {
        const actor = requireActor(req);
        const updated = await markRead(ctx, actor, req.body.all ? 'all' : (req.body.ids ?? []));
        if (updated) await hub.refreshUnread(actor.id);
        return { updated };
      },
    );
  };
