import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { auditActions, insertHousehold, insertOrgNode, insertResident, residentTags } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`party routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let grid2: number;
    let grid2Micro: number;
    let household: number;
    let household2: number;
    let committee: number;
    let branch: number;

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      grid2 = await insertOrgNode(env.ctx, org.community, 'grid', '第二网格');
      grid2Micro = await insertOrgNode(env.ctx, grid2, 'micro_grid', '第二网格微网格');
      household = await insertHousehold(env.ctx, org.microGrid, '竹辉新村11幢101室');
      household2 = await insertHousehold(env.ctx, grid2Micro, '竹辉新村17幢202室');
      staff = await clientAs(env, 'community_staff', org.community);
    });
    after(() => env.close());

    it('builds the chain 社区大党委 → 网格党支部 → 党员中心户 and a 行动支部', async () => {
      const c = await staff.post('/api/party/orgs', { kind: 'community_committee', name: '竹辉社区大党委', orgId: org.community });
      assert.equal(c.statusCode, 201, c.body);
      committee = c.json().id;
      assert.equal(c.json().orgName, '竹辉社区');
      assert.equal(c.json().parentId, null);

      const b = await staff.post('/api/party/orgs', { kind: 'grid_branch', name: '第一网格党支部', parentId: committee, orgId: org.grid });
      assert.equal(b.statusCode, 201, b.body);
      branch = b.json().id;
      assert.equal(b.json().parentId, committee);

      const h = await staff.post('/api/party/orgs', { kind: 'center_household', name: '11幢党员中心户', parentId: branch, householdId: household });
      assert.equal(h.statusCode, 201, h.body);
      assert.equal(h.json().orgId, org.microGrid, 'a centre household hangs on its household’s micro-grid');
      assert.equal(h.json().householdLabel, '竹辉新村11幢101室');

      const a = await staff.post('/api/party/orgs', { kind: 'action_branch', name: '微党课', parentId: committee });
      assert.equal(a.statusCode, 201, a.body);
      assert.equal(a.json().orgId, org.community, 'an action branch defaults to its committee’s community');

      const secretary = await insertResident(env.ctx, org.microGrid, '陈书记');
      const z = await staff.post('/api/party/orgs', { kind: 'action_branch', name: '竹韵家园', parentId: committee, secretaryResidentId: secretary });
      assert.equal(z.statusCode, 201, z.body);
      assert.deepEqual([z.json().secretaryName, z.json().memberCount, z.json().version], ['陈书记', 1, 1]);
      assert.deepEqual((await residentTags(env.ctx, secretary)).rows, ['party_member']);
      const zMembers = (await staff.get(`/api/party/orgs/${z.json().id}/members`)).json().items;
      assert.deepEqual(zMembers.map((m: { role: string }) => m.role), ['secretary']);

      const list = await staff.get('/api/party/orgs');
      assert.equal(list.statusCode, 200);
      const items = list.json().items as { kind: string; memberCount: number; version: number }[];
      assert.deepEqual(items.map((i) => i.kind), ['community_committee', 'grid_branch', 'center_household', 'action_branch', 'action_branch']);
      assert.ok(items.every((i) => i.version === 1));
      assert.deepEqual(items.map((i) => i.memberCount), [0, 0, 0, 0, 1]);
      assert.deepEqual(await auditActions(env.ctx, 'party_org', committee), ['party.org.create']);
    });

    it('enforces the kind rules of the chain', async () => {
      const cases: [object, number, string][] = [
        // a branch under a branch
        [{ kind: 'grid_branch', name: 'x', parentId: branch, orgId: grid2 }, 400, 'INVALID_MOVE'],
        // a branch on a community instead of a grid
        [{ kind: 'grid_branch', name: 'x', parentId: committee, orgId: org.community }, 400, 'VALIDATION_FAILED'],
        // a branch without a parent
        [{ kind: 'grid_branch', name: 'x', orgId: grid2 }, 400, 'VALIDATION_FAILED'],
        // a centre household directly under the committee
        [{ kind: 'center_household', name: 'x', parentId: committee, householdId: household2 }, 400, 'INVALID_MOVE'],
        // a centre household whose household lies in another grid than its branch
        [{ kind: 'center_household', name: 'x', parentId: branch, householdId: household2 }, 400, 'INVALID_MOVE'],
        // a committee with a parent
        [{ kind: 'community_committee', name: 'x', parentId: committee, orgId: org.community }, 400, 'INVALID_MOVE'],
        // an action branch under a grid branch
        [{ kind: 'action_branch', name: 'x', parentId: branch }, 400, 'INVALID_MOVE'],
        // a second committee for the same community, a second branch for the same grid
        [{ kind: 'community_committee', name: 'x', orgId: org.community }, 409, 'DUPLICATE'],
        [{ kind: 'grid_branch', name: 'x', parentId: committee, orgId: org.grid }, 409, 'DUPLICATE'],
        // a committee on a grid
        [{ kind: 'community_committee', name: 'x', orgId: grid2 }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const res = await staff.post('/api/party/orgs', body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
        assert.equal(res.json().error.code, code, JSON.stringify(body));
      }
      // a grid of another community under this committee (an admin sees both communities)
      const admin = await clientAs(env, 'admin', org.district);
      const res = await admin.post('/api/party/orgs', { kind: 'grid_branch', name: 'x', parentId: committee, orgId: org.otherGrid });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'INVALID_MOVE');
    });

    it('hides other communities’ organisations (404) and checks permissions (403)', async () => {
      const other = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await other.get(`/api/party/orgs/${committee}`)).statusCode, 404);
      assert.equal((await other.get(`/api/party/orgs/${committee}/members`)).statusCode, 404);
      assert.equal((await other.patch(`/api/party/orgs/${committee}`, { version: 1, name: 'x' })).statusCode, 404);
      assert.equal((await other.get('/api/party/orgs')).json().items.length, 0);
      const outsider = await insertResident(env.ctx, org.otherMicroGrid, '外社区居民');
      const res = await staff.post(`/api/party/orgs/${committee}/members`, { residentId: outsider });
      assert.equal(res.statusCode, 404, 'a resident outside scope is not found');
      // under another community's committee
      const otherCommittee = await other.post('/api/party/orgs', { kind: 'community_committee', name: '绿色时光党委', orgId: org.otherCommunity });
      assert.equal(otherCommittee.statusCode, 201);
      const cross = await staff.post('/api/party/orgs', { kind: 'action_branch', name: 'x', parentId: otherCommittee.json().id });
      assert.equal(cross.statusCode, 404);

      const worker = await clientAs(env, 'grid_worker', org.grid);
      const seen = (await worker.get('/api/party/orgs')).json().items.map((i: { kind: string }) => i.kind);
      assert.deepEqual(seen, ['grid_branch', 'center_household'], 'a grid worker sees the chain inside their grid');
      assert.equal((await worker.post('/api/party/orgs', { kind: 'action_branch', name: 'x', parentId: committee })).statusCode, 403);
      const someone = await insertResident(env.ctx, org.microGrid, '李四');
      assert.equal((await worker.post(`/api/party/orgs/${branch}/members`, { residentId: someone })).statusCode, 403);
      assert.equal((await worker.patch(`/api/party/orgs/${branch}`, { version: 1, name: 'x' })).statusCode, 403);

      const handler = await clientAs(env, 'department_handler', org.department);
      assert.equal((await handler.get('/api/party/orgs')).statusCode, 403);
      assert.equal((await handler.get('/api/party/coverage')).statusCode, 403);
      assert.equal((await handler.get(`/api/party/orgs/${branch}`)).statusCode, 403);
    });

    it('updates with optimistic concurrency', async () => {
      const ok = await staff.patch(`/api/party/orgs/${branch}`, { version: 1, name: '第一网格党支部(竹辉)', description: '4 个微网格' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().version, 2);
      const stale = await staff.patch(`/api/party/orgs/${branch}`, { version: 1, name: '旧名' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      assert.equal((await staff.get(`/api/party/orgs/${branch}`)).json().name, '第一网格党支部(竹辉)');
      // a committee with active children cannot be retired
      const c = (await staff.get(`/api/party/orgs/${committee}`)).json();
      const retire = await staff.patch(`/api/party/orgs/${committee}`, { version: c.version, status: 'retired' });
      assert.equal(retire.statusCode, 409);
      assert.equal(retire.json().error.code, 'CONFLICT');
    });

    it('adds members, tags them party_member in both places, and keeps one secretary', async () => {
      const wang = await insertResident(env.ctx, org.microGrid, '王建国', { householdId: household, tags: ['elderly'] });
      const zhao = await insertResident(env.ctx, org.microGrid, '赵红梅');
      const before = await residentTags(env.ctx, wang);

      const add = await staff.post(`/api/party/orgs/${branch}/members`, { residentId: wang });
      assert.equal(add.statusCode, 201, add.body);
      assert.deepEqual(add.json(), { residentId: wang, name: '王建国', role: 'member', joinedAt: add.json().joinedAt });
      const tagged = await residentTags(env.ctx, wang);
      assert.deepEqual(tagged.json, ['elderly', 'party_member']);
      assert.deepEqual(tagged.rows, ['elderly', 'party_member']);
      assert.equal(tagged.version, before.version + 1, 'the resident’s version is bumped');

      const dup = await staff.post(`/api/party/orgs/${branch}/members`, { residentId: wang });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'DUPLICATE');

      // joining a second organisation does not tag (or bump) again
      const again = await staff.post(`/api/party/orgs/${committee}/members`, { residentId: wang, role: 'committee_member' });
      assert.equal(again.statusCode, 201);
      assert.equal((await residentTags(env.ctx, wang)).version, tagged.version);

      // secretaries: promoting a second one demotes the first
      const sec1 = await staff.post(`/api/party/orgs/${branch}/members`, { residentId: zhao, role: 'secretary' });
      assert.equal(sec1.statusCode, 201);
      assert.equal((await staff.get(`/api/party/orgs/${branch}`)).json().secretaryResidentId, zhao);
      const org1 = (await staff.get(`/api/party/orgs/${branch}`)).json();
      const promote = await staff.patch(`/api/party/orgs/${branch}`, { version: org1.version, secretaryResidentId: wang });
      assert.equal(promote.statusCode, 200, promote.body);
      assert.equal(promote.json().secretaryResidentId, wang);
      assert.equal(promote.json().secretaryName, '王建国');
      const members = (await staff.get(`/api/party/orgs/${branch}/members`)).json().items as { residentId: number; role: string }[];
      assert.deepEqual(
        members.map((m) => [m.residentId, m.role]).sort(),
        [[wang, 'secretary'], [zhao, 'member']].sort(),
      );
      assert.equal(promote.json().memberCount, 2);

      // null clears the post (the secretary stays an ordinary member)
      const cleared = await staff.patch(`/api/party/orgs/${branch}`, { version: promote.json().version, secretaryResidentId: null });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(cleared.json().secretaryResidentId, null);
      assert.equal(cleared.json().memberCount, 2);
      const v = cleared.json().version;
      assert.equal((await staff.patch(`/api/party/orgs/${branch}`, { version: v, secretaryResidentId: wang })).json().secretaryName, '王建国');

      // no personal number of a member leaves the server
      const raw = (await staff.get(`/api/party/orgs/${branch}/members`)).body;
      assert.doesNotMatch(raw, /139\d{8}|phone|idNumber/);

      // removing the secretary clears the post; the tag stays
      const del = await staff.delete(`/api/party/orgs/${branch}/members/${wang}`);
      assert.equal(del.statusCode, 204);
      assert.equal((await staff.get(`/api/party/orgs/${branch}`)).json().secretaryResidentId, null);
      assert.deepEqual((await residentTags(env.ctx, wang)).json, ['elderly', 'party_member']);
      assert.equal((await staff.delete(`/api/party/orgs/${branch}/members/${wang}`)).statusCode, 404);

      const audit = await auditActions(env.ctx, 'party_org', branch);
      assert.ok(audit.includes('party.member.add') && audit.includes('party.member.remove'), audit.join());
      assert.deepEqual(await auditActions(env.ctx, 'resident', wang), ['resident.tag']);
    });

    it('reports 网格党支部 coverage per grid in scope', async () => {
      const cov = await staff.get('/api/party/coverage');
      assert.equal(cov.statusCode, 200);
      assert.deepEqual(
        cov.json().grids.map((g: { gridId: number; branchId: number | null }) => [g.gridId, g.branchId]),
        [[org.grid, branch], [grid2, null]],
      );
      assert.equal(cov.json().covered, 1);
      assert.equal(cov.json().total, 2);

      const b2 = await staff.post('/api/party/orgs', { kind: 'grid_branch', name: '第二网格党支部', parentId: committee, orgId: grid2 });
      assert.equal(b2.statusCode, 201);
      const full = (await staff.get('/api/party/coverage')).json();
      assert.deepEqual([full.covered, full.total], [2, 2]);

      // the street sees the other community's uncovered grid too
      const leader = await clientAs(env, 'street_leader', org.street);
      const street = (await leader.get('/api/party/coverage')).json();
      assert.deepEqual([street.covered, street.total], [2, 3]);
      // a retired branch no longer covers its grid
      const v = (await staff.get(`/api/party/orgs/${b2.json().id}`)).json().version;
      assert.equal((await staff.patch(`/api/party/orgs/${b2.json().id}`, { version: v, status: 'retired' })).statusCode, 200);
      assert.equal((await staff.get('/api/party/coverage')).json().covered, 1);
    });
  });
}
