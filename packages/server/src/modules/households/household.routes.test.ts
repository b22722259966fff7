import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { insertOrgNode } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`building and household routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let secondMicro: number;
    let b11: { id: number; version: number };
    let b17: { id: number };

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      secondMicro = await insertOrgNode(env.ctx, org.grid, 'micro_grid', '第二微网格');
    });
    after(() => env.close());

    it('creates buildings on micro-grids only and lists them by subtree', async () => {
      const a = await staff.post('/api/buildings', { orgId: org.microGrid, name: '11幢', address: '竹辉新村11幢', lng: 120.621, lat: 31.291 });
      assert.equal(a.statusCode, 201, a.body);
      b11 = a.json();
      assert.deepEqual({ ...(a.json() as object), id: 0 }, {
        id: 0, orgId: org.microGrid, orgName: '第一微网格', name: '11幢', address: '竹辉新村11幢', lng: 120.621, lat: 31.291, version: 1,
      });
      const b = await staff.post('/api/buildings', { orgId: secondMicro, name: '17幢' });
      assert.equal(b.statusCode, 201);
      b17 = b.json();
      const same = await staff.post('/api/buildings', { orgId: org.microGrid, name: '11幢' });
      assert.equal(same.statusCode, 409);
      assert.equal(same.json().error.code, 'DUPLICATE');
      assert.equal((await staff.post('/api/buildings', { orgId: org.grid, name: 'x' })).statusCode, 400);
      assert.equal((await staff.post('/api/buildings', { orgId: org.otherMicroGrid, name: 'x' })).statusCode, 404);
      const all = (await staff.get('/api/buildings')).json();
      assert.deepEqual(all.items.map((x: { name: string }) => x.name), ['11幢', '17幢']);
      const one = (await staff.get(`/api/buildings?orgId=${secondMicro}`)).json();
      assert.deepEqual(one.items.map((x: { id: number }) => x.id), [b17.id]);
      const outside = await clientAs(env, 'grid_worker', org.otherGrid);
      assert.deepEqual((await outside.get('/api/buildings')).json().items, []);
      assert.equal((await outside.get(`/api/buildings?orgId=${org.microGrid}`)).statusCode, 404);
      const resident = await clientAs(env, 'resident', org.microGrid);
      assert.equal((await resident.get('/api/buildings')).statusCode, 403);
    });

    it('renames a building with optimistic concurrency', async () => {
      const ok = await staff.patch(`/api/buildings/${b11.id}`, { version: b11.version, name: '11 幢', lat: null });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual([ok.json().name, ok.json().lat, ok.json().version], ['11 幢', null, 2]);
      const stale = await staff.patch(`/api/buildings/${b11.id}`, { version: b11.version, name: '11幢' });
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const worker = await clientAs(env, 'street_leader', org.street);
      assert.equal((await worker.patch(`/api/buildings/${b11.id}`, { version: 2, name: 'x' })).statusCode, 403);
    });

    it('creates households, refuses a duplicate room and a building of another micro-grid', async () => {
      const h = await staff.post('/api/households', {
        orgId: org.microGrid, buildingId: b11.id, unitLabel: '2单元', room: '301', address: '竹辉新村11幢2单元301室',
      });
      assert.equal(h.statusCode, 201, h.body);
      assert.deepEqual({ ...(h.json() as object), id: 0 }, {
        id: 0, orgId: org.microGrid, orgName: '第一微网格', buildingId: b11.id, buildingName: '11 幢', unitLabel: '2单元', room: '301',
        address: '竹辉新村11幢2单元301室', memberCount: 0, version: 1,
      });
      const dup = await staff.post('/api/households', { orgId: org.microGrid, buildingId: b11.id, unitLabel: '2单元', room: '301', address: 'x' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'DUPLICATE');
      // Without a unit the unique index cannot see the duplicate; the service does.
      const noUnit = { orgId: org.microGrid, buildingId: b11.id, room: '102', address: '竹辉新村11幢102室' };
      assert.equal((await staff.post('/api/households', noUnit)).statusCode, 201);
      assert.equal((await staff.post('/api/households', noUnit)).json().error.code, 'DUPLICATE');
      const wrongBuilding = await staff.post('/api/households', { orgId: org.microGrid, buildingId: b17.id, room: '1', address: 'x' });
      assert.equal(wrongBuilding.statusCode, 400);
      assert.equal((await staff.post('/api/households', { orgId: org.grid, address: 'x' })).statusCode, 400);
      assert.equal((await staff.post('/api/households', { orgId: org.otherMicroGrid, address: 'x' })).statusCode, 404);
      const n = await env.ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 2);
      const audits = await env.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'household').execute();
      assert.deepEqual(audits.map((a) => a.action), ['household.create', 'household.create']);
    });

    it('lists households with member counts and shows members masked', async () => {
      const list = (await staff.get(`/api/households?buildingId=${b11.id}`)).json();
      assert.equal(list.total, 2);
      const hh = list.items.find((x: { room: string }) => x.room === '301');
      const phone = '13800001111';
      const r = await staff.post('/api/residents', { name: '陈桂兰', householdId: hh.id, phone, relationToHead: '户主' });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(r.json().orgId, org.microGrid, 'the household decides the micro-grid');
      assert.equal(r.json().householdLabel, '竹辉新村11幢2单元301室');
      const detail = await staff.get(`/api/households/${hh.id}`);
      assert.equal(detail.statusCode, 200);
      assert.equal(detail.json().memberCount, 1);
      assert.deepEqual(detail.json().members.map((m: { name: string; phoneMasked: string }) => [m.name, m.phoneMasked]), [['陈桂兰', '138****1111']]);
      assert.ok(!detail.body.includes(phone));
      const searched = (await staff.get(`/api/households?q=${encodeURIComponent('301')}`)).json();
      assert.deepEqual([searched.total, searched.items[0].memberCount], [1, 1]);
      const paged = (await staff.get('/api/households?pageSize=1&page=2')).json();
      assert.deepEqual([paged.items.length, paged.total], [1, 2]);
      const outside = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await outside.get(`/api/households/${hh.id}`)).statusCode, 404);
      assert.equal((await outside.get('/api/households')).json().total, 0);
      assert.equal((await outside.get(`/api/households?buildingId=${b11.id}`)).statusCode, 404);
      // A household's micro-grid and the resident's grid must agree.
      const clash = await staff.post('/api/residents', { name: '陈一', householdId: hh.id, orgId: secondMicro });
      assert.equal(clash.statusCode, 400);
    });

    it('edits a household with optimistic concurrency; moving it moves its members', async () => {
      const hh = (await staff.get('/api/households?q=301')).json().items[0];
      const dupRoom = await staff.patch(`/api/households/${hh.id}`, { version: hh.version, unitLabel: null, room: '102' });
      assert.equal(dupRoom.json().error.code, 'DUPLICATE');
      const moved = await staff.patch(`/api/households/${hh.id}`, { version: hh.version, orgId: secondMicro, buildingId: b17.id, address: '竹辉新村17幢301室' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual([moved.json().orgId, moved.json().buildingName, moved.json().version], [secondMicro, '17幢', hh.version + 1]);
      const stale = await staff.patch(`/api/households/${hh.id}`, { version: hh.version, room: '302' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const members = (await staff.get(`/api/residents?orgId=${secondMicro}`)).json();
      assert.deepEqual(members.items.map((m: { name: string }) => m.name), ['陈桂兰']);
      assert.equal(members.total, 1);
      const mismatch = await staff.patch(`/api/households/${hh.id}`, { version: hh.version + 1, buildingId: b11.id });
      assert.equal(mismatch.statusCode, 400);
      // null clears a link (and is not coerced to 0 on the way in).
      const member = members.items[0];
      const unlinked = await staff.patch(`/api/residents/${member.id}`, { version: member.version, householdId: null, gender: null });
      assert.equal(unlinked.statusCode, 200, unlinked.body);
      assert.deepEqual([unlinked.json().householdId, unlinked.json().gender, unlinked.json().orgId], [null, null, secondMicro]);
      const noBuilding = await staff.patch(`/api/households/${hh.id}`, { version: hh.version + 1, buildingId: null });
      assert.equal(noBuilding.json().buildingId, null);
    });
  });
}
