import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { auditActions, insertOrgNode, insertResident, residentTags } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`team routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let grids: number[];
    let vanguard: number;
    let volunteers: number;

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      grids = [org.grid];
      for (const name of ['第二网格', '第三网格', '第四网格']) grids.push(await insertOrgNode(env.ctx, org.community, 'grid', name));
      staff = await clientAs(env, 'community_staff', org.community);
    });
    after(() => env.close());

    it('creates teams on a community only', async () => {
      const v = await staff.post('/api/teams', { orgId: org.community, kind: 'vanguard', name: '海棠先锋', description: '16 人先锋队伍' });
      assert.equal(v.statusCode, 201, v.body);
      vanguard = v.json().id;
      assert.deepEqual(
        { ...(v.json() as object), id: 0 },
        { id: 0, orgId: org.community, orgName: '竹辉社区', kind: 'vanguard', name: '海棠先锋', description: '16 人先锋队伍', memberCount: 0, leaderName: null, status: 'active', version: 1 },
      );
      const vol = await staff.post('/api/teams', { orgId: org.community, kind: 'volunteer', name: '楼嫂志愿服务队' });
      assert.equal(vol.statusCode, 201);
      volunteers = vol.json().id;
      const onGrid = await staff.post('/api/teams', { orgId: org.grid, kind: 'other', name: 'x' });
      assert.equal(onGrid.statusCode, 400);
      assert.equal(onGrid.json().error.code, 'VALIDATION_FAILED');
      const same = await staff.post('/api/teams', { orgId: org.community, kind: 'volunteer', name: '楼嫂志愿服务队' });
      assert.equal(same.statusCode, 409);
      assert.equal(same.json().error.code, 'DUPLICATE');
      const badKind = await staff.post('/api/teams', { orgId: org.community, kind: 'choir', name: 'y' });
      assert.equal(badKind.statusCode, 400);
      assert.deepEqual(await auditActions(env.ctx, 'team', vanguard), ['team.create']);
    });

    it('fills the 16-person vanguard, four per grid, with a leader', async () => {
      for (let i = 0; i < 16; i++) {
        const resident = await insertResident(env.ctx, org.microGrid, `先锋${i + 1}号`);
        const res = await staff.post(`/api/teams/${vanguard}/members`, {
          residentId: resident,
          role: i === 0 ? 'leader' : 'member',
          gridId: grids[i % 4],
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      const detail = await staff.get(`/api/teams/${vanguard}`);
      assert.equal(detail.statusCode, 200);
      const team = detail.json();
      assert.equal(team.memberCount, 16);
      assert.equal(team.leaderName, '先锋1号');
      assert.equal(team.members.length, 16);
      assert.equal(team.members[0].role, 'leader', 'leaders first');
      const perGrid = new Map<number, number>();
      for (const m of team.members) perGrid.set(m.gridId, (perGrid.get(m.gridId) ?? 0) + 1);
      assert.deepEqual([...perGrid.values()], [4, 4, 4, 4]);
      assert.equal(team.members.find((m: { name: string }) => m.name === '先锋2号').gridName, '第二网格');
      assert.doesNotMatch(detail.body, /139\d{8}|phone|idNumber/, 'no personal number of a member leaves the server');
      const list = (await staff.get('/api/teams?kind=vanguard')).json().items;
      assert.deepEqual(list.map((t: { name: string; memberCount: number }) => [t.name, t.memberCount]), [['海棠先锋', 16]]);
      // vanguard members are not tagged volunteer by joining
      const first = team.members[0].residentId;
      assert.deepEqual((await residentTags(env.ctx, first)).json, []);
    });

    it('tags volunteer-team members volunteer, in the JSON and the tag rows', async () => {
      const resident = await insertResident(env.ctx, org.microGrid, '楼嫂张', { tags: ['elderly'] });
      const before = await residentTags(env.ctx, resident);
      const res = await staff.post(`/api/teams/${volunteers}/members`, { residentId: resident });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json(), { residentId: resident, name: '楼嫂张', role: 'member', gridId: null, gridName: null, joinedAt: res.json().joinedAt });
      const after = await residentTags(env.ctx, resident);
      assert.deepEqual(after.json, ['elderly', 'volunteer']);
      assert.deepEqual(after.rows, ['elderly', 'volunteer']);
      assert.equal(after.version, before.version + 1);
      assert.deepEqual(await auditActions(env.ctx, 'resident', resident), ['resident.tag']);

      const dup = await staff.post(`/api/teams/${volunteers}/members`, { residentId: resident, role: 'leader' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'DUPLICATE');

      // a team that becomes a volunteer team tags its members
      const other = (await staff.post('/api/teams', { orgId: org.community, kind: 'other', name: '文化惠民服务队' })).json();
      const singer = await insertResident(env.ctx, org.microGrid, '唱评弹的');
      assert.equal((await staff.post(`/api/teams/${other.id}/members`, { residentId: singer })).statusCode, 201);
      assert.deepEqual((await residentTags(env.ctx, singer)).json, []);
      const changed = await staff.patch(`/api/teams/${other.id}`, { version: other.version, kind: 'volunteer' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual((await residentTags(env.ctx, singer)).rows, ['volunteer']);
    });

    it('checks the member’s grid: a grid of the team’s community, in scope', async () => {
      const resident = await insertResident(env.ctx, org.microGrid, '网格员甲');
      const micro = await staff.post(`/api/teams/${vanguard}/members`, { residentId: resident, gridId: org.microGrid });
      assert.equal(micro.statusCode, 400);
      assert.equal(micro.json().error.code, 'VALIDATION_FAILED');
      const outOfScope = await staff.post(`/api/teams/${vanguard}/members`, { residentId: resident, gridId: org.otherGrid });
      assert.equal(outOfScope.statusCode, 404);
      const admin = await clientAs(env, 'admin', org.district);
      const otherCommunity = await admin.post(`/api/teams/${vanguard}/members`, { residentId: resident, gridId: org.otherGrid });
      assert.equal(otherCommunity.statusCode, 400);
      assert.equal(otherCommunity.json().error.code, 'VALIDATION_FAILED');
      const outsider = await insertResident(env.ctx, org.otherMicroGrid, '外社区居民');
      assert.equal((await staff.post(`/api/teams/${vanguard}/members`, { residentId: outsider })).statusCode, 404);
      assert.equal((await staff.post(`/api/teams/${vanguard}/members`, { residentId: 999_999 })).statusCode, 404);
    });

    it('changes and removes members', async () => {
      const team = (await staff.get(`/api/teams/${vanguard}`)).json();
      const m = team.members.find((x: { name: string }) => x.name === '先锋2号');
      const up = await staff.patch(`/api/teams/${vanguard}/members/${m.residentId}`, { role: 'leader', gridId: grids[3] });
      assert.equal(up.statusCode, 200, up.body);
      assert.equal(up.json().role, 'leader');
      assert.equal(up.json().gridName, '第四网格');
      const clear = await staff.patch(`/api/teams/${vanguard}/members/${m.residentId}`, { gridId: null });
      assert.equal(clear.statusCode, 200, clear.body);
      assert.equal(clear.json().gridId, null);
      assert.equal((await staff.delete(`/api/teams/${vanguard}/members/${m.residentId}`)).statusCode, 204);
      assert.equal((await staff.get(`/api/teams/${vanguard}`)).json().memberCount, 15);
      assert.equal((await staff.delete(`/api/teams/${vanguard}/members/${m.residentId}`)).statusCode, 404);
      assert.equal((await staff.patch(`/api/teams/${vanguard}/members/${m.residentId}`, { role: 'member' })).statusCode, 404);
      const actions = await auditActions(env.ctx, 'team', vanguard);
      assert.ok(['team.member.add', 'team.member.update', 'team.member.remove'].every((a) => actions.includes(a)), actions.join());
    });

    it('updates with optimistic concurrency and retires', async () => {
      const t = (await staff.get(`/api/teams/${volunteers}`)).json();
      const ok = await staff.patch(`/api/teams/${volunteers}`, { version: t.version, description: '陪聊、义诊' });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().version, t.version + 1);
      const stale = await staff.patch(`/api/teams/${volunteers}`, { version: t.version, name: '旧' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const retired = await staff.patch(`/api/teams/${volunteers}`, { version: ok.json().version, status: 'retired' });
      assert.equal(retired.json().status, 'retired');
      const resident = await insertResident(env.ctx, org.microGrid, '晚来的');
      const late = await staff.post(`/api/teams/${volunteers}/members`, { residentId: resident });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, 'CONFLICT');
    });

    it('hides other communities’ teams (404) and checks permissions (403)', async () => {
      const other = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await other.get(`/api/teams/${vanguard}`)).statusCode, 404);
      assert.equal((await other.patch(`/api/teams/${vanguard}`, { version: 1, name: 'x' })).statusCode, 404);
      assert.equal((await other.delete(`/api/teams/${vanguard}/members/1`)).statusCode, 404);
      assert.equal((await other.get('/api/teams')).json().items.length, 0);
      assert.equal((await other.post('/api/teams', { orgId: org.community, kind: 'other', name: 'x' })).statusCode, 404);

      const worker = await clientAs(env, 'grid_worker', org.grid);
      assert.equal((await worker.get('/api/teams')).statusCode, 200);
      assert.equal((await worker.post('/api/teams', { orgId: org.community, kind: 'other', name: 'x' })).statusCode, 403);
      const resident = await insertResident(env.ctx, org.microGrid, '某某');
      assert.equal((await worker.post(`/api/teams/${vanguard}/members`, { residentId: resident })).statusCode, 403);

      const handler = await clientAs(env, 'department_handler', org.department);
      assert.equal((await handler.get('/api/teams')).statusCode, 403);
      assert.equal((await handler.get(`/api/teams/${vanguard}`)).statusCode, 403);

      const leader = await clientAs(env, 'street_leader', org.street);
      assert.equal((await leader.get('/api/teams')).json().items.length, 3);
      assert.equal((await leader.patch(`/api/teams/${vanguard}`, { version: 1, name: 'x' })).statusCode, 403);
    });
  });
}
