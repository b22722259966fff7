import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createAccount, createOrgTree, login, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of await testDialects()) {
  describe(`volunteers: hours, stars, certificates and points (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let otherStaff: Client;
    let wang: { id: number; client: Client };
    let counter = 0;

    async function residentClient(name: string): Promise<{ id: number; client: Client }> {
      const res = await staff.post('/api/residents', { name, orgId: org.microGrid, tags: ['volunteer'] });
      assert.equal(res.statusCode, 201, res.body);
      const acc = await createAccount(env.ctx, 'resident', org.microGrid);
      await env.ctx.db.updateTable('accounts').set({ resident_id: res.json().id }).where('id', '=', acc.id).execute();
      return { id: res.json().id, client: await login(env.app, acc.username, acc.password) };
    }

    /** An activity under way (began 100 minutes ago), the resident signed up, attended `minutes` from the start, certified. */
    async function serve(residentId: number, kind: string, minutes: number): Promise<{ activityId: number; signup: { id: number; version: number } }> {
      const start = Math.floor((Date.now() - 100 * MIN) / MIN) * MIN;
      const created = await staff.post('/api/activities', {
        orgId: org.community, kind, title: `服务${++counter}`, place: '竹辉新村', startsAt: iso(start), endsAt: iso(start + 120 * MIN),
      });
      const a = created.json();
      await staff.post(`/api/activities/${a.id}/publish`, { version: a.version });
      const s = (await staff.post(`/api/activities/${a.id}/signups`, { residentId })).json();
      const marked = await staff.patch(`/api/activities/${a.id}/signups/${s.id}/attendance`, {
        version: s.version, checkedInAt: iso(start), checkedOutAt: iso(start + minutes * MIN),
      });
      assert.equal(marked.statusCode, 200, marked.body);
      const confirmed = await staff.post(`/api/activities/${a.id}/signups/${s.id}/confirm`, { version: marked.json().version });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      return { activityId: a.id, signup: confirmed.json() };
    }

    /** Double entry: every transaction sums to zero, every balance is the sum of its entries, all balances sum to zero. */
    async function assertLedgerBalanced(): Promise<void> {
      const tx = await env.ctx.db.selectFrom('point_entries').select(['transaction_id', (eb) => eb.fn.sum<number>('amount').as('n')]).groupBy('transaction_id').execute();
      assert.ok(tx.every((t) => Number(t.n) === 0), 'every transaction balances');
      const accounts = await env.ctx.db.selectFrom('point_accounts').select(['id', 'kind', 'balance']).execute();
      for (const a of accounts) {
        const sum = await env.ctx.db.selectFrom('point_entries').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('n')).where('account_id', '=', a.id).executeTakeFirstOrThrow();
        assert.equal(Number(a.balance), Number(sum.n), `account ${a.id}`);
        if (a.kind === 'wallet') assert.ok(Number(a.balance) >= 0, 'no wallet below zero');
      }
      assert.equal(accounts.reduce((s, a) => s + Number(a.balance), 0), 0);
    }

    const put = (c: Client, url: string, payload: unknown) => c.request({ method: 'PUT', url, payload: payload as object });

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      otherStaff = await clientAs(env, 'community_staff', org.otherCommunity);
      wang = await residentClient('王秀英');
    });
    after(() => env.close());

    it('answers every role on the routes residents share: allowed, 403 without the right, 404 outside', async () => {
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '角色测试奖品', cost: 1, stock: 0 })).json();
      const dept = await clientAs(env, 'department_handler', org.department);
      const gridWorker = await clientAs(env, 'grid_worker', org.grid);
      const farId = (await otherStaff.post('/api/residents', { name: '外社区志愿者', orgId: org.otherMicroGrid })).json().id;
      const farAcc = await createAccount(env.ctx, 'resident', org.otherMicroGrid);
      await env.ctx.db.updateTable('accounts').set({ resident_id: farId }).where('id', '=', farAcc.id).execute();
      const far = await login(env.app, farAcc.username, farAcc.password);
      const cases: [string, Client, string, 'GET' | 'POST', number][] = [
        ['dept my record', dept, '/api/volunteers/me', 'GET', 403],
        ['dept my points', dept, '/api/points/me', 'GET', 403],
        ['dept rewards', dept, '/api/rewards', 'GET', 403],
        ['dept redemptions', dept, '/api/redemptions', 'GET', 403],
        ['dept redeem', dept, `/api/rewards/${reward.id}/redeem`, 'POST', 403],
        ['grid worker rewards', gridWorker, '/api/rewards', 'GET', 200],
        ['grid worker redeem (no activity.write)', gridWorker, `/api/rewards/${reward.id}/redeem`, 'POST', 403],
        ['grid worker my record', gridWorker, '/api/volunteers/me', 'GET', 403],
        ['far resident redeem', far, `/api/rewards/${reward.id}/redeem`, 'POST', 404],
        ['other staff redeem', otherStaff, `/api/rewards/${reward.id}/redeem`, 'POST', 404],
        ['resident missing reward', wang.client, '/api/rewards/99999999/redeem', 'POST', 404],
        ['resident my record', wang.client, '/api/volunteers/me', 'GET', 200],
        ['resident reads stars', wang.client, '/api/settings/volunteer-stars', 'GET', 200],
        ['staff missing certificate', staff, '/api/certificates/99999999/pdf', 'GET', 404],
        ['dept certificate', dept, '/api/certificates/99999999/pdf', 'GET', 403],
      ];
      for (const [name, client, url, method, want] of cases) {
        const res = method === 'GET' ? await client.get(url) : await client.post(url, {});
        assert.equal(res.statusCode, want, `${name}: ${res.body}`);
      }
      const ids = (res: { json(): any }) => res.json().items.map((x: { id: number }) => x.id);
      assert.ok(ids(await wang.client.get('/api/rewards')).includes(reward.id));
      assert.deepEqual(ids(await far.get('/api/rewards')), []);
      assert.ok(!ids(await otherStaff.get('/api/rewards')).includes(reward.id));
    });

    it('adds up certified minutes into hours, a star level and points (hours × rate × kind)', async () => {
      await serve(wang.id, 'service', 95); // 95 min × 10/h × 1.0 = 15 points
      await serve(wang.id, 'class', 90); // 90 min × 10/h × 0.5 = 7 points
      const profile = (await staff.get(`/api/volunteers/${wang.id}`)).json();
      assert.deepEqual(
        [profile.totalMinutes, profile.totalHours, profile.services, profile.star, profile.nextStar, profile.points],
        [185, 3.1, 2, 0, { level: 1, minHours: 100, hoursToGo: 96.9 }, 22],
      );
      assert.equal(profile.records.length, 2);
      const mine = (await wang.client.get('/api/volunteers/me')).json();
      assert.equal(mine.totalMinutes, 185);
      assert.equal((await otherStaff.get(`/api/volunteers/${wang.id}`)).statusCode, 404);
      const ledger = (await wang.client.get('/api/points/me')).json();
      assert.equal(ledger.balance, 22);
      assert.deepEqual(ledger.entries.map((e: { kind: string; amount: number }) => [e.kind, e.amount]), [['earn', 7], ['earn', 15]]);
      await assertLedgerBalanced();
    });

    it('takes the star thresholds from settings that only an admin of the whole city changes', async () => {
      const root = await clientAs(env, 'admin', org.district);
      const streetAdmin = await clientAs(env, 'admin', org.street);
      const levels = [1, 2, 3, 4, 5].map((h, i) => ({ level: i + 1, minHours: h }));
      assert.equal((await put(streetAdmin, '/api/settings/volunteer-stars', { levels })).statusCode, 403);
      const bad = await put(root, '/api/settings/volunteer-stars', { levels: [...levels.slice(0, 4), { level: 5, minHours: 4 }] });
      assert.equal(bad.statusCode, 400);
      const ok = await put(root, '/api/settings/volunteer-stars', { levels });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await staff.get(`/api/volunteers/${wang.id}`)).json().star, 3);
      await put(root, '/api/settings/volunteer-stars', { levels: [100, 300, 600, 1000, 1500].map((h, i) => ({ level: i + 1, minHours: h })) });
      assert.equal((await staff.get(`/api/volunteers/${wang.id}`)).json().star, 0);
    });

    it('posts the difference when the organiser corrects the minutes', async () => {
      // 60 of 120 minutes would be under the 60 % share (0 minutes): 90 count, +15 points.
      const { activityId, signup } = await serve(wang.id, 'service', 90);
      const corrected = await staff.post(`/api/activities/${activityId}/signups/${signup.id}/confirm`, { version: signup.version, minutes: 30, reason: '提前离开' });
      assert.equal(corrected.statusCode, 200, corrected.body);
      const ledger = (await wang.client.get('/api/points/me')).json();
      assert.equal(ledger.balance, 22 + 15 - 10);
      assert.deepEqual(ledger.entries.slice(0, 2).map((e: { kind: string; amount: number }) => [e.kind, e.amount]), [['correct', -10], ['earn', 15]]);
      await assertLedgerBalanced();
    });

    it('numbers certificates per year and prints them as a PDF for staff and the volunteer only', async () => {
      const first = await staff.post(`/api/volunteers/${wang.id}/certificates`);
      assert.equal(first.statusCode, 201, first.body);
      const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
      assert.equal(first.json().number, `HTZY-${year}-000001`);
      assert.equal(first.json().issuerName, '竹辉社区居民委员会');
      assert.equal(first.json().totalMinutes, 95 + 90 + 30);
      const second = await staff.post(`/api/volunteers/${wang.id}/certificates`);
      assert.equal(second.json().number, `HTZY-${year}-000002`);
      const pdf = await staff.get(`/api/certificates/${first.json().id}/pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.rawPayload.length > 5000);
      assert.equal((await wang.client.get(`/api/certificates/${first.json().id}/pdf`)).statusCode, 200);
      const li = await residentClient('李建国');
      assert.equal((await li.client.get(`/api/certificates/${first.json().id}/pdf`)).statusCode, 404);
      assert.equal((await otherStaff.get(`/api/certificates/${first.json().id}/pdf`)).statusCode, 404);
      // It carries the full name: only staff who issue certificates print it (a grid worker reads masked names).
      assert.equal((await (await clientAs(env, 'grid_worker', org.grid)).get(`/api/certificates/${first.json().id}/pdf`)).statusCode, 403);
      // The lines printed are those certified at issue, whatever is corrected later.
      const frozen = await env.ctx.db.selectFrom('volunteer_certificates').select('records').where('id', '=', first.json().id).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(frozen.records).map((r: { minutes: number }) => r.minutes).sort(), [30, 90, 95]);
      // Nothing certified yet: no certificate.
      assert.equal((await staff.post(`/api/volunteers/${li.id}/certificates`)).statusCode, 409);
      const audit = await env.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'volunteer_certificate').execute();
      assert.equal(audit.length, 2);
    });

    it('redeems with approval and a pickup code; a rejection returns points and stock', async () => {
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '环保购物袋', cost: 10, stock: 1 })).json();
      const asked = await wang.client.post(`/api/rewards/${reward.id}/redeem`, {});
      assert.equal(asked.statusCode, 201, asked.body);
      assert.equal(asked.json().status, 'pending');
      assert.equal((await wang.client.get('/api/points/me')).json().balance, 17);
      const out = await wang.client.post(`/api/rewards/${reward.id}/redeem`, {});
      assert.equal(out.statusCode, 409, 'out of stock');
      const rejected = await staff.post(`/api/redemptions/${asked.json().id}/decide`, { version: asked.json().version, approve: false, reason: '库存盘点有误' });
      assert.equal(rejected.statusCode, 200, rejected.body);
      assert.equal((await wang.client.get('/api/points/me')).json().balance, 27);
      const again = (await wang.client.post(`/api/rewards/${reward.id}/redeem`, {})).json();
      const approved = await staff.post(`/api/redemptions/${again.id}/decide`, { version: again.version, approve: true });
      assert.equal(approved.json().status, 'approved');
      assert.equal(approved.json().pickupCode, null, 'staff do not see the code');
      const mine = (await wang.client.get('/api/redemptions')).json().items.find((r: { id: number }) => r.id === again.id);
      assert.match(mine.pickupCode, /^\d{6}$/);
      const wrongCode = mine.pickupCode === '000000' ? '111111' : '000000';
      const wrong = await staff.post(`/api/redemptions/${again.id}/pickup`, { version: approved.json().version, pickupCode: wrongCode });
      assert.equal(wrong.statusCode, 400);
      const picked = await staff.post(`/api/redemptions/${again.id}/pickup`, { version: approved.json().version, pickupCode: mine.pickupCode });
      assert.equal(picked.json().status, 'picked_up');
      assert.equal((await staff.post(`/api/redemptions/${again.id}/decide`, { version: picked.json().version, approve: true })).statusCode, 409);
      assert.equal((await otherStaff.post(`/api/redemptions/${again.id}/pickup`, { version: picked.json().version, pickupCode: mine.pickupCode })).statusCode, 404);
      await assertLedgerBalanced();
    });

    it('stops taking pickup codes after five wrong ones', async () => {
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '试用装', cost: 1, stock: 1 })).json();
      const asked = (await wang.client.post(`/api/rewards/${reward.id}/redeem`, {})).json();
      const ok = (await staff.post(`/api/redemptions/${asked.id}/decide`, { version: asked.version, approve: true })).json();
      const code = (await wang.client.get('/api/redemptions')).json().items.find((r: { id: number }) => r.id === asked.id).pickupCode;
      const wrong = code === '000000' ? '111111' : '000000';
      // Ten wrong codes at once: five are taken (400), the rest are refused (409), even racing.
      const tries = await Promise.all(Array.from({ length: 10 }, () => staff.post(`/api/redemptions/${asked.id}/pickup`, { version: ok.version, pickupCode: wrong })));
      assert.deepEqual(tries.map((r) => r.statusCode).sort(), [400, 400, 400, 400, 400, 409, 409, 409, 409, 409]);
      assert.equal((await staff.post(`/api/redemptions/${asked.id}/pickup`, { version: ok.version, pickupCode: code })).statusCode, 409);
    });

    it('redeems and rejects side by side without a deadlock', async () => {
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '手帕', cost: 1, stock: 100 })).json();
      for (let round = 0; round < 5; round++) {
        const pending = (await wang.client.post(`/api/rewards/${reward.id}/redeem`, {})).json();
        const [a, b] = await Promise.all([
          wang.client.post(`/api/rewards/${reward.id}/redeem`, {}),
          staff.post(`/api/redemptions/${pending.id}/decide`, { version: pending.version, approve: false, reason: '测试' }),
        ]);
        assert.equal(b.statusCode, 200, b.body);
        assert.equal(a.statusCode, 201, a.body);
        await staff.post(`/api/redemptions/${a.json().id}/decide`, { version: a.json().version, approve: false, reason: '测试' });
      }
      await assertLedgerBalanced();
    });

    it('never lets a balance go below zero, however many redemptions race', async () => {
      const balance = (await wang.client.get('/api/points/me')).json().balance; // 17
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '社区电影票', cost: 10, stock: 10 })).json();
      const res = await Promise.all(Array.from({ length: 6 }, () => staff.post(`/api/rewards/${reward.id}/redeem`, { residentId: wang.id })));
      const codes = res.map((r) => r.statusCode).sort();
      assert.equal(codes.filter((c) => c === 201).length, Math.floor(balance / 10));
      assert.ok(res.filter((r) => r.statusCode === 409).every((r) => r.json().error.message.includes('积分不足')));
      assert.equal((await wang.client.get('/api/points/me')).json().balance, balance % 10);
      const after = (await staff.get('/api/rewards')).json().items.find((r: { id: number }) => r.id === reward.id);
      assert.equal(after.stock, 10 - Math.floor(balance / 10), 'stock taken only by the redemptions that went through');
      await assertLedgerBalanced();
    });

    it('refuses to take back by correction points that were already spent', async () => {
      const { activityId, signup } = await serve(wang.id, 'service', 90); // +15
      const balance = (await wang.client.get('/api/points/me')).json().balance;
      const reward = (await staff.post('/api/rewards', { orgId: org.community, name: '纪念徽章', cost: balance, stock: 1 })).json();
      assert.equal((await wang.client.post(`/api/rewards/${reward.id}/redeem`, {})).statusCode, 201);
      const back = await staff.post(`/api/activities/${activityId}/signups/${signup.id}/confirm`, { version: signup.version, minutes: 0, reason: '误录' });
      assert.equal(back.statusCode, 409);
      assert.match(back.json().error.message, /积分已兑换使用/);
      assert.equal((await staff.get(`/api/activities/${activityId}/signups`)).json().items[0].confirmedMinutes, 90, 'nothing changed');
      await assertLedgerBalanced();
    });
  });
}
