import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorMessage } from '@haitang/contracts';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

for (const dialect of await testDialects()) {
  describe(`order settings: categories and SLA limits (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let admin: Client;
    let staff: Client;
    let municipal: number;

    const put = (c: Client, url: string, payload: unknown) => c.request({ method: 'PUT', url, payload: payload as object });

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      // City-wide settings: the admin bound to the root of the org tree keeps them.
      admin = await clientAs(env, 'admin', org.district);
      staff = await clientAs(env, 'community_staff', org.community);
      municipal = ((await staff.get('/api/order-categories')).json().items as { id: number; code: string }[]).find((c) => c.code === 'municipal')!.id;
    });
    after(() => env.close());

    it('adds a second-level category with a default handler; it shows in the list and preselects dispatch', async () => {
      const res = await admin.post('/api/order-categories', { parentId: municipal, code: 'manhole_cover', name: '井盖缺失', defaultHandlerOrgId: org.department });
      assert.equal(res.statusCode, 201, res.body);
      const cat = res.json();
      assert.equal(cat.parentId, municipal);
      const list = (await staff.get('/api/order-categories')).json().items as { id: number }[];
      assert.ok(list.some((c) => c.id === cat.id));
      const order = await staff.post('/api/orders', { channel: 'patrol', categoryId: cat.id, title: '井盖缺失', description: '竹辉路口井盖缺失', orgId: org.grid });
      assert.equal(order.statusCode, 201, order.body);
      assert.equal(order.json().suggestedHandlerOrgId, org.department);
    });

    it('refuses a third level, a taken code, an unknown handler, and non-admins', async () => {
      const child = (await admin.post('/api/order-categories', { parentId: municipal, code: 'bus_stop', name: '公交站台' })).json();
      const third = await admin.post('/api/order-categories', { parentId: child.id, code: 'bus_shelter', name: '候车亭' });
      assert.equal(third.statusCode, 400);
      const taken = await admin.post('/api/order-categories', { code: 'bus_stop', name: '重复' });
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().error.code, 'DUPLICATE');
      const badCode = await admin.post('/api/order-categories', { code: 'Bus Stop!', name: 'x' });
      assert.equal(badCode.statusCode, 400);
      const unknown = await admin.post('/api/order-categories', { code: 'unknown_handler', name: '无此单位', defaultHandlerOrgId: 999999 });
      assert.equal(unknown.statusCode, 404);
      assert.equal((await staff.post('/api/order-categories', { code: 'by_staff', name: '工作人员' })).statusCode, 403);
      assert.equal((await staff.get('/api/order-categories?all=true')).statusCode, 403);
    });

    it('renames and retires with the version; a stale version is a 409; retired ones leave the public list', async () => {
      const cat = (await admin.post('/api/order-categories', { parentId: municipal, code: 'bridge', name: '桥梁' })).json();
      const renamed = await admin.patch(`/api/order-categories/${cat.id}`, { version: cat.version, name: '桥梁护栏' });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.equal(renamed.json().version, cat.version + 1);
      const stale = await admin.patch(`/api/order-categories/${cat.id}`, { version: cat.version, status: 'retired' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
      const retired = await admin.patch(`/api/order-categories/${cat.id}`, { version: cat.version + 1, status: 'retired' });
      assert.equal(retired.json().status, 'retired');
      assert.ok(!((await staff.get('/api/order-categories')).json().items as { id: number }[]).some((c) => c.id === cat.id));
      assert.ok(((await admin.get('/api/order-categories?all=true')).json().items as { id: number }[]).some((c) => c.id === cat.id));
      assert.equal((await admin.patch('/api/order-categories/999999', { version: 1, name: 'x' })).statusCode, 404);
    });

    it('intake sees a change of the taxonomy at once: renamed, handler changed on the parent, retired', async () => {
      const parent = (await admin.post('/api/order-categories', { code: 'tree_care', name: '树木养护' })).json();
      const cat = (await admin.post('/api/order-categories', { parentId: parent.id, code: 'dead_tree', name: '枯树' })).json();
      const report = () => staff.post('/api/orders', { channel: 'patrol', categoryId: cat.id, title: '枯树', description: '竹辉路枯树有倒伏风险', orgId: org.grid });
      // Intake keeps a copy of the taxonomy: this order loads it.
      const first = await report();
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().categoryName, '枯树');
      assert.equal(first.json().suggestedHandlerOrgId, null);
      assert.equal((await admin.patch(`/api/order-categories/${cat.id}`, { version: cat.version, name: '枯死树木' })).statusCode, 200);
      const handed = await admin.patch(`/api/order-categories/${parent.id}`, { version: parent.version, defaultHandlerOrgId: org.department });
      assert.equal(handed.statusCode, 200, handed.body);
      const second = (await report()).json();
      assert.equal(second.categoryName, '枯死树木');
      assert.equal(second.suggestedHandlerOrgId, org.department, 'the parent’s new default handler is inherited');
      assert.equal((await admin.patch(`/api/order-categories/${cat.id}`, { version: cat.version + 1, status: 'retired' })).statusCode, 200);
      const refused = await report();
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, 'VALIDATION_FAILED');
      // A category written by another instance (here straight into the database) is found at once.
      const now = new Date().toISOString();
      const { id } = await env.ctx.db
        .insertInto('order_categories')
        .values({ parent_id: null, code: 'elsewhere', name: '别处新增', default_handler_org_id: null, sort_order: 99, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const elsewhere = await staff.post('/api/orders', { channel: 'patrol', categoryId: id, title: '新类别', description: '新类别的问题', orgId: org.grid });
      assert.equal(elsewhere.statusCode, 201, elsewhere.body);
      assert.equal(elsewhere.json().categoryName, '别处新增');
    });

    it('sets limits per category and urgency; orders dispatched afterwards get them; removing falls back', async () => {
      const cat = (await admin.post('/api/order-categories', { parentId: municipal, code: 'signage', name: '路牌' })).json();
      const set = await put(admin, '/api/sla-rules', { categoryId: cat.id, urgency: 'normal', signHours: 2, handleLimit: 1, handleUnit: 'hours' });
      assert.equal(set.statusCode, 200, set.body);
      assert.ok((set.json().items as { categoryId: number | null }[]).some((r) => r.categoryId === cat.id));
      const o = (await staff.post('/api/orders', { channel: 'patrol', categoryId: cat.id, title: '路牌倒了', description: '竹辉路路牌倒伏', orgId: org.grid })).json();
      const before = Date.now();
      const d = (await staff.post(`/api/orders/${o.id}/actions/dispatch`, { version: o.version, handlerOrgId: org.department })).json();
      const signDue = Date.parse(d.signDueAt);
      const handleDue = Date.parse(d.handleDueAt);
      assert.ok(Math.abs(signDue - before - 2 * 3_600_000) < 60_000, 'sign-for within 2 hours');
      assert.ok(Math.abs(handleDue - before - 3_600_000) < 60_000, 'handling within 1 clock hour');
      // The default can be changed but not removed; a category's own rule can be removed.
      assert.equal((await admin.delete(`/api/sla-rules/${cat.id}/normal`)).statusCode, 204);
      assert.equal((await admin.delete(`/api/sla-rules/${cat.id}/normal`)).statusCode, 404);
      const tooLong = await put(admin, '/api/sla-rules', { categoryId: null, urgency: 'normal', signHours: 24, handleLimit: 100, handleUnit: 'working_days' });
      assert.equal(tooLong.statusCode, 400);
      const def = await put(admin, '/api/sla-rules', { categoryId: null, urgency: 'normal', signHours: 12, handleLimit: 4, handleUnit: 'working_days' });
      assert.equal(def.statusCode, 200);
      const rules = (await staff.get('/api/sla-rules')).json().items as { categoryId: number | null; urgency: string; signHours: number }[];
      assert.equal(rules.find((r) => r.categoryId === null && r.urgency === 'normal')!.signHours, 12);
      assert.equal((await put(staff, '/api/sla-rules', { categoryId: null, urgency: 'normal', signHours: 1, handleLimit: 1, handleUnit: 'working_days' })).statusCode, 403);
      assert.equal((await put(admin, '/api/sla-rules', { categoryId: 999999, urgency: 'normal', signHours: 1, handleLimit: 1, handleUnit: 'working_days' })).statusCode, 404);
      // Every change is in the audit log.
      const audit = await env.ctx.db.selectFrom('audit_log').select('action').where('entity_type', 'in', ['sla_rule', 'order_category']).execute();
      assert.ok(audit.filter((a) => a.action.startsWith('sla.')).length >= 3);
    });

    it('admins of a street or a community may not change the city-wide settings (403), nor may they change anything', async () => {
      const cat = (await admin.post('/api/order-categories', { parentId: municipal, code: 'street_lamp', name: '路灯' })).json();
      const ruleOf = () => put(admin, '/api/sla-rules', { categoryId: cat.id, urgency: 'urgent', signHours: 1, handleLimit: 8, handleUnit: 'hours' });
      assert.equal((await ruleOf()).statusCode, 200);
      const snapshot = async () => ({
        categories: (await admin.get('/api/order-categories?all=true')).json(),
        rules: (await admin.get('/api/sla-rules')).json(),
      });
      const before = await snapshot();
      const forbidden = { error: { code: 'FORBIDDEN', message: errorMessage('FORBIDDEN', 'zh-CN') } };
      for (const orgId of [org.street, org.community]) {
        const local = await clientAs(env, 'admin', orgId);
        const attempts = [
          await local.post('/api/order-categories', { parentId: municipal, code: `local_${orgId}`, name: '本地分类' }),
          await local.patch(`/api/order-categories/${cat.id}`, { version: cat.version, name: '改名', defaultHandlerOrgId: org.department }),
          await local.patch(`/api/order-categories/${municipal}`, { version: 1, status: 'retired' }),
          await put(local, '/api/sla-rules', { categoryId: null, urgency: 'normal', signHours: 1, handleLimit: 1, handleUnit: 'hours' }),
          await put(local, '/api/sla-rules', { categoryId: cat.id, urgency: 'urgent', signHours: 72, handleLimit: 30, handleUnit: 'working_days' }),
          await local.delete(`/api/sla-rules/${cat.id}/urgent`),
        ];
        for (const res of attempts) {
          assert.equal(res.statusCode, 403, res.body);
          assert.deepEqual(res.json(), forbidden);
        }
        // Reading stays open to them.
        assert.equal((await local.get('/api/order-categories?all=true')).statusCode, 200);
        assert.equal((await local.get('/api/sla-rules')).statusCode, 200);
      }
      assert.deepEqual(await snapshot(), before, 'nothing changed');
    });
  });
}
