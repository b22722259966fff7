import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { WebhookWorker, backoffMs, MAX_ATTEMPTS } from './webhook.worker.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for a handler unit's own system: records what arrives, answers as told. */
class Receiver {
  received: Received[] = [];
  answers: number[] = [];
  private server: Server | null = null;
  url = '';

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.statusCode = this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const addr = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${addr.port}/haitang`;
  }

  stop() {
    return new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

for (const dialect of await testDialects()) {
  describe(`webhooks (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let admin: Client;
    let staff: Client;
    let category: number;
    let secret: string;
    const receiver = new Receiver();

    const worker = () => env.app.webhookWorker;
    const dispatchNew = async (description = '竹辉路路灯不亮') => {
      const created = await staff.post('/api/orders', {
        channel: 'hotline',
        hotlineNumber: `12345-${Math.random().toString().slice(2, 10)}`,
        categoryId: category,
        title: '路灯不亮',
        description,
        orgId: org.grid,
        reporterName: '王先生',
        reporterPhone: '13912345678',
      });
      assert.equal(created.statusCode, 201, created.body);
      const o = created.json();
      const res = await staff.post(`/api/orders/${o.id}/actions/dispatch`, { version: o.version, handlerOrgId: org.department });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { id: number; number: string; version: number };
    };
    const deliveries = async () => (await admin.get(`/api/webhooks/${org.department}/deliveries`)).json().items as { id: number; event: string; status: string; attempts: number; lastError: string | null; nextAt: string }[];

    before(async () => {
      // The test drives the worker by hand (runOnce with a chosen clock).
      env = await buildTestApp(dialect, { HAITANG_WEBHOOK_POLL_MS: '600000' });
      org = await createOrgTree(env.ctx);
      admin = await clientAs(env, 'admin', org.street);
      staff = await clientAs(env, 'community_staff', org.community);
      const cats = (await staff.get('/api/order-categories')).json().items as { id: number; code: string }[];
      category = cats.find((c) => c.code === 'street_light')!.id;
      await receiver.start();
    });
    after(async () => {
      await env.close();
      await receiver.stop();
    });

    it('lets an admin set a unit’s webhook and shows the secret only once', async () => {
      const bad = await admin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: 'ftp://example.com/x' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION_FAILED');
      const put = await admin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: receiver.url } });
      assert.equal(put.statusCode, 200, put.body);
      secret = put.json().secret;
      assert.ok(secret && secret.length >= 32);
      const got = (await admin.get(`/api/webhooks/${org.department}`)).json();
      assert.equal(got.url, receiver.url);
      assert.equal(got.secret, undefined);
      // Changing the URL keeps the secret unless asked to rotate it.
      const again = await admin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: receiver.url } });
      assert.equal(again.json().secret, undefined);
      const list = (await admin.get('/api/webhooks')).json().items;
      assert.deepEqual(list.map((h: { orgId: number }) => h.orgId), [org.department]);
      // Stored encrypted; never in the audit log.
      const row = await env.ctx.db.selectFrom('org_webhooks').select('secret').where('org_id', '=', org.department).executeTakeFirstOrThrow();
      assert.notEqual(row.secret, secret);
      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'org_webhook').execute();
      assert.equal(audit.length, 2);
      assert.ok(!JSON.stringify(audit).includes(secret));
    });

    it('refuses roles without settings.manage (403) and units outside the admin’s area (404)', async () => {
      assert.equal((await staff.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: receiver.url } })).statusCode, 403);
      assert.equal((await staff.get('/api/webhooks')).statusCode, 403);
      const communityAdmin = await clientAs(env, 'admin', org.community);
      assert.equal((await communityAdmin.get(`/api/webhooks/${org.department}`)).statusCode, 404);
      assert.equal((await communityAdmin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: receiver.url } })).statusCode, 404);
      assert.deepEqual((await communityAdmin.get('/api/webhooks')).json().items, []);
      assert.equal((await env.app.inject({ method: 'GET', url: '/api/webhooks' })).statusCode, 401);
    });

    it('posts a dispatched order to the unit, signed, without the reporter’s personal data', async () => {
      receiver.received = [];
      const o = await dispatchNew();
      assert.deepEqual((await deliveries()).map((d) => [d.event, d.status]).slice(0, 1), [['order.dispatch', 'pending']]);
      const sent = await worker().runOnce();
      assert.equal(sent, 1);
      assert.equal(receiver.received.length, 1);
      const { headers, body } = receiver.received[0]!;
      const ts = headers['x-haitang-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      assert.equal(headers['x-haitang-signature'], expected);
      assert.equal(headers['x-haitang-event'], 'order.dispatch');
      const payload = JSON.parse(body);
      assert.equal(payload.order.number, o.number);
      assert.equal(payload.order.status, 'dispatched');
      assert.equal(payload.order.handlerOrgId, org.department);
      assert.ok(payload.order.handleDueAt);
      assert.ok(!body.includes('13912345678') && !body.includes('王先生'), 'no reporter data');
      assert.equal((await deliveries())[0]!.status, 'delivered');
      // Nothing left to send.
      assert.equal(await worker().runOnce(), 0);
    });

    it('retries with backoff while the receiver fails, then delivers', async () => {
      receiver.received = [];
      receiver.answers = [500, 503];
      await dispatchNew('第二盏路灯不亮');
      const t0 = Date.now();
      assert.equal(await worker().runOnce(t0), 1);
      let d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['pending', 1, 'HTTP 500']);
      assert.equal(Date.parse(d.nextAt), t0 + backoffMs(1));
      // Not yet due.
      assert.equal(await worker().runOnce(t0 + backoffMs(1) - 1000), 0);
      assert.equal(await worker().runOnce(t0 + backoffMs(1)), 1);
      d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['pending', 2, 'HTTP 503']);
      assert.equal(await worker().runOnce(t0 + backoffMs(1) + backoffMs(2)), 1);
      d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['delivered', 3, null]);
      assert.equal(receiver.received.length, 3);
      // The same delivery id every time, so the receiver can drop repeats.
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-haitang-delivery'])).size, 1);
    });

    it('gives up after the last attempt; an admin can send it again', async () => {
      receiver.answers = Array(MAX_ATTEMPTS).fill(500);
      await dispatchNew('第三盏路灯不亮');
      let now = Date.now();
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        assert.equal(await worker().runOnce(now), 1);
        now += backoffMs(i);
      }
      const failed = (await deliveries())[0]!;
      assert.deepEqual([failed.status, failed.attempts], ['failed', MAX_ATTEMPTS]);
      assert.equal(await worker().runOnce(now + 86_400_000), 0);
      const retry = await admin.post(`/api/webhooks/${org.department}/deliveries/${failed.id}/retry`);
      assert.equal(retry.statusCode, 204);
      assert.equal(await worker().runOnce(), 1);
      assert.equal((await deliveries())[0]!.status, 'delivered');
      assert.equal((await admin.post(`/api/webhooks/${org.department}/deliveries/${failed.id}/retry`)).statusCode, 404);
    });

    it('sends each attempt once even with two server instances working the queue', async () => {
      receiver.received = [];
      await dispatchNew('第四盏路灯不亮');
      const second = new WebhookWorker(env.ctx, { pollMs: 600000 });
      const [a, b] = await Promise.all([worker().runOnce(), second.runOnce()]);
      assert.equal(a + b, 1);
      assert.equal(receiver.received.length, 1);
    });

    it('stops queueing when the webhook is removed, and fails what was queued', async () => {
      await dispatchNew('第五盏路灯不亮');
      assert.equal((await admin.delete(`/api/webhooks/${org.department}`)).statusCode, 204);
      const left = await env.ctx.db.selectFrom('webhook_deliveries').select(['status', 'last_error']).where('status', 'in', ['pending', 'sending']).execute();
      assert.equal(left.length, 0);
      const before = await env.ctx.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await dispatchNew('第六盏路灯不亮');
      const after = await env.ctx.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
      assert.equal((await admin.get(`/api/webhooks/${org.department}`)).statusCode, 404);
    });
  });
}
