import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createAccount, createOrgTree, login, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { CheckInCodes, WINDOW_SECONDS } from './checkin-code.js';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of await testDialects()) {
  describe(`activities: sign-up, waiting list, check-in and service records (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let otherStaff: Client;
    let counter = 0;

    /** A resident of the first micro-grid (or `orgId`), with tags. */
    async function addResident(tags: string[] = [], orgId = org.microGrid): Promise<number> {
      const res = await staff.post('/api/residents', { name: `居民${String.fromCharCode(0x4e00 + ++counter)}`, orgId, tags });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }

    /** A resident with a logged-in resident account. */
    async function residentClient(tags: string[] = []): Promise<{ id: number; client: Client; accountId: number }> {
      const id = await addResident(tags);
      const acc = await createAccount(env.ctx, 'resident', org.microGrid);
      await env.ctx.db.updateTable('accounts').set({ resident_id: id }).where('id', '=', acc.id).execute();
      return { id, client: await login(env.app, acc.username, acc.password), accountId: acc.id };
    }

    /** A published activity of the community; times relative to now. */
    async function published(opts: { capacity?: number | null; startIn?: number; length?: number; audience?: string; rules?: object } = {}) {
      const start = Date.now() + (opts.startIn ?? 24 * 60) * MIN;
      const res = await staff.post('/api/activities', {
        orgId: org.community,
        kind: 'service',
        title: `楼道清洁志愿服务${++counter}`,
        place: '竹辉新村11幢',
        startsAt: iso(start),
        endsAt: iso(start + (opts.length ?? 120) * MIN),
        capacity: opts.capacity === undefined ? 2 : opts.capacity,
        ...(opts.audience && { audience: opts.audience }),
        ...(opts.rules && { rules: opts.rules }),
      });
      assert.equal(res.statusCode, 201, res.body);
      const draft = res.json();
      assert.equal(draft.status, 'draft');
      const pub = await staff.post(`/api/activities/${draft.id}/publish`, { version: draft.version });
      assert.equal(pub.statusCode, 200, pub.body);
      return pub.json() as { id: number; version: number; confirmedCount: number; waitingCount: number };
    }

    const activity = async (id: number) => (await staff.get(`/api/activities/${id}`)).json();
    const signups = async (id: number) => (await staff.get(`/api/activities/${id}/signups`)).json().items as any[];
    const notificationsOf = (accountId: number) =>
      env.ctx.db.selectFrom('notifications').select(['kind', 'activity_id', 'title', 'body']).where('account_id', '=', accountId).orderBy('id').execute();

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      otherStaff = await clientAs(env, 'community_staff', org.otherCommunity);
    });
    after(() => env.close());

    it('creates a draft that residents cannot see, publishes it, and lists it for them', async () => {
      const start = Date.now() + 3 * 24 * 60 * MIN;
      const created = await staff.post('/api/activities', {
        orgId: org.community, kind: 'class', title: '党的二十大精神学习', place: '竹辉社区党群服务中心',
        startsAt: iso(start), endsAt: iso(start + 90 * MIN), capacity: 30,
      });
      assert.equal(created.statusCode, 201, created.body);
      const a = created.json();
      assert.deepEqual(a.rules, { minSharePercent: 60, capMinutes: null });
      const { client: resident } = await residentClient();
      assert.equal((await resident.get(`/api/activities/${a.id}`)).statusCode, 404);
      assert.equal((await otherStaff.get(`/api/activities/${a.id}`)).statusCode, 404);
      const pub = await staff.post(`/api/activities/${a.id}/publish`, { version: a.version });
      assert.equal(pub.statusCode, 200);
      assert.equal((await resident.get(`/api/activities/${a.id}`)).json().status, 'published');
      const list = (await resident.get('/api/activities?upcoming=true')).json();
      assert.ok(list.items.some((x: { id: number }) => x.id === a.id));
      assert.equal((await otherStaff.get('/api/activities')).json().items.length, 0);
      // Publishing twice is not a transition; a stale version is a 409 and nothing changes.
      const again = await staff.post(`/api/activities/${a.id}/publish`, { version: pub.json().version });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'INVALID_TRANSITION');
      const stale = await staff.patch(`/api/activities/${a.id}`, { version: a.version, title: '改名' });
      assert.equal(stale.statusCode, 409);
      assert.equal((await activity(a.id)).title, '党的二十大精神学习');
      // Bad times are a clear 400.
      const bad = await staff.post('/api/activities', { orgId: org.community, kind: 'event', title: 'x', place: 'y', startsAt: iso(start), endsAt: iso(start - MIN) });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION_FAILED');
    });

    it('answers every role on the routes residents share: allowed, 403 without the right, 404 outside', async () => {
      const a = await published({ capacity: 5 });
      const start = Date.now() + 86_400_000;
      const draft = (await staff.post('/api/activities', { orgId: org.community, kind: 'event', title: '草稿活动', place: '活动室', startsAt: iso(start), endsAt: iso(start + 3_600_000) })).json();
      const mine = await residentClient();
      const mySignup = (await mine.client.post(`/api/activities/${a.id}/signups`, {})).json();
      const dept = await clientAs(env, 'department_handler', org.department);
      const gridWorker = await clientAs(env, 'grid_worker', org.grid);
      const leader = await clientAs(env, 'street_leader', org.street);
      const farResidentId = (await otherStaff.post('/api/residents', { name: '外社区居民甲', orgId: org.otherMicroGrid })).json().id;
      const farAcc = await createAccount(env.ctx, 'resident', org.otherMicroGrid);
      await env.ctx.db.updateTable('accounts').set({ resident_id: farResidentId }).where('id', '=', farAcc.id).execute();
      const farResident = await login(env.app, farAcc.username, farAcc.password);
      const unlinked = await clientAs(env, 'resident', org.microGrid);
      const token = (await staff.get(`/api/activities/${a.id}/check-in-code?direction=in`)).statusCode; // not open yet (tomorrow)
      assert.equal(token, 409);
      const ids = (res: { json(): any }) => res.json().items.map((x: { id: number }) => x.id);
      const cases: [string, Client, string, 'GET' | 'POST', number][] = [
        ['dept list', dept, '/api/activities', 'GET', 403],
        ['dept detail', dept, `/api/activities/${a.id}`, 'GET', 403],
        ['dept sign-ups', dept, `/api/activities/${a.id}/signups`, 'GET', 403],
        ['dept sign-up', dept, `/api/activities/${a.id}/signups`, 'POST', 403],
        ['dept withdraw', dept, `/api/activities/${a.id}/signups/${mySignup.id}/withdraw`, 'POST', 403],
        ['dept scan', dept, `/api/activities/${a.id}/scan/in`, 'POST', 403],
        ['grid worker detail', gridWorker, `/api/activities/${a.id}`, 'GET', 200],
        ['grid worker sign-ups', gridWorker, `/api/activities/${a.id}/signups`, 'GET', 200],
        ['grid worker sign-up (no activity.write)', gridWorker, `/api/activities/${a.id}/signups`, 'POST', 403],
        ['grid worker withdraw', gridWorker, `/api/activities/${a.id}/signups/${mySignup.id}/withdraw`, 'POST', 403],
        ['leader detail', leader, `/api/activities/${a.id}`, 'GET', 200],
        ['other community staff detail', otherStaff, `/api/activities/${a.id}`, 'GET', 404],
        ['other community staff sign-ups', otherStaff, `/api/activities/${a.id}/signups`, 'GET', 404],
        ['other community staff withdraw', otherStaff, `/api/activities/${a.id}/signups/${mySignup.id}/withdraw`, 'POST', 404],
        ['far resident detail', farResident, `/api/activities/${a.id}`, 'GET', 404],
        ['far resident sign-ups', farResident, `/api/activities/${a.id}/signups`, 'GET', 404],
        ['far resident sign-up', farResident, `/api/activities/${a.id}/signups`, 'POST', 404],
        ['far resident withdraw', farResident, `/api/activities/${a.id}/signups/${mySignup.id}/withdraw`, 'POST', 404],
        ['far resident scan', farResident, `/api/activities/${a.id}/scan/in`, 'POST', 404],
        ['resident draft', mine.client, `/api/activities/${draft.id}`, 'GET', 404],
        ['resident missing', mine.client, '/api/activities/99999999', 'GET', 404],
        ['staff missing', staff, '/api/activities/99999999', 'GET', 404],
        ['resident without a record signs up', unlinked, `/api/activities/${a.id}/signups`, 'POST', 403],
      ];
      for (const [name, client, url, method, want] of cases) {
        const res = method === 'GET' ? await client.get(url) : await client.post(url, url.includes('/scan/') ? { token: '1.aaaaaaaaaaaaaaaaaaaaaa' } : {});
        assert.equal(res.statusCode, want, `${name}: ${res.body}`);
      }
      assert.ok(ids(await gridWorker.get('/api/activities')).includes(a.id));
      assert.ok(ids(await leader.get('/api/activities')).includes(draft.id));
      assert.ok(!ids(await mine.client.get('/api/activities')).includes(draft.id), 'residents never list drafts');
      assert.deepEqual(ids(await farResident.get('/api/activities')), []);
      assert.deepEqual(ids(await otherStaff.get('/api/activities')), []);
    });

    it('keeps pictures with the description: shown to readers, and to anyone once published', async () => {
      const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
      const start = Date.now() + 86_400_000;
      const created = await staff.post('/api/activities', {
        orgId: org.community, kind: 'event', title: '有图的活动', place: '广场', startsAt: iso(start), endsAt: iso(start + 3_600_000),
        images: [{ name: '海报.png', dataUrl: PNG }, { name: '去年.png', dataUrl: PNG }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const a = created.json();
      assert.equal(a.imageIds.length, 2);
      const url = (id: number) => `/api/activities/${a.id}/images/${id}`;
      const publicUrl = (id: number) => `/api/public/activities/${a.id}/images/${id}`;
      assert.equal((await staff.get(url(a.imageIds[0]))).headers['content-type'], 'image/png');
      assert.equal((await env.app.inject({ method: 'GET', url: publicUrl(a.imageIds[0]) })).statusCode, 404, 'a draft is nobody else’s yet');
      assert.equal((await otherStaff.get(url(a.imageIds[0]))).statusCode, 404);
      const p = (await staff.post(`/api/activities/${a.id}/publish`, { version: a.version })).json();
      const shown = await env.app.inject({ method: 'GET', url: publicUrl(a.imageIds[0]) });
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.headers['content-type'], 'image/png');
      const fewer = await staff.patch(`/api/activities/${a.id}`, { version: p.version, removeImageIds: [a.imageIds[0]] });
      assert.deepEqual(fewer.json().imageIds, [a.imageIds[1]]);
      const bad = await staff.patch(`/api/activities/${a.id}`, { version: fewer.json().version, images: [{ name: 'x.png', dataUrl: 'data:image/png;base64,AAAA' }] });
      assert.equal(bad.statusCode, 400);
    });

    it('shows anyone the share page of a published activity, without names; not a draft', async () => {
      const a = await published({ capacity: 10 });
      await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() });
      const res = await env.app.inject({ method: 'GET', url: `/api/public/activities/${a.id}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([res.json().confirmedCount, res.json().capacity, res.json().orgName], [1, 10, '竹辉社区']);
      assert.ok(!res.body.includes('居民'), 'no sign-up names');
      const start = Date.now() + 86_400_000;
      const draft = (await staff.post('/api/activities', { orgId: org.community, kind: 'event', title: '未发布', place: 'x', startsAt: iso(start), endsAt: iso(start + 3_600_000) })).json();
      assert.equal((await env.app.inject({ method: 'GET', url: `/api/public/activities/${draft.id}` })).statusCode, 404);
    });

    it('shows staff only their own area’s sign-ups of an activity run above them', async () => {
      const streetAdmin = await clientAs(env, 'admin', org.street);
      const start = Date.now() + 86_400_000;
      const a = (await streetAdmin.post('/api/activities', { orgId: org.street, kind: 'event', title: '街道宪法日活动', place: '广场', startsAt: iso(start), endsAt: iso(start + 3_600_000) })).json();
      await streetAdmin.post(`/api/activities/${a.id}/publish`, { version: a.version });
      const ours = await addResident();
      const theirs = (await otherStaff.post('/api/residents', { name: '隔壁张三', orgId: org.otherMicroGrid })).json().id;
      for (const residentId of [ours, theirs]) assert.equal((await streetAdmin.post(`/api/activities/${a.id}/signups`, { residentId })).statusCode, 201);
      const seen = await staff.get(`/api/activities/${a.id}/signups`);
      assert.equal(seen.statusCode, 200);
      assert.deepEqual(seen.json().items.map((x: { residentId: number }) => x.residentId), [ours]);
      assert.ok(!seen.body.includes('张三'));
      assert.equal((await streetAdmin.get(`/api/activities/${a.id}/signups`)).json().items.length, 2);
    });

    it('keeps a class series: sessions with materials, and each member’s attendance across them', async () => {
      const series = await staff.post('/api/class-series', { orgId: org.community, title: '党的二十大精神学习' });
      assert.equal(series.statusCode, 201, series.body);
      const sid = series.json().id;
      const start = Math.floor((Date.now() - 100 * MIN) / MIN) * MIN;
      const session = async (title: string, at: number) => {
        const a = (await staff.post('/api/activities', {
          orgId: org.community, kind: 'study', title, place: '党群服务中心', startsAt: iso(at), endsAt: iso(at + 120 * MIN), seriesId: sid,
          materials: [{ title: '学习讲义', url: 'https://example.org/jiangyi.pdf' }],
        })).json();
        return (await staff.post(`/api/activities/${a.id}/publish`, { version: a.version })).json();
      };
      // Two sessions under way (a session that has ended cannot be published any more), one next week.
      const s1 = await session('第一讲', start - 10 * MIN);
      const s2 = await session('第二讲', start);
      const s3 = await session('第三讲', Date.now() + 7 * 86_400_000);
      assert.deepEqual([s1.seriesId, s1.seriesTitle, s1.materials[0].title], [sid, '党的二十大精神学习', '学习讲义']);
      const a = await addResident();
      const b = await addResident();
      const signups: Record<string, { id: number; version: number }> = {};
      for (const [who, sessions] of [[a, [s1, s2, s3]], [b, [s1, s2]]] as const) {
        for (const s of sessions) signups[`${who}-${s.id}`] = (await staff.post(`/api/activities/${s.id}/signups`, { residentId: who })).json();
      }
      const mark = async (who: number, s: { id: number }, from: number) => {
        const su = signups[`${who}-${s.id}`]!;
        const res = await staff.patch(`/api/activities/${s.id}/signups/${su.id}/attendance`, { version: su.version, checkedInAt: iso(from), checkedOutAt: iso(from + 60 * MIN) });
        assert.equal(res.statusCode, 200, res.body);
      };
      await mark(a, s1, start - 10 * MIN);
      await mark(a, s2, start);
      await mark(b, s1, start - 10 * MIN);
      const res = await staff.get(`/api/class-series/${sid}/attendance`);
      assert.equal(res.statusCode, 200, res.body);
      const att = res.json();
      assert.deepEqual(att.sessions.map((x: { title: string; attended: number }) => [x.title, x.attended]), [['第一讲', 2], ['第二讲', 1], ['第三讲', 0]]);
      const rowOf = (id: number) => att.members.find((m: { residentId: number }) => m.residentId === id);
      assert.deepEqual([rowOf(a).marks, rowOf(a).attended, rowOf(a).rate], [['present', 'present', 'upcoming'], 2, 100]);
      assert.deepEqual([rowOf(b).marks, rowOf(b).attended, rowOf(b).rate], [['present', 'absent', 'none'], 1, 50]);
      assert.equal(att.series.sessions, 3);
      assert.equal((await otherStaff.get(`/api/class-series/${sid}/attendance`)).statusCode, 404);
      // A session runs inside the series' area; a series' team is one of the actor's area.
      const streetAdmin = await clientAs(env, 'admin', org.street);
      const s0 = Date.now() + 86_400_000;
      const outside = await streetAdmin.post('/api/activities', { orgId: org.street, kind: 'study', title: '街道课', place: 'x', startsAt: iso(s0), endsAt: iso(s0 + 3_600_000), seriesId: sid });
      assert.equal(outside.statusCode, 400, outside.body);
      const farTeam = (await otherStaff.post('/api/teams', { orgId: org.otherCommunity, kind: 'other', name: '外社区队' })).json();
      assert.equal((await staff.post('/api/class-series', { orgId: org.community, title: 'x', teamId: farTeam.id })).statusCode, 404);
      const far = (await otherStaff.post('/api/class-series', { orgId: org.otherCommunity, title: '外社区课程' })).json();
      const start2 = Date.now() + 86_400_000;
      const wrong = await staff.post('/api/activities', { orgId: org.community, kind: 'class', title: 'x', place: 'y', startsAt: iso(start2), endsAt: iso(start2 + MIN * 60), seriesId: far.id });
      assert.equal(wrong.statusCode, 404);
      assert.equal(s3.status, 'published');
    });

    it('confirms while places last, then keeps a waiting list in order; no one signs up twice', async () => {
      const a = await published({ capacity: 2 });
      const me = await residentClient();
      const self = await me.client.post(`/api/activities/${a.id}/signups`, {});
      assert.equal(self.statusCode, 201, self.body);
      assert.equal(self.json().status, 'confirmed');
      assert.equal(self.json().byProxy, false);
      const twice = await me.client.post(`/api/activities/${a.id}/signups`, {});
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().error.code, 'DUPLICATE');
      const proxy = await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() });
      assert.equal(proxy.json().status, 'confirmed');
      assert.equal(proxy.json().byProxy, true);
      const w1 = (await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() })).json();
      const w2 = (await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() })).json();
      assert.deepEqual([w1.status, w1.waitingPosition, w2.status, w2.waitingPosition], ['waiting', 1, 'waiting', 2]);
      const v = await activity(a.id);
      assert.deepEqual([v.confirmedCount, v.waitingCount], [2, 2]);
      // A resident sees only their own sign-up.
      const mine = (await me.client.get(`/api/activities/${a.id}/signups`)).json().items;
      assert.deepEqual(mine.map((s: { id: number }) => s.id), [self.json().id]);
      // Staff cannot sign up someone from outside their area (404), nor a resident of another community (409).
      const far = await otherStaff.post('/api/residents', { name: '外社区居民', orgId: org.otherMicroGrid });
      assert.equal((await staff.post(`/api/activities/${a.id}/signups`, { residentId: far.json().id })).statusCode, 404);
    });

    it('gives a freed place to the first person waiting and tells them', async () => {
      const a = await published({ capacity: 1 });
      const first = await residentClient();
      const second = await residentClient();
      const third = await residentClient();
      const s1 = (await first.client.post(`/api/activities/${a.id}/signups`, {})).json();
      const s2 = (await second.client.post(`/api/activities/${a.id}/signups`, {})).json();
      await third.client.post(`/api/activities/${a.id}/signups`, {});
      assert.equal(s2.status, 'waiting');
      const out = await first.client.post(`/api/activities/${a.id}/signups/${s1.id}/withdraw`);
      assert.equal(out.statusCode, 200, out.body);
      assert.equal(out.json().status, 'withdrawn');
      const rows = await signups(a.id);
      assert.deepEqual(rows.map((r) => r.status), ['confirmed', 'waiting', 'withdrawn']);
      assert.equal(rows[0].id, s2.id);
      assert.equal(rows[1].waitingPosition, 1);
      const v = await activity(a.id);
      assert.deepEqual([v.confirmedCount, v.waitingCount], [1, 1]);
      const told = await notificationsOf(second.accountId);
      assert.equal(told.length, 1);
      assert.equal(told[0]!.kind, 'signup_promoted');
      assert.equal(told[0]!.activity_id, a.id);
      // Withdrawing again is not a transition; another resident's sign-up is not theirs to withdraw.
      assert.equal((await first.client.post(`/api/activities/${a.id}/signups/${s1.id}/withdraw`)).statusCode, 409);
      assert.equal((await first.client.post(`/api/activities/${a.id}/signups/${s2.id}/withdraw`)).statusCode, 404);
      // Signing up again after withdrawing: at the end of the line.
      const back = await first.client.post(`/api/activities/${a.id}/signups`, {});
      assert.equal(back.statusCode, 201);
      assert.deepEqual([back.json().id, back.json().status, back.json().waitingPosition], [s1.id, 'waiting', 2]);
    });

    it('hands the last place to exactly one of many people signing up at once', async () => {
      const a = await published({ capacity: 3 });
      const ids = await Promise.all(Array.from({ length: 12 }, () => addResident()));
      const res = await Promise.all(ids.map((residentId) => staff.post(`/api/activities/${a.id}/signups`, { residentId })));
      assert.deepEqual(res.map((r) => r.statusCode), ids.map(() => 201));
      const statuses = res.map((r) => r.json().status);
      assert.equal(statuses.filter((s) => s === 'confirmed').length, 3);
      assert.equal(statuses.filter((s) => s === 'waiting').length, 9);
      const v = await activity(a.id);
      assert.deepEqual([v.confirmedCount, v.waitingCount], [3, 9]);
      // The same person twice at once: one sign-up, one 409.
      const one = await addResident();
      const pair = await Promise.all([0, 1].map(() => staff.post(`/api/activities/${a.id}/signups`, { residentId: one })));
      assert.deepEqual(pair.map((r) => r.statusCode).sort(), [201, 409]);
      assert.equal((await activity(a.id)).waitingCount, 10);
    });

    it('promotes on a larger capacity and refuses one below the people confirmed', async () => {
      const a = await published({ capacity: 1 });
      for (let i = 0; i < 3; i++) await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() });
      const bigger = await staff.patch(`/api/activities/${a.id}`, { version: (await activity(a.id)).version, capacity: 2 });
      assert.equal(bigger.statusCode, 200, bigger.body);
      assert.deepEqual([bigger.json().confirmedCount, bigger.json().waitingCount], [2, 1]);
      const smaller = await staff.patch(`/api/activities/${a.id}`, { version: bigger.json().version, capacity: 1 });
      assert.equal(smaller.statusCode, 409);
      const v = await activity(a.id);
      assert.deepEqual([v.capacity, v.version], [2, bigger.json().version]);
    });

    it('keeps to the audience and tells everyone of a change and of a cancellation', async () => {
      const a = await published({ capacity: 5, audience: 'volunteers' });
      const plain = await residentClient();
      const refused = await plain.client.post(`/api/activities/${a.id}/signups`, {});
      assert.equal(refused.statusCode, 409);
      const volunteer = await residentClient(['volunteer']);
      assert.equal((await volunteer.client.post(`/api/activities/${a.id}/signups`, {})).statusCode, 201);
      const moved = await staff.patch(`/api/activities/${a.id}`, { version: (await activity(a.id)).version, place: '竹辉社区活动室' });
      assert.equal(moved.statusCode, 200);
      const cancelled = await staff.post(`/api/activities/${a.id}/cancel`, { version: moved.json().version, reason: '台风天气' });
      assert.equal(cancelled.statusCode, 200);
      assert.equal(cancelled.json().cancelReason, '台风天气');
      const told = await notificationsOf(volunteer.accountId);
      assert.deepEqual(told.map((n) => n.kind), ['activity_changed', 'activity_cancelled']);
      assert.match(told[0]!.body!, /竹辉社区活动室/);
      assert.match(told[1]!.body!, /台风天气/);
      assert.equal((await volunteer.client.post(`/api/activities/${a.id}/signups`, {})).statusCode, 409);
      const audit = await env.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'activity').where('entity_id', '=', String(a.id)).orderBy('seq').execute();
      assert.deepEqual(audit.map((r) => r.action), ['activity.create', 'activity.publish', 'activity.update', 'activity.cancel']);
    });

    it('checks in and out by the rotating code, once, and refuses an old or foreign code', async () => {
      const a = await published({ capacity: 5, startIn: -30, length: 120 });
      const me = await residentClient();
      await me.client.post(`/api/activities/${a.id}/signups`, {});
      const code = await staff.get(`/api/activities/${a.id}/check-in-code?direction=in`);
      assert.equal(code.statusCode, 200, code.body);
      const { token, url, refreshInSeconds } = code.json();
      assert.ok(refreshInSeconds >= 1 && refreshInSeconds <= WINDOW_SECONDS);
      assert.match(url, new RegExp(`^/m/activities/${a.id}/scan\\?d=in&t=`));
      const first = await me.client.post(`/api/activities/${a.id}/scan/in`, { token });
      assert.equal(first.statusCode, 200, first.body);
      const checkedIn = first.json().checkedInAt;
      assert.ok(checkedIn);
      const second = await me.client.post(`/api/activities/${a.id}/scan/in`, { token });
      assert.equal(second.json().checkedInAt, checkedIn, 'a second scan changes nothing');
      // Someone has checked in: the time and the rules no longer change (the place still may).
      const v = (await activity(a.id)).version;
      const moved = await staff.patch(`/api/activities/${a.id}`, { version: v, startsAt: iso(Date.now() - 20 * MIN) });
      assert.equal(moved.statusCode, 409);
      assert.equal((await staff.patch(`/api/activities/${a.id}`, { version: v, place: '竹辉新村11幢门口' })).statusCode, 200);
      // A photo of the screen from two windows ago, a code for check-out used to check in, another activity's code.
      const codes = new CheckInCodes(env.ctx.config.encryptionKey);
      const old = codes.issue(a.id, 'out', Date.now() - 2 * WINDOW_SECONDS * 1000 - 1000).token;
      for (const [path, t] of [['out', old], ['in', codes.issue(a.id, 'out', Date.now()).token], ['in', codes.issue(a.id + 1, 'in', Date.now()).token], ['in', 'garbage']]) {
        const res = await me.client.post(`/api/activities/${a.id}/scan/${path}`, { token: t });
        assert.equal(res.statusCode, 400, `${path} ${t}`);
        assert.equal(res.json().error.code, 'QR_EXPIRED');
      }
      // Someone not signed up cannot check in; staff cannot scan for themselves.
      const stranger = await residentClient();
      assert.equal((await stranger.client.post(`/api/activities/${a.id}/scan/in`, { token })).statusCode, 409);
      assert.equal((await staff.post(`/api/activities/${a.id}/scan/in`, { token })).statusCode, 403);
      const outCode = (await staff.get(`/api/activities/${a.id}/check-in-code?direction=out`)).json().token;
      const out = await me.client.post(`/api/activities/${a.id}/scan/out`, { token: outCode });
      assert.equal(out.statusCode, 200, out.body);
      // Checked in and out within seconds of 2 hours: under the 60 % share, no minutes.
      assert.equal(out.json().computedMinutes, 0);
      // Withdrawing after checking in is refused.
      assert.equal((await me.client.post(`/api/activities/${a.id}/signups/${out.json().id}/withdraw`)).statusCode, 409);
    });

    it('records attendance by hand, computes the minutes, and certifies them with corrections audited', async () => {
      const a = await published({ capacity: 5, startIn: -100, length: 120, rules: { minSharePercent: 50, capMinutes: 90 } });
      const sid = (await staff.post(`/api/activities/${a.id}/signups`, { residentId: await addResident() })).json();
      const start = Date.parse((await activity(a.id)).startsAt);
      // Arrived 10 minutes early (not service), left after 95 minutes: 95 served, capped at 90.
      const marked = await staff.patch(`/api/activities/${a.id}/signups/${sid.id}/attendance`, {
        version: sid.version, checkedInAt: iso(start - 10 * MIN), checkedOutAt: iso(start + 95 * MIN),
      });
      assert.equal(marked.statusCode, 200, marked.body);
      assert.equal(marked.json().computedMinutes, 90);
      const noReason = await staff.post(`/api/activities/${a.id}/signups/${sid.id}/confirm`, { version: marked.json().version, minutes: 80 });
      assert.equal(noReason.statusCode, 400);
      const confirmed = await staff.post(`/api/activities/${a.id}/signups/${sid.id}/confirm`, { version: marked.json().version });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().confirmedMinutes, 90);
      const corrected = await staff.post(`/api/activities/${a.id}/signups/${sid.id}/confirm`, {
        version: confirmed.json().version, minutes: 75, reason: '中途离开 15 分钟',
      });
      assert.equal(corrected.statusCode, 200, corrected.body);
      assert.deepEqual([corrected.json().confirmedMinutes, corrected.json().correctionReason], [75, '中途离开 15 分钟']);
      const audit = await env.ctx.db
        .selectFrom('audit_log').select(['action']).where('entity_type', '=', 'activity_signup').where('entity_id', '=', String(sid.id)).orderBy('seq').execute();
      assert.deepEqual(audit.map((r) => r.action), ['activity.signup', 'activity.attendance', 'activity.service.confirm', 'activity.service.correct']);
      // A stale version is a 409; the certified minutes stay.
      const stale = await staff.post(`/api/activities/${a.id}/signups/${sid.id}/confirm`, { version: confirmed.json().version, minutes: 10, reason: 'x' });
      assert.equal(stale.statusCode, 409);
      assert.equal((await signups(a.id))[0].confirmedMinutes, 75);
      // Certified minutes: the activity can no longer be cancelled (that would drop hours whose points stay).
      const cancel = await staff.post(`/api/activities/${a.id}/cancel`, { version: (await activity(a.id)).version, reason: '误建' });
      assert.equal(cancel.statusCode, 409);
      // Finishing it; then it is over.
      const done = await staff.post(`/api/activities/${a.id}/finish`, { version: (await activity(a.id)).version });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((await staff.post(`/api/activities/${a.id}/cancel`, { version: done.json().version, reason: 'x' })).statusCode, 409);
    });
  });
}
