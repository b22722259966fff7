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

      // Cleanup is registered before the first await: a client that leaves while the handler waits
      // (subscribing, replaying) emits 'close' only once, and nothing would catch it later.
      let closed = false;
      let heartbeat: NodeJS.Timeout | null = null;
      let unsubscribe: (() => void) | null = null;
      const cleanup = () => {
        closed = true;
        if (heartbeat) clearInterval(heartbeat);
        heartbeat = null;
        unsubscribe?.();
        unsubscribe = null;
      };
      res.on('close', cleanup);
      res.on('error', cleanup);
      req.raw.on('error', cleanup);
      /** The client left, or the response was ended: nothing may be written any more. */
      const gone = () => closed || res.destroyed || res.writableEnded;
      const end = () => {
        try {
          if (!res.destroyed && !res.writableEnded) res.end();
        } catch {
          // The socket went away meanwhile.
        }
        cleanup();
      };
      /**
       * The server is shutting down: finish the response, then drop the connection. Left to
       * keep-alive, it would turn idle only after server.close() swept the idle ones, and the
       * close would wait for the keep-alive timeout.
       */
      const endForShutdown = () => {
        // Taken now: the response lets go of its socket once finished, before end()'s callback.
        const socket = res.socket;
        try {
          if (!res.destroyed && !res.writableEnded) res.end(() => socket?.destroy());
          else socket?.destroy();
        } catch {
          // The socket went away meanwhile.
        }
        cleanup();
      };
      const write = (chunk: string) => {
        if (gone()) return;
        try {
          res.write(chunk);
        } catch {
          end();
        }
      };
      const send = (event: string, data: unknown, id?: number) =>
        write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      try {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let lastUnread = -1;
        // The replay below and the live poller may both find a row written while the stream opens.
        const sent = new Set<number>();
        const sendNotification = (n: NotificationView) => {
          if (sent.has(n.id)) return;
          if (sent.size > 1000) sent.clear();
          sent.add(n.id);
          send('notification', n, n.id);
        };
        const off = await hub.subscribe({
          accountId: actor.id,
          deliver(items, unread) {
            if (gone()) return;
            for (const n of items) sendNotification(n);
            if (unread !== lastUnread || items.length) send('unread', { unread: (lastUnread = unread) });
          },
          // The hub is closing (server shutdown): end the response so the server need not wait for it.
          end: endForShutdown,
        });
        if (gone()) {
          off(); // the client left (or the hub closed) while subscribing
          return;
        }
        unsubscribe = off;
        write('retry: 5000\n\n');
        // A reconnecting EventSource says what it saw last: replay what it missed meanwhile.
        const lastEventId = Number(req.headers['last-event-id']);
        if (Number.isInteger(lastEventId) && lastEventId > 0) {
          const missed = await listNotifications(ctx, actor, { afterId: lastEventId, limit: 100 });
          if (gone()) return;
          for (const n of missed.items.reverse()) sendNotification(n);
        }
        const unread = await unreadCount(ctx, actor.id);
        if (gone()) return;
        send('unread', { unread: (lastUnread = unread) });
        heartbeat = setInterval(() => {
          void resolveSession(ctx, sessionId, null).then(
            (s) => {
              if (gone()) return;
              if (s && s.actor.id === actor.id) write(': keep-alive\n\n');
              else end(); // signed out or expired
            },
            () => end(),
          );
        }, HEARTBEAT_MS);
        heartbeat.unref();
      } catch (err) {
        // The reply is hijacked: Fastify cannot answer for us any more. End the stream (the client
        // reconnects) rather than leave it open without a subscription.
        req.log.error({ err }, 'notification stream failed');
        end();
      }
    });

    // Open streams would keep server.close() waiting until every client disconnects: end them
    // (through the hub) before Fastify closes the server, not in onClose, which runs after it.
    app.addHook('preClose', async () => hub.close());

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
