import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

const square = (lng: number, lat: number, d = 0.002) => ({
  type: 'Polygon',
  coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]],
});

for (const dialect of await testDialects()) {
  describe(`org routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let leader: Client; // an admin bound to the street
    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      leader = await clientAs(env, 'admin', org.street);
    });
    after(() => env.close());

    it('lists only the subtree of the account, parents first', async () => {
      const res = await staff.get('/api/org/tree');
      assert.equal(res.statusCode, 200);
      const names = res.json().nodes.map((n: { name: string }) => n.name);
      assert.deepEqual(names, ['竹辉社区', '第一网格', '第一微网格']);
      const all = (await leader.get('/api/org/tree')).json().nodes;
      assert.equal(all.length, 8);
      assert.equal(all[0].name, '沧浪街道');
    });

    it('shows a node with its ancestors, and hides nodes outside the scope as 404', async () => {
      const res = await staff.get(`/api/org/${org.microGrid}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().ancestors.map((a: { name: string }) => a.name), ['姑苏区', '沧浪街道', '竹辉社区', '第一网格']);
      assert.equal((await staff.get(`/api/org/${org.otherGrid}`)).statusCode, 404);
      assert.equal((await staff.get(`/api/org/999999`)).statusCode, 404);
    });

    it('creates a child with a polygon, enforcing the kind rules and geometry', async () => {
      const ok = await staff.post('/api/org', { parentId: org.grid, kind: 'micro_grid', name: '第二微网格', geometry: square(120.625, 31.295) });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().geometry.type, 'Polygon');
      const row = await env.ctx.db.selectFrom('org_units').selectAll().where('id', '=', ok.json().id).executeTakeFirstOrThrow();
      assert.equal(row.path, `${org.paths.grid}${row.id}/`);
      assert.equal(row.min_lng, 120.625);
      const badKind = await staff.post('/api/org', { parentId: org.grid, kind: 'community', name: 'x' });
      assert.equal(badKind.statusCode, 400);
      assert.equal(badKind.json().error.code, 'INVALID_MOVE');
      const openRing = { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 2]]] };
      const badGeo = await staff.post('/api/org', { parentId: org.grid, kind: 'micro_grid', name: 'x', geometry: openRing });
      assert.equal(badGeo.json().error.code, 'INVALID_GEOMETRY');
      const extra = await staff.post('/api/org', { parentId: org.grid, kind: 'micro_grid', name: 'x', colour: 'red' });
      assert.equal(extra.statusCode, 400);
      assert.equal(extra.json().error.code, 'VALIDATION_FAILED');
      const outside = await staff.post('/api/org', { parentId: org.otherGrid, kind: 'micro_grid', name: 'x' });
      assert.equal(outside.statusCode, 404);
    });

    it('renames with optimistic concurrency: the second writer gets 409 and nothing is overwritten', async () => {
      const node = (await staff.get(`/api/org/${org.microGrid}`)).json();
      const [a, b] = await Promise.all([
        staff.patch(`/api/org/${org.microGrid}`, { version: node.version, name: '甲' }),
        staff.patch(`/api/org/${org.microGrid}`, { version: node.version, name: '乙' }),
      ]);
      const codes = [a.statusCode, b.statusCode].sort();
      assert.deepEqual(codes, [200, 409]);
      const winner = a.statusCode === 200 ? '甲' : '乙';
      assert.equal((await staff.get(`/api/org/${org.microGrid}`)).json().name, winner);
    });

    it('moves a subtree in one statement, updating every descendant path and depth', async () => {
      const grid = (await leader.post('/api/org', { parentId: org.community, kind: 'grid', name: '临时网格' })).json();
      const mg = (await leader.post('/api/org', { parentId: grid.id, kind: 'micro_grid', name: '临时微网格' })).json();
      const moved = await leader.post(`/api/org/${grid.id}/move`, { version: grid.version, parentId: org.otherCommunity });
      assert.equal(moved.statusCode, 200, moved.body);
      const row = await env.ctx.db.selectFrom('org_units').selectAll().where('id', '=', mg.id).executeTakeFirstOrThrow();
      assert.equal(row.path, `${org.paths.otherCommunity}${grid.id}/${mg.id}/`);
      assert.equal(row.depth, 4);
      // into its own subtree: refused
      const loop = await leader.post(`/api/org/${org.community}/move`, { version: 1, parentId: org.grid });
      assert.equal(loop.statusCode, 400);
      // a stale version: 409
      const stale = await leader.post(`/api/org/${grid.id}/move`, { version: grid.version, parentId: org.community });
      assert.equal(stale.statusCode, 409);
      // the staff of 竹辉 no longer sees the moved grid
      assert.equal((await staff.get(`/api/org/${mg.id}`)).statusCode, 404);
    });

    it('retires instead of deleting a node with history', async () => {
      const grid = (await leader.post('/api/org', { parentId: org.community, kind: 'grid', name: '将停用网格' })).json();
      const child = (await leader.post('/api/org', { parentId: grid.id, kind: 'micro_grid', name: '子' })).json();
      assert.equal((await leader.post(`/api/org/${grid.id}/retire`, { version: grid.version })).statusCode, 409);
      assert.equal((await leader.delete(`/api/org/${grid.id}`)).json().error.code, 'HAS_HISTORY');
      assert.equal((await leader.post(`/api/org/${child.id}/retire`, { version: child.version })).statusCode, 200);
      assert.equal((await leader.post(`/api/org/${grid.id}/retire`, { version: grid.version })).statusCode, 200);
      const tree = (await leader.get('/api/org/tree')).json().nodes;
      assert.ok(!tree.some((n: { id: number }) => n.id === grid.id));
      const withRetired = (await leader.get('/api/org/tree?includeRetired=true')).json().nodes;
      assert.equal(withRetired.find((n: { id: number }) => n.id === grid.id).status, 'retired');
      // a fresh mistake with nothing under it may be deleted outright
      const oops = (await leader.post('/api/org', { parentId: org.community, kind: 'grid', name: '误建' })).json();
      assert.equal((await leader.delete(`/api/org/${oops.id}`)).statusCode, 204);
    });

    it('forbids writes to roles without org.write and restructuring one\'s own root', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      assert.equal((await worker.post('/api/org', { parentId: org.grid, kind: 'micro_grid', name: 'x' })).statusCode, 403);
      assert.equal((await staff.post(`/api/org/${org.community}/retire`, { version: 1 })).statusCode, 403);
      const anon = await env.app.inject({ method: 'GET', url: '/api/org/tree' });
      assert.equal(anon.statusCode, 401);
    });

    it('keeps paths consistent when a child is created while its parent moves', async () => {
      const grid = (await leader.post('/api/org', { parentId: org.community, kind: 'grid', name: '来回移动的网格' })).json();
      let version = grid.version;
      for (let i = 0; i < 8; i++) {
        const target = i % 2 === 0 ? org.otherCommunity : org.community;
        const [moved, created] = await Promise.all([
          leader.post(`/api/org/${grid.id}/move`, { version, parentId: target }),
          leader.post('/api/org', { parentId: grid.id, kind: 'micro_grid', name: `并发子节点${i}` }),
        ]);
        assert.equal(moved.statusCode, 200, moved.body);
        assert.equal(created.statusCode, 201, created.body);
        version = moved.json().version;
      }
      const nodes = await env.ctx.db.selectFrom('org_units').select(['id', 'parent_id', 'path', 'depth']).execute();
      const byId = new Map(nodes.map((n) => [n.id, n]));
      for (const n of nodes) {
        if (n.parent_id === null) continue;
        const p = byId.get(n.parent_id)!;
        assert.equal(n.path, `${p.path}${n.id}/`, `node ${n.id}`);
        assert.equal(n.depth, p.depth + 1);
      }
    });

    it('refuses to delete a node that something refers to, with 409 not 500', async () => {
      const grid = (await leader.post('/api/org', { parentId: org.community, kind: 'grid', name: '队员所在网格' })).json();
      const now = new Date().toISOString();
      const team = await env.ctx.db
        .insertInto('teams')
        .values({ org_id: org.community, kind: 'vanguard', name: '测试先锋队', description: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { insertResident } = await import('../../../test/people.js');
      const resident = await insertResident(env.ctx, org.microGrid, '测试队员');
      await env.ctx.db.insertInto('team_members').values({ team_id: team.id, resident_id: resident, grid_id: grid.id, joined_at: now }).execute();
      const res = await leader.delete(`/api/org/${grid.id}`);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, 'HAS_HISTORY');
    });

    it('answers 404 for an id beyond any column, on both databases', async () => {
      assert.equal((await leader.get('/api/org/99999999999')).statusCode, 404);
    });

    it('records every write in the audit log', async () => {
      const rows = await env.ctx.db.selectFrom('audit_log').select(['action']).where('entity_type', '=', 'org_unit').execute();
      const actions = new Set(rows.map((r) => r.action));
      for (const a of ['org.create', 'org.update', 'org.move', 'org.retire', 'org.delete']) assert.ok(actions.has(a), a);
    });
  });
}
