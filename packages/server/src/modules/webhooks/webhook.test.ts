import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import type { Dialect } from '../../db/database.js';
import { isPrivateAddress } from './webhook.service.js';
import { WebhookWorker, backoffMs, LEASE_MS, MAX_ATTEMPTS } from './webhook.worker.js';

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

/** A street with a police station (the webhook's unit), its admin, a community's staff, a category. */
async function webhookWorld(dialect: Dialect, vars: Record<string, string> = {}) {
  const env = await buildTestApp(dialect, vars);
  const org = await createOrgTree(env.ctx);
  const admin = await clientAs(env, 'admin', org.street);
  const staff = await clientAs(env, 'community_staff', org.community);
  const cats = (await staff.get('/api/order-categories')).json().items as { id: number; code: string }[];
  const category = cats.find((c) => c.code === 'street_light')!.id;
  return { env, org, admin: admin as Client, staff: staff as Client, category };
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
      // The test drives the worker by hand (runOnce, with a worker of its own where the clock matters).
      // The receiver listens on 127.0.0.1, a target refused unless private targets are allowed.
      ({ env, org, admin, staff, category } = await webhookWorld(dialect, { HAITANG_WEBHOOK_POLL_MS: '600000', HAITANG_WEBHOOK_ALLOW_PRIVATE: 'true' }));
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
      let clock = t0;
      const clocked = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock });
      assert.equal(await clocked.runOnce(), 1);
      let d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['pending', 1, 'HTTP 500']);
      assert.equal(Date.parse(d.nextAt), t0 + backoffMs(1));
      // Not yet due.
      clock = t0 + backoffMs(1) - 1000;
      assert.equal(await clocked.runOnce(), 0);
      clock = t0 + backoffMs(1);
      assert.equal(await clocked.runOnce(), 1);
      d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['pending', 2, 'HTTP 503']);
      assert.equal(Date.parse(d.nextAt), t0 + backoffMs(1) + backoffMs(2));
      clock = t0 + backoffMs(1) + backoffMs(2);
      assert.equal(await clocked.runOnce(), 1);
      d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['delivered', 3, null]);
      assert.equal(receiver.received.length, 3);
      // The same delivery id every time, so the receiver can drop repeats.
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-haitang-delivery'])).size, 1);
    });

    it('gives up after the last attempt; an admin can send it again', async () => {
      receiver.answers = Array(MAX_ATTEMPTS).fill(500);
      await dispatchNew('第三盏路灯不亮');
      let clock = Date.now();
      const clocked = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock });
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        assert.equal(await clocked.runOnce(), 1);
        clock += backoffMs(i);
      }
      const failed = (await deliveries())[0]!;
      assert.deepEqual([failed.status, failed.attempts], ['failed', MAX_ATTEMPTS]);
      clock += 86_400_000;
      assert.equal(await clocked.runOnce(), 0);
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

    it('claims each delivery of a batch at the time of its claim, so a slow send does not hand the next one to a second worker', async () => {
      receiver.received = [];
      await dispatchNew('第七盏路灯不亮');
      await dispatchNew('第八盏路灯不亮');
      let clock = Date.now();
      const second = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock });
      const secondSent: number[] = [];
      let calls = 0;
      const slow: typeof fetch = async (input, init) => {
        calls++;
        // The first send of the batch takes longer than a lease.
        if (calls === 1) clock += LEASE_MS + 5_000;
        // While the second one is on its way, another instance polls the queue.
        else secondSent.push(await second.runOnce());
        return fetch(input, init);
      };
      const first = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock, fetch: slow });
      assert.equal(await first.runOnce(), 2);
      assert.deepEqual(secondSent, [0], 'the second delivery was claimed with a lease from the time of its claim');
      assert.equal(receiver.received.length, 2);
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-haitang-delivery'])).size, 2);
      const recent = (await deliveries()).slice(0, 2);
      assert.deepEqual(recent.map((d) => [d.status, d.attempts]), [['delivered', 1], ['delivered', 1]]);
    });

    it('leaves a delivery to the worker that re-claimed it after the first one’s lease ran out', async () => {
      receiver.received = [];
      await dispatchNew('第九盏路灯不亮');
      let clock = Date.now();
      const second = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock });
      let secondSent = -1;
      // The first worker's send hangs past its lease; the second re-claims the row and delivers it;
      // then the first one's send fails late. Its result must not overwrite the delivered row.
      const stalled: typeof fetch = async () => {
        clock += LEASE_MS + 1_000;
        secondSent = await second.runOnce();
        return new Response('busy', { status: 500 });
      };
      const first = new WebhookWorker(env.ctx, { pollMs: 600000, now: () => clock, fetch: stalled });
      assert.equal(await first.runOnce(), 1);
      assert.equal(secondSent, 1);
      assert.equal(receiver.received.length, 1);
      const d = (await deliveries())[0]!;
      assert.deepEqual([d.status, d.attempts, d.lastError], ['delivered', 1, null]);
      // Nothing is left to send: the late failure did not put it back in the queue.
      clock += 86_400_000;
      assert.equal(await second.runOnce(), 0);
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

