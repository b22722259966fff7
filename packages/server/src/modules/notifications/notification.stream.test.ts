import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { StreamListener } from './notification.hub.js';
import { buildTestApp, clientAs, createAccount, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** An open event stream read as a queue of parsed events. */
class Stream {
  private buffer = '';
  private readonly queue: SseEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly controller = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string>): Promise<Stream> {
    const s = new Stream();
    const res = await fetch(url, { headers, signal: s.controller.signal });
    s.status = res.status;
    if (res.status !== 200 || !res.body) {
      s.queue.push({ event: 'http', id: null, data: await res.json() });
      return s;
    }
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    void s.pump(res.body);
    return s;
  }

  private async pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, cut);
          this.buffer = this.buffer.slice(cut + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (!line || line.startsWith(':')) continue;
            const i = line.indexOf(':');
            fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
          }
          if (!fields.has('event')) continue;
          this.queue.push({ event: fields.get('event')!, id: fields.get('id') ?? null, data: JSON.parse(fields.get('data') ?? 'null') });
          for (const w of this.waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted by the test
    }
  }

  /** The next event, waiting up to `ms` for it. */
  async next(ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    while (!this.queue.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event within the time allowed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.queue.shift()!;
  }

  /** True when nothing arrives within `ms`. */
  async quiet(ms: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.queue.length === 0;
  }

  close() {
    this.controller.abort();
  }
}

