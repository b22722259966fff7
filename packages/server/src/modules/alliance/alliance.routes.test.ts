import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { auditActions } from '../../../test/people.js';

for (const dialect of await testDialects()) {
  describe(`alliance routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let property: { id: number; version: number };

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
    });
    after(() => env.close());

    it('creates members; lists mask the contact phone, the detail shows it', async () => {
      const res = await staff.post('/api/alliance', {
        orgId: org.community,
        kind: 'property',
        name: '竹辉新村物业服务中心',
        contactName: '周经理',
        contactPhone: '138 1234 5678',
        address: '竹辉路 1 号',
        services: '保洁、维修、议事厅轮值',
      });
      assert.equal(res.statusCode, 201, res.body);
      property = res.json();
      assert.equal(res.json().contactPhone, '13812345678', 'normalised, in full for the one who entered it');
      const co = await staff.post('/api/alliance', { orgId: org.community, kind: 'co_building', name: '沧浪派出所共建' });
      assert.equal(co.statusCode, 201);
      const social = await staff.post('/api/alliance', { orgId: org.grid, kind: 'social_org', name: '评弹社' });
      assert.equal(social.statusCode, 201);

      const list = await staff.get('/api/alliance');
      assert.equal(list.statusCode, 200);
      const items = list.json().items as { name: string; contactPhone: string | null; orgName: string }[];
      assert.equal(items.length, 3);
      assert.equal(items.find((i) => i.name === '竹辉新村物业服务中心')!.contactPhone, '138****5678');
      assert.doesNotMatch(list.body, /13812345678/);
      const props = (await staff.get('/api/alliance?kind=property')).json().items;
      assert.deepEqual(props.map((i: { name: string }) => i.name), ['竹辉新村物业服务中心']);

      const detail = await staff.get(`/api/alliance/${property.id}`);
      assert.equal(detail.json().contactPhone, '13812345678');
      assert.equal(detail.json().orgName, '竹辉社区');
      assert.deepEqual(await auditActions(env.ctx, 'alliance_member', property.id), ['alliance.create']);
    });

    it('validates kind, phone, org node and duplicates', async () => {
      const cases: [object, number, string][] = [
        [{ orgId: org.community, kind: 'bank', name: 'x' }, 400, 'VALIDATION_FAILED'],
        [{ orgId: org.community, kind: 'property', name: 'x', contactPhone: '12345' }, 400, 'INVALID_PHONE'],
        [{ orgId: org.microGrid, kind: 'property', name: 'x' }, 400, 'VALIDATION_FAILED'],
        [{ orgId: org.community, kind: 'property', name: '竹辉新村物业服务中心' }, 409, 'DUPLICATE'],
        [{ orgId: org.otherCommunity, kind: 'property', name: 'x' }, 404, 'NOT_FOUND'],
      ];
      for (const [body, status, code] of cases) {
        const res = await staff.post('/api/alliance', body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
        assert.equal(res.json().error.code, code);
      }
    });

    it('updates with optimistic concurrency and retires via status', async () => {
      const ok = await staff.patch(`/api/alliance/${property.id}`, { version: property.version, contactPhone: '0512-65123456', services: '保洁' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().contactPhone, '0512-65123456');
      assert.equal(ok.json().version, property.version + 1);
      const stale = await staff.patch(`/api/alliance/${property.id}`, { version: property.version, name: 'x' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const retired = await staff.patch(`/api/alliance/${property.id}`, { version: ok.json().version, status: 'retired' });
      assert.equal(retired.statusCode, 200);
      assert.equal(retired.json().status, 'retired');
      const active = (await staff.get('/api/alliance?status=active')).json().items;
      assert.ok(active.every((i: { id: number }) => i.id !== property.id));
      // a retired name may be reused
      assert.equal((await staff.post('/api/alliance', { orgId: org.community, kind: 'property', name: '竹辉新村物业服务中心' })).statusCode, 201);
      assert.deepEqual(await auditActions(env.ctx, 'alliance_member', property.id), ['alliance.create', 'alliance.update', 'alliance.retire']);
    });

    it('hides other communities’ members (404) and checks permissions (403)', async () => {
      const other = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await other.get(`/api/alliance/${property.id}`)).statusCode, 404);
      assert.equal((await other.patch(`/api/alliance/${property.id}`, { version: 1, name: 'x' })).statusCode, 404);
      assert.equal((await other.get('/api/alliance')).json().items.length, 0);

      const worker = await clientAs(env, 'grid_worker', org.grid);
      const seen = (await worker.get('/api/alliance')).json().items.map((i: { name: string }) => i.name);
      assert.deepEqual(seen, ['评弹社'], 'a grid worker sees the members attached inside their grid');
      assert.equal((await worker.post('/api/alliance', { orgId: org.grid, kind: 'social_org', name: 'y' })).statusCode, 403);

      const handler = await clientAs(env, 'department_handler', org.department);
      assert.equal((await handler.get('/api/alliance')).statusCode, 403);
      assert.equal((await handler.get(`/api/alliance/${property.id}`)).statusCode, 403);

      const leader = await clientAs(env, 'street_leader', org.street);
      assert.equal((await leader.get('/api/alliance')).json().items.length, 4);
      assert.equal((await leader.patch(`/api/alliance/${property.id}`, { version: 1, name: 'x' })).statusCode, 403);
    });
  });
}