describe('webhook target addresses', () => {
  it('classifies loopback, private, link-local and unique-local addresses as private', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.1', '169.254.169.254', '169.254.0.1', '0.0.0.0', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '169.253.255.255', '11.0.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});

for (const dialect of await testDialects()) {
  describe(`webhook targets, default settings (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let admin: Client;
    let staff: Client;
    let category: number;
    const receiver = new Receiver();

    const dispatchNew = async () => {
      const created = await staff.post('/api/orders', { channel: 'visit', categoryId: category, title: '路灯不亮', description: '竹辉路路灯不亮', orgId: org.grid });
      assert.equal(created.statusCode, 201, created.body);
      const o = created.json();
      const res = await staff.post(`/api/orders/${o.id}/actions/dispatch`, { version: o.version, handlerOrgId: org.department });
      assert.equal(res.statusCode, 200, res.body);
    };
    const latest = async () => (await admin.get(`/api/webhooks/${org.department}/deliveries`)).json().items[0] as { status: string; attempts: number; lastError: string | null };

    before(async () => {
      // No HAITANG_WEBHOOK_ALLOW_PRIVATE: the production default.
      ({ env, org, admin, staff, category } = await webhookWorld(dialect));
      assert.equal(env.ctx.config.webhookAllowPrivate, false);
      await receiver.start();
    });
    after(async () => {
      await env.close();
      await receiver.stop();
    });

    it('refuses to save a URL pointing at this machine, a private network or a link-local address', async () => {
      const refused = [
        receiver.url, // http://127.0.0.1:<port>/haitang
        'http://localhost:8080/hook',
        'http://LOCALHOST./hook',
        'http://api.localhost/hook',
        'http://10.1.2.3/hook',
        'http://172.20.0.1/hook',
        'https://192.168.1.10/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://0.0.0.0:3000/hook',
        'http://2130706433/hook', // 127.0.0.1 written as a number
        'http://[::1]/hook',
        'http://[fd00::1]/hook',
        'http://[::ffff:127.0.0.1]/hook',
      ];
      for (const url of refused) {
        const res = await admin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url } });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        const error = res.json().error;
        assert.equal(error.code, 'VALIDATION_FAILED', url);
        assert.deepEqual(error.details, { field: 'url', reason: 'private_target' }, url);
        assert.match(error.message, /内网|本机/, url);
      }
      assert.equal((await admin.get(`/api/webhooks/${org.department}`)).statusCode, 404, 'nothing was saved');
      // A public name is accepted (its addresses are checked again when sending).
      const ok = await admin.request({ method: 'PUT', url: `/api/webhooks/${org.department}`, payload: { url: 'https://hooks.example.gov.cn/haitang' } });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('refuses at send time a target that is or resolves to a private address, without sending', async () => {
      // A row saved before the rule existed (or written around the API) still points at 127.0.0.1.
      await env.ctx.db.updateTable('org_webhooks').set({ url: receiver.url }).where('org_id', '=', org.department).execute();
      await dispatchNew();
      assert.equal(await env.app.webhookWorker.runOnce(), 1);
      let d = await latest();
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 1);
      assert.match(d.lastError ?? '', /^refused: .*127\.0\.0\.1/);
      assert.equal(receiver.received.length, 0, 'no request reached the private address');

      // A public-looking name whose DNS answer includes a private address is refused as well.
      await env.ctx.db.updateTable('org_webhooks').set({ url: 'https://hooks.example.gov.cn/haitang' }).where('org_id', '=', org.department).execute();
      await env.ctx.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('status', '=', 'pending').execute();
      await dispatchNew();
      const requested: string[] = [];
      const recording: typeof fetch = async (input) => {
        requested.push(String(input));
        return new Response('ok', { status: 200 });
      };
      let answer = [
        { address: '203.0.113.10', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ];
      const looked: string[] = [];
      const worker = new WebhookWorker(env.ctx, {
        pollMs: 600000,
        fetch: recording,
        lookup: async (host) => {
          looked.push(host);
          return answer;
        },
      });
      assert.equal(await worker.runOnce(), 1);
      d = await latest();
      assert.deepEqual([d.status, d.attempts], ['pending', 1]);
      assert.match(d.lastError ?? '', /^refused: .*10\.0\.0\.7/);
      assert.deepEqual(requested, []);
      assert.deepEqual(looked, ['hooks.example.gov.cn']);
      // Once it resolves to public addresses only, it is sent.
      answer = [{ address: '203.0.113.10', family: 4 }];
      await env.ctx.db.updateTable('webhook_deliveries').set({ next_at: new Date(0).toISOString() }).where('status', '=', 'pending').execute();
      assert.equal(await worker.runOnce(), 1);
      assert.deepEqual(requested, ['https://hooks.example.gov.cn/haitang']);
      assert.equal((await latest()).status, 'delivered');
    });
  });
}