for (const dialect of await testDialects()) {
  describe(`notification stream (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let base: string;
    let policeCookie: string;
    let police: Client;
    let category: number;

    const cookieOf = async (username: string, password: string) => {
      const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      return `ht_session=${res.cookies.find((c) => c.name === 'ht_session')!.value}`;
    };
    const dispatchNew = async () => {
      const created = await staff.post('/api/orders', { channel: 'visit', categoryId: category, title: '路灯不亮', description: '竹辉路路灯连续三晚不亮', orgId: org.grid });
      assert.equal(created.statusCode, 201, created.body);
      const o = created.json();
      const res = await staff.post(`/api/orders/${o.id}/actions/dispatch`, { version: o.version, handlerOrgId: org.department });
      assert.equal(res.statusCode, 200, res.body);
      return o.id as number;
    };

    before(async () => {
      env = await buildTestApp(dialect, { HAITANG_NOTIFICATION_POLL_MS: '50' });
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      const acc = await createAccount(env.ctx, 'department_handler', org.department);
      policeCookie = await cookieOf(acc.username, acc.password);
      police = await clientAs(env, 'department_handler', org.department);
      const cats = (await staff.get('/api/order-categories')).json().items as { id: number; code: string }[];
      category = cats.find((c) => c.code === 'corridor_clutter')!.id;
      base = await env.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(() => env.close());

    it('refuses a stream without a session (401)', async () => {
      const s = await Stream.open(`${base}/api/notifications/stream`, {});
      assert.equal(s.status, 401);
      assert.equal(((await s.next()).data as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    });

    it('pushes the unread count, then each new notification of the account, then the count after reading', async () => {
      const s = await Stream.open(`${base}/api/notifications/stream`, { cookie: policeCookie });
      try {
        assert.deepEqual(await s.next(), { event: 'unread', id: null, data: { unread: 0 } });
        const orderId = await dispatchNew();
        const n = await s.next();
        assert.equal(n.event, 'notification');
        const view = n.data as { id: number; orderId: number; kind: string; readAt: string | null };
        assert.equal(view.orderId, orderId);
        assert.equal(view.kind, 'order.dispatched');
        assert.equal(view.readAt, null);
        assert.equal(n.id, String(view.id));
        assert.deepEqual((await s.next()).data, { unread: 1 });

        // Reading it (from any session of the account) lowers the count on the open stream.
        const read = await police.request({ method: 'POST', url: '/api/notifications/read', payload: { all: true } });
        assert.equal(read.statusCode, 200);
        // This second police account is another account: its read does not touch the stream's count.
        assert.ok(await s.quiet(200));
        const own = await env.app.inject({ method: 'POST', url: '/api/notifications/read', payload: { ids: [view.id] }, headers: { cookie: policeCookie, 'x-csrf-token': await csrfOf(policeCookie) } });
        assert.equal(own.json().updated, 1);
        assert.deepEqual(await s.next(), { event: 'unread', id: null, data: { unread: 0 } });
      } finally {
        s.close();
      }
    });

    it('does not push other accounts’ notifications', async () => {
      const staffCookie = await (async () => {
        const acc = await createAccount(env.ctx, 'community_staff', org.community);
        return cookieOf(acc.username, acc.password);
      })();
      const s = await Stream.open(`${base}/api/notifications/stream`, { cookie: staffCookie });
      try {
        await s.next(); // the initial count
        await dispatchNew(); // notifies the department's handlers, not community staff
        assert.ok(await s.quiet(400));
      } finally {
        s.close();
      }
    });

    it('replays what a reconnecting stream missed after its Last-Event-ID', async () => {
      const first = await Stream.open(`${base}/api/notifications/stream`, { cookie: policeCookie });
      await first.next();
      await dispatchNew();
      const seen = await first.next();
      first.close();
      const missedOrder = await dispatchNew();
      const again = await Stream.open(`${base}/api/notifications/stream`, { cookie: policeCookie, 'last-event-id': seen.id! });
      try {
        const replay = await again.next();
        assert.equal(replay.event, 'notification');
        assert.equal((replay.data as { orderId: number }).orderId, missedOrder);
        assert.equal((await again.next()).event, 'unread');
        assert.ok(await again.quiet(300), 'nothing is pushed twice');
      } finally {
        again.close();
      }
    });

    it('lets go of closed streams', async () => {
      const s = await Stream.open(`${base}/api/notifications/stream`, { cookie: policeCookie });
      await s.next();
      assert.ok(env.app.notificationHub.listenerCount >= 1);
      s.close();
      const deadline = Date.now() + 3000;
      while (env.app.notificationHub.listenerCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(env.app.notificationHub.listenerCount, 0);
    });

    it('lets go of a stream whose client left before the first write', async () => {
      const hub = env.app.notificationHub;
      assert.equal(hub.listenerCount, 0);
      // Hold the handler inside its first await (subscribing) until the client has gone.
      let entered!: () => void;
      const inSubscribe = new Promise<void>((r) => (entered = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let subscribed: Promise<() => void> | null = null;
      const original = hub.subscribe;
      hub.subscribe = async function (this: typeof hub, listener: StreamListener) {
        entered();
        await gate;
        subscribed = original.call(this, listener);
        return subscribed;
      };
      try {
        // A connection of its own (no keep-alive pool), so the test can see the server side close.
        let serverSocket: Socket | null = null;
        env.app.server.once('connection', (sock: Socket) => (serverSocket = sock));
        const url = new URL(`${base}/api/notifications/stream`);
        const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { cookie: policeCookie }, agent: false });
        req.on('error', () => {}); // destroyed below
        req.end();
        await inSubscribe;
        const socketClosed = new Promise<void>((r) => serverSocket!.once('close', () => r()));
        req.destroy();
        await socketClosed;
        release();
        while (!subscribed) await new Promise((r) => setTimeout(r, 5));
        await subscribed;
        const deadline = Date.now() + 1000;
        while (hub.listenerCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(hub.listenerCount, 0, 'no subscriber is left for a client that is gone');
      } finally {
        hub.subscribe = original;
        release();
      }
    });

    it('ends open streams when the server shuts down, so closing does not wait for clients', async () => {
      // An app of its own, shut down here; one connection of its own (no fetch keep-alive pool,
      // whose spare connections would hold server.close() whatever the stream does).
      const own = await buildTestApp(dialect, { HAITANG_NOTIFICATION_POLL_MS: '50' });
      let timer: NodeJS.Timeout | undefined;
      let req: ReturnType<typeof httpRequest> | null = null;
      let closing: Promise<'closed'> | null = null;
      try {
        const ownOrg = await createOrgTree(own.ctx);
        const acc = await createAccount(own.ctx, 'department_handler', ownOrg.department);
        const login = await own.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: acc.password } });
        const cookie = `ht_session=${login.cookies.find((c) => c.name === 'ht_session')!.value}`;
        const url = new URL(`${await own.app.listen({ port: 0, host: '127.0.0.1' })}/api/notifications/stream`);
        let received = '';
        let markEnded!: () => void;
        const ended = new Promise<'ended'>((r) => (markEnded = () => r('ended')));
        const firstEvent = new Promise<void>((resolve, reject) => {
          req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { cookie }, agent: false }, (res) => {
            assert.equal(res.statusCode, 200);
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              received += chunk;
              if (received.includes('event: unread')) resolve();
            });
            res.on('end', () => markEnded());
            res.on('error', () => {});
          });
          req.on('error', reject);
          req.end();
        });
        await firstEvent;
        assert.equal(own.app.notificationHub.listenerCount, 1);
        closing = own.app.close().then(() => 'closed' as const);
        const outcome = await Promise.race([closing, new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 3000)))]);
        assert.equal(outcome, 'closed', 'app.close() waited for the open stream');
        // A complete response (the chunked terminator), not a cut connection.
        assert.equal(await Promise.race([ended, new Promise((r) => setTimeout(() => r('not ended'), 1000))]), 'ended', 'the server ended the stream');
        assert.equal(own.app.notificationHub.listenerCount, 0);
      } finally {
        clearTimeout(timer);
        (req as ReturnType<typeof httpRequest> | null)?.destroy();
        await (closing ?? own.app.close());
        await own.testDb.drop();
      }
    });

    async function csrfOf(cookie: string): Promise<string> {
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      return me.json().csrfToken as string;
    }
  });
}
