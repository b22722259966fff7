import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createAccount, createOrgTree, login, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertTeam } from '../../../test/people.js';
import { remindDueClaims } from './wish.service.js';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const DAY = 86_400_000;

for (const dialect of await testDialects()) {
  describe(`wish box (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let otherStaff: Client;
    let teamId: number;

    async function residentClient(name: string, orgId = org.microGrid): Promise<{ id: number; client: Client; accountId: number }> {
      const author = orgId === org.otherMicroGrid ? otherStaff : staff;
      const res = await author.post('/api/residents', { name, orgId });
      assert.equal(res.statusCode, 201, res.body);
      const acc = await createAccount(env.ctx, 'resident', orgId);
      await env.ctx.db.updateTable('accounts').set({ resident_id: res.json().id }).where('id', '=', acc.id).execute();
      return { id: res.json().id, client: await login(env.app, acc.username, acc.password), accountId: acc.id };
    }

    /** A wish recorded from a card, verified and published. */
    async function published(content: string, name = '王秀兰') {
      const w = (await staff.post('/api/wishes', { orgId: org.microGrid, channel: 'card', wisherName: name, content })).json();
      const v = (await staff.post(`/api/wishes/${w.id}/verify`, { version: w.version, approve: true })).json();
      const p = await staff.post(`/api/wishes/${w.id}/publish`, { version: v.version });
      assert.equal(p.statusCode, 200, p.body);
      return p.json();
    }

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      otherStaff = await clientAs(env, 'community_staff', org.otherCommunity);
      teamId = await insertTeam(env.ctx, org.community, '楼嫂志愿服务队');
    });
    after(() => env.close());

    it('publishes only the surname and the wish', async () => {
      const w = await published('想要一台收音机听评弹');
      assert.equal(w.status, 'published');
      const pub = await env.app.inject({ method: 'GET', url: `/api/public/wishes?communityId=${org.community}` });
      assert.equal(pub.statusCode, 200);
      const item = pub.json().items.find((x: { id: number }) => x.id === w.id);
      assert.deepEqual([item.publicName, item.content, item.communityName, item.priority], ['王**', '想要一台收音机听评弹', '竹辉社区', 0]);
      assert.ok(!pub.body.includes('秀兰'), 'no full name in public');
      assert.equal((await env.app.inject({ method: 'GET', url: `/api/public/wishes?communityId=${org.otherCommunity}` })).json().items.length, 0);
    });

    it('takes wishes online from residents and lets staff turn one down with a reason', async () => {
      const me = await residentClient('赵桂英');
      const made = await me.client.post('/api/wishes/mine', { content: '希望有人教我用智能手机' });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual([made.json().status, made.json().channel], ['collected', 'online']);
      const noReason = await staff.post(`/api/wishes/${made.json().id}/verify`, { version: made.json().version, approve: false });
      assert.equal(noReason.statusCode, 400);
      const rejected = await staff.post(`/api/wishes/${made.json().id}/verify`, { version: made.json().version, approve: false, reason: '已由社区直接解决' });
      assert.equal(rejected.json().status, 'rejected');
      const mine = (await me.client.get('/api/wishes/mine')).json().items;
      assert.deepEqual(mine.map((w: { status: string; rejectReason: string }) => [w.status, w.rejectReason]), [['rejected', '已由社区直接解决']]);
      // Not a transition from there; other staff cannot see it.
      assert.equal((await staff.post(`/api/wishes/${made.json().id}/publish`, { version: rejected.json().version })).statusCode, 409);
      assert.equal((await otherStaff.post(`/api/wishes/${made.json().id}/publish`, { version: rejected.json().version })).statusCode, 404);
    });

    it('claims several wishes in one claim, and only once each even when two claim at once', async () => {
      const a = await published('轮椅一辆');
      const b = await published('老花镜一副');
      const claimed = await staff.post('/api/wish-claims', { wishIds: [a.id, b.id], claimantKind: 'team', teamId });
      assert.equal(claimed.statusCode, 201, claimed.body);
      const items = claimed.json().items;
      assert.deepEqual(items.map((w: { status: string }) => w.status), ['claimed', 'claimed']);
      assert.equal(items[0].claimId, items[1].claimId);
      assert.equal(items[0].claimantName, '楼嫂志愿服务队');
      const c = await published('助听器电池');
      const race = await Promise.all([
        staff.post('/api/wish-claims', { wishIds: [c.id], claimantKind: 'team', teamId }),
        staff.post('/api/wish-claims', { wishIds: [c.id], claimantKind: 'team', teamId }),
      ]);
      assert.deepEqual(race.map((r) => r.statusCode).sort(), [201, 409]);
      const claims = await env.ctx.db.selectFrom('wishes').select('claim_id').where('id', '=', c.id).executeTakeFirstOrThrow();
      const orphan = await env.ctx.db.selectFrom('wish_claims as k').select('k.id').where((eb) => eb.not(eb.exists(eb.selectFrom('wishes as w').select('w.id').whereRef('w.claim_id', '=', 'k.id')))).execute();
      assert.ok(claims.claim_id);
      assert.deepEqual(orphan, [], 'the losing claim left nothing behind');
      // A claim that mixes an open wish with a claimed one claims neither.
      const d = await published('一袋大米');
      assert.equal((await staff.post('/api/wish-claims', { wishIds: [d.id, a.id], claimantKind: 'team', teamId })).statusCode, 409);
      assert.equal((await staff.get('/api/wishes?status=published')).json().items.some((w: { id: number }) => w.id === d.id), true);
    });

    it('lets a resident claim a wish of their own community only', async () => {
      const w = await published('陪我去医院复查');
      const volunteer = await residentClient('孙志强');
      const far = await residentClient('外社区居民乙', org.otherMicroGrid);
      assert.equal((await far.client.post('/api/wish-claims', { wishIds: [w.id] })).statusCode, 404);
      const mine = await volunteer.client.post('/api/wish-claims', { wishIds: [w.id] });
      assert.equal(mine.statusCode, 201, mine.body);
      assert.equal(mine.json().items[0].claimantName, '孙志强');
      assert.equal(mine.json().items[0].wisherName, '王**', 'the wisher stays as private as on the public page');
      // A wish not published yet is not theirs to see (404), and nobody claims their own.
      const hidden = (await staff.post('/api/wishes', { orgId: org.microGrid, channel: 'box', wisherName: '某居民', content: '未核实的心愿' })).json();
      assert.equal((await volunteer.client.post('/api/wish-claims', { wishIds: [hidden.id] })).statusCode, 404);
      const own = (await volunteer.client.post('/api/wishes/mine', { content: '我自己的心愿' })).json();
      const v = (await staff.post(`/api/wishes/${own.id}/verify`, { version: own.version, approve: true })).json();
      await staff.post(`/api/wishes/${own.id}/publish`, { version: v.version });
      assert.equal((await volunteer.client.post('/api/wish-claims', { wishIds: [own.id] })).statusCode, 409);
      const told = await env.ctx.db.selectFrom('notifications').select(['kind', 'wish_id']).where('account_id', '=', volunteer.accountId).execute();
      assert.deepEqual(told, [{ kind: 'wish_claimed', wish_id: w.id }]);
    });

    it('goes contact → fulfilled with a photo → thanked, in that order only', async () => {
      const wisher = await residentClient('周阿婆');
      const w = (await staff.post('/api/wishes', { orgId: org.microGrid, channel: 'visit', residentId: wisher.id, content: '想拍一张全家福' })).json();
      const v = (await staff.post(`/api/wishes/${w.id}/verify`, { version: w.version, approve: true })).json();
      const p = (await staff.post(`/api/wishes/${w.id}/publish`, { version: v.version })).json();
      assert.equal((await staff.post(`/api/wishes/${w.id}/fulfil`, { version: p.version, note: 'x', photos: [{ name: 'a.png', dataUrl: PNG }] })).statusCode, 409);
      const claim = (await staff.post('/api/wish-claims', { wishIds: [w.id], claimantKind: 'team', teamId })).json().items[0];
      const contacted = (await staff.post(`/api/wishes/${w.id}/contact`, { version: claim.version })).json();
      assert.equal(contacted.status, 'contacted');
      const noPhoto = await staff.post(`/api/wishes/${w.id}/fulfil`, { version: contacted.version, note: '已拍摄', photos: [] });
      assert.equal(noPhoto.statusCode, 400);
      const done = await staff.post(`/api/wishes/${w.id}/fulfil`, { version: contacted.version, note: '志愿者上门拍摄并冲印', photos: [{ name: '全家福.png', dataUrl: PNG }] });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().photoIds.length, 1);
      const photoUrl = `/api/wishes/${w.id}/photos/${done.json().photoIds[0]}`;
      assert.equal((await staff.get(photoUrl)).headers['content-type'], 'image/png');
      assert.equal((await wisher.client.get(photoUrl)).statusCode, 200);
      assert.equal((await otherStaff.get(photoUrl)).statusCode, 404);
      const thanked = await staff.post(`/api/wishes/${w.id}/thank`, { version: done.json().version, note: '周阿婆送来感谢信' });
      assert.equal(thanked.json().status, 'thanked');
      const audit = await env.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'wish').where('entity_id', '=', String(w.id)).orderBy('seq').execute();
      assert.deepEqual(audit.map((r) => r.action), ['wish.create', 'wish.verify', 'wish.publish', 'wish.contact', 'wish.fulfil', 'wish.thank']);
    });

    it('reminds once before the 7-day contact deadline and flags an overdue claim', async () => {
      const w = await published('修一下门口的台阶');
      const claim = (await staff.post('/api/wish-claims', { wishIds: [w.id], claimantKind: 'team', teamId })).json().items[0];
      assert.equal(await remindDueClaims(env.ctx.db, Date.now() + 2 * DAY), 0, 'not yet');
      // This claim and the earlier tests' claims still waiting for contact.
      const waiting = await env.ctx.db.selectFrom('wishes').select((eb) => eb.fn.count<number>('claim_id').distinct().as('n')).where('status', '=', 'claimed').executeTakeFirstOrThrow();
      assert.equal(await remindDueClaims(env.ctx.db, Date.now() + 6 * DAY), Number(waiting.n));
      assert.equal(await remindDueClaims(env.ctx.db, Date.now() + 6 * DAY), 0, 'once');
      const mine = await env.ctx.db.selectFrom('wish_claims').select('reminded_at').where('id', '=', claim.claimId).executeTakeFirstOrThrow();
      assert.ok(mine.reminded_at);
      const told = await env.ctx.db.selectFrom('notifications').select('kind').where('wish_id', '=', w.id).orderBy('id').execute();
      assert.deepEqual(told.map((n) => n.kind), ['wish_claimed', 'wish_contact_due']);
      await env.ctx.db.updateTable('wish_claims').set({ contact_due_at: new Date(Date.now() - DAY).toISOString() }).where('id', '=', claim.claimId).execute();
      const listed = (await staff.get('/api/wishes?status=claimed')).json().items.find((x: { id: number }) => x.id === w.id);
      assert.equal(listed.contactOverdue, true);
    });

    it('rolls unclaimed wishes over: the longer one waits, the higher it goes', async () => {
      const old = await published('冬天的棉被');
      await env.ctx.db.updateTable('wishes').set({ published_at: new Date(Date.now() - 65 * DAY).toISOString() }).where('id', '=', old.id).execute();
      const pub = (await env.app.inject({ method: 'GET', url: `/api/public/wishes?communityId=${org.community}` })).json().items;
      assert.deepEqual([pub[0].id, pub[0].priority], [old.id, 2]);
      assert.equal((await staff.get('/api/wishes?status=published')).json().items[0].id, old.id);
    });

    it('answers the roles: 403 without the right, 404 outside', async () => {
      const dept = await clientAs(env, 'department_handler', org.department);
      const resident = await residentClient('钱阿姨');
      for (const [client, url, method, want] of [
        [dept, '/api/wishes', 'GET', 403],
        [resident.client, '/api/wishes', 'GET', 403],
        [dept, '/api/wishes/mine', 'GET', 403],
        [staff, '/api/wishes/mine', 'GET', 403],
        [dept, '/api/wish-claims', 'POST', 403],
        [otherStaff, '/api/wishes?orgId=' + org.community, 'GET', 404],
      ] as const) {
        const res = method === 'GET' ? await client.get(url) : await client.post(url, { wishIds: [1] });
        assert.equal(res.statusCode, want, `${url}: ${res.body}`);
      }
      assert.equal((await otherStaff.get('/api/wishes')).json().items.length, 0);
    });
  });
}
