import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorMessage, hasPermission, maskName, ROLES, type Role } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { LIST_CASES, MISSING_TARGET, TARGET_CASES, type ListCase, type Need, type Req } from './access-matrix.endpoints.js';
import { BRANCHES, buildWorld, isInside, type Place, type RoleClient, type World } from './access-matrix.world.js';
import { clientAs, login, testDialects } from './helpers.js';
import { insertHousehold, insertImportJob, insertOrgNode, insertPartyOrg } from './people.js';

/**
 * Issue 2 point 5: every endpoint as every role, inside and outside its scope. The expected
 * status is computed from ROLE_PERMISSIONS and the org paths, never written by hand:
 * the role lacks what the endpoint needs → 403; it has it and the record lies in its subtree →
 * 2xx; it has it and the record lies outside (or does not exist) → 404, with exactly the body a
 * missing record gets (no existence leak). Collections answer 200 or 403 and show nothing from
 * outside the scope.
 */

const PASSWORD = 'Passw0rd!haitang'; // createAccount's default
const NOT_FOUND_BODY = { error: { code: 'NOT_FOUND', message: errorMessage('NOT_FOUND', 'zh-CN') } };
const FORBIDDEN_BODY = { error: { code: 'FORBIDDEN', message: errorMessage('FORBIDDEN', 'zh-CN') } };

/** Does the role hold what the endpoint needs? */
function holds(role: Role, need: Need): boolean {
  if (need === 'everyone') return true;
  if (need === 'admin-only') return role === 'admin';
  if (typeof need === 'object') return need.any.some((p) => hasPermission(role, p));
  return hasPermission(role, need);
}

const methodOf = (route: string) => route.split(' ')[0] as 'GET' | 'POST' | 'PATCH' | 'DELETE';

function injectOptions(method: string, req: Req): InjectOptions {
  if (req.raw) return { method: method as 'POST', url: req.url, payload: req.raw.payload, headers: req.raw.headers };
  return { method: method as 'GET', url: req.url, ...(req.body !== undefined ? { payload: req.body as object } : {}) };
}

/** Every org node's path, to judge what a response shows. */
async function orgPaths(w: World): Promise<Map<number, string>> {
  const rows = await w.env.ctx.db.selectFrom('org_units').select(['id', 'path']).execute();
  return new Map(rows.map((r) => [r.id, r.path]));
}

async function xlsxCells(body: Buffer): Promise<Set<string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const cells = new Set<string>();
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.add(String(cell.text)))));
  return cells;
}

/** What a collection shows must lie in the actor's scope; what was seeded in scope must show. */
async function checkCollection(w: World, c: ListCase, client: RoleClient, role: Role, res: LightMyRequestResponse) {
  const scope = client.actor.orgPath;
  const paths = await orgPaths(w);
  const inScope = (orgId: number | null | undefined) => orgId != null && (paths.get(orgId) ?? '').startsWith(scope);
  if (c.items) {
    const items = c.items(res.json());
    const leaked = items.filter((x) => !inScope(x.orgId));
    assert.deepEqual(leaked, [], `${c.route} shows records outside ${role}'s scope`);
    const shown = new Set(items.map((x) => x.id));
    for (const s of c.seeded?.(w) ?? []) {
      assert.equal(shown.has(s.id), inScope(s.orgId), `${c.route}: record ${s.id} on node ${s.orgId} shown=${shown.has(s.id)}`);
    }
  }
  if (c.check === 'me') {
    assert.equal(res.json().account.role, role);
    assert.equal(res.json().account.orgId, client.actor.orgId);
  }
  if (c.check === 'export' || c.check === 'template') {
    const cells = await xlsxCells(res.rawPayload);
    for (const key of BRANCHES) {
      const b = w.branches[key];
      // Names in an export are masked (surname + *) for roles without the reveal permission.
      const residentLabel = hasPermission(role, 'resident.reveal') ? b.residentName : maskName(b.residentName);
      const [label, node]: [string, number] = c.check === 'export' ? [residentLabel, b.micro] : [await nodeName(w, b.grid), b.grid];
      assert.equal(cells.has(label), inScope(node), `${c.route}: "${label}" (${key}) present=${cells.has(label)}`);
    }
  }
  if (c.check === 'audit') {
    const accounts = await w.env.ctx.db.selectFrom('accounts').select(['id', 'org_id']).execute();
    const accountOrg = new Map(accounts.map((a) => [a.id, a.org_id]));
    const items = res.json().items as { seq: number; orgId: number | null; actorId: number | null; action: string }[];
    const leaked = items.filter((e) => !inScope(e.orgId) && !inScope(e.actorId == null ? null : accountOrg.get(e.actorId)));
    assert.deepEqual(leaked, [], `${role} sees audit entries of another subtree`);
    assert.ok(items.some((e) => e.action === 'auth.login' && e.actorId === client.actor.id), 'own login entry listed');
  }
}

async function nodeName(w: World, id: number): Promise<string> {
  return (await w.env.ctx.db.selectFrom('org_units').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

function assertStatus(res: LightMyRequestResponse, expected: number) {
  assert.equal(res.statusCode, expected, `expected ${expected}, got ${res.statusCode}: ${res.body.slice(0, 300)}`);
  if (expected === 404) assert.deepEqual(res.json(), NOT_FOUND_BODY, 'a 404 says nothing more than a missing record would');
  if (expected === 403) assert.deepEqual(res.json(), FORBIDDEN_BODY);
}

for (const dialect of await testDialects()) {
  describe(`access matrix (${dialect})`, () => {
    let w: World;
    before(async () => {
      w = await buildWorld(dialect);
    });
    after(() => w.env.close());

    // Collections first: their checks count the seeded records before the cases below add more.
    describe('collections', () => {
      for (const c of LIST_CASES) {
        describe(c.route, () => {
          for (const role of ROLES) {
            const expected = holds(role, c.need) ? 200 : 403;
            it(`${role} → ${expected}`, async () => {
              const client = w.clients[role];
              const res = await client.get(c.url(w));
              assertStatus(res, expected);
              if (expected === 200) await checkCollection(w, c, client, role, res);
            });
          }
        });
      }
    });

    describe('records', () => {
      for (const c of TARGET_CASES) {
        describe(c.route, () => {
          for (const role of ROLES) {
            const may = holds(role, c.need);
            for (const place of c.places) {
              const inside = isInside(role, place, c.level);
              const expected = !may ? 403 : inside ? c.ok : 404;
              it(`${role} × ${place} (${inside ? 'inside' : 'outside'}) → ${expected}`, async () => {
                const client = w.clients[role];
                const target = await c.make(w, place);
                const realInside = (await w.pathOf(target.scopeOrg)).startsWith(client.actor.orgPath);
                assert.equal(realInside, inside, 'the world matches its symbolic layout');
                const res = await client.request(injectOptions(methodOf(c.route), await c.request(target)));
                assertStatus(res, expected);
              });
            }
            const expected = may ? 404 : 403;
            it(`${role} × missing record → ${expected}`, async () => {
              const res = await w.clients[role].request(injectOptions(methodOf(c.route), await c.request(MISSING_TARGET)));
              assertStatus(res, expected);
            });
          }
        });
      }
    });

    describe('without a session', () => {
      const anonymous: { route: string; req: () => Req | Promise<Req> }[] = [
        ...LIST_CASES.map((c) => ({ route: c.route, req: () => ({ url: c.url(w) }) })),
        ...TARGET_CASES.map((c) => ({ route: c.route, req: () => c.request(MISSING_TARGET) })),
      ];
      for (const c of anonymous) {
        it(`${c.route} → 401`, async () => {
          const res = await w.env.app.inject(injectOptions(methodOf(c.route), await c.req()));
          assert.equal(res.statusCode, 401, res.body);
          assert.equal(res.json().error.code, 'UNAUTHENTICATED');
        });
      }
      it('POST /api/auth/password → 401', async () => {
        const res = await w.env.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'long-enough-1' } });
        assert.equal(res.statusCode, 401);
      });
      it('POST /api/auth/logout → 200 (idempotent: it only clears the cookie; exempt like login)', async () => {
        const res = await w.env.app.inject({ method: 'POST', url: '/api/auth/logout' });
        assert.equal(res.statusCode, 200);
      });
      it('login, health and public settings need no session', async () => {
        assert.equal((await w.env.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
        assert.equal((await w.env.app.inject({ method: 'GET', url: '/api/settings/public' })).statusCode, 200);
        const bad = await w.env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong' } });
        assert.equal(bad.json().error.code, 'INVALID_CREDENTIALS');
      });
    });

    describe('own session and password: every role', () => {
      for (const role of ROLES) {
        it(`${role} logs out one session, the other stays`, async () => {
          const main = w.clients[role];
          const second = await login(w.env.app, main.actor.username, PASSWORD);
          assert.equal((await second.post('/api/auth/logout')).statusCode, 200);
          assert.equal((await second.get('/api/auth/me')).statusCode, 401);
          assert.equal((await main.get('/api/auth/me')).statusCode, 200);
        });
        it(`${role} changes its own password`, async () => {
          const own = await clientAs(w.env, role, w.clients[role].actor.orgId);
          const res = await own.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'N3w-passw0rd!matrix' });
          assert.equal(res.statusCode, 200, res.body);
        });
      }
    });

    describe('calendar and own notifications', () => {
      // The calendar is a city-wide setting: only an admin of the root node changes it (the matrix
      // admin is one of a street).
      for (const role of ROLES) {
        it(`${role} → PUT /api/calendar/:year 403`, async () => {
          const current = (await w.clients.admin.get('/api/calendar/2026')).json();
          const res = await w.clients[role].request({ method: 'PUT', url: '/api/calendar/2026', payload: { holidays: current.holidays, workdays: current.workdays } });
          assertStatus(res, 403);
        });
        it(`${role} → POST /api/notifications/read 200 (its own only)`, async () => {
          assertStatus(await w.clients[role].post('/api/notifications/read', { all: true }), 200);
        });
      }
      it('admin of the root node → PUT /api/calendar/:year 200', async () => {
        const root = await clientAs(w.env, 'admin', w.org.district);
        const current = (await root.get('/api/calendar/2026')).json();
        assertStatus(await root.request({ method: 'PUT', url: '/api/calendar/2026', payload: { holidays: current.holidays, workdays: current.workdays } }), 200);
      });
      it('without a session: 401 for both, categories are public', async () => {
        assert.equal((await w.env.app.inject({ method: 'PUT', url: '/api/calendar/2026', payload: { holidays: [], workdays: [] } })).statusCode, 401);
        assert.equal((await w.env.app.inject({ method: 'POST', url: '/api/notifications/read', payload: { all: true } })).statusCode, 401);
        assert.equal((await w.env.app.inject({ method: 'GET', url: '/api/order-categories' })).statusCode, 200);
      });
    });

    // City-wide settings: settings.manage is not enough, the account must be bound to the root of
    // the org tree. The matrix admin is one of a street: refused like every other role.
    describe('order categories and SLA limits: root-level admins only', () => {
      const sla = { categoryId: null, urgency: 'normal', signHours: 1, handleLimit: 1, handleUnit: 'hours' };
      for (const role of ROLES) {
        it(`${role} → 403 on every change`, async () => {
          const c = w.clients[role];
          assertStatus(await c.post('/api/order-categories', { code: `matrix_${role}`, name: '矩阵分类' }), 403);
          assertStatus(await c.patch('/api/order-categories/1', { version: 1, name: '矩阵分类' }), 403);
          assertStatus(await c.request({ method: 'PUT', url: '/api/sla-rules', payload: sla }), 403);
          assertStatus(await c.delete('/api/sla-rules/1/normal'), 403);
        });
      }
      it('admin of the root node → 201, 200, 200, 204', async () => {
        const root = await clientAs(w.env, 'admin', w.org.district);
        const created = await root.post('/api/order-categories', { code: 'matrix_root', name: '矩阵根分类' });
        assertStatus(created, 201);
        const cat = created.json();
        assertStatus(await root.patch(`/api/order-categories/${cat.id}`, { version: cat.version, name: '矩阵根分类2' }), 200);
        assertStatus(await root.request({ method: 'PUT', url: '/api/sla-rules', payload: { ...sla, categoryId: cat.id } }), 200);
        assertStatus(await root.delete(`/api/sla-rules/${cat.id}/normal`), 204);
      });
    });

    describe('special rules', () => {
      it('the uploader sees its own import job even outside its scope; nobody else outside does', async () => {
        const job = w.branches.zhuhui.job; // uploaded by the admin of 金阊街道
        assert.equal((await w.outsider.get(`/api/imports/${job}`)).statusCode, 200);
        assertStatus(await w.outsider.get(`/api/imports/${w.branches.sibling.job}/errors`), 200);
        const stranger = await clientAs(w.env, 'admin', w.street2);
        assertStatus(await stranger.get(`/api/imports/${job}`), 404);
        // Reading only: the uploader may not write rows outside its (current) scope.
        const fresh = await insertImportJob(w.env.ctx, w.outsider.actor.id, w.branches.zhuhui.grid);
        assertStatus(await w.outsider.post(`/api/imports/${fresh}/commit`, {}), 404);
        const own = await insertImportJob(w.env.ctx, w.outsider.actor.id, w.branches.otherStreet.grid);
        assertStatus(await w.outsider.post(`/api/imports/${own}/commit`, {}), 202);
      });

      it('nobody restructures the node their account hangs on (403), even an admin', async () => {
        const staff = w.clients.community_staff;
        const version = (await staff.get(`/api/org/${w.org.community}`)).json().version;
        assertStatus(await staff.post(`/api/org/${w.org.community}/retire`, { version }), 403);
        assertStatus(await staff.post(`/api/org/${w.org.community}/move`, { version, parentId: w.org.community }), 403);
        assertStatus(await staff.delete(`/api/org/${w.org.community}`), 403);
        assertStatus(await w.clients.admin.delete(`/api/org/${w.org.street}`), 403);
      });

      // An inside record may not be pointed at anything outside: the outside reference is a 404.
      const pairs: [Role, Place][] = [
        ['community_staff', 'sibling'],
        ['admin', 'otherStreet'],
      ];
      for (const [role, out] of pairs) {
        describe(`${role}: inside records referring to ${out} → 404`, () => {
          const ctx = () => w.env.ctx;
          const client = () => w.clients[role];
          const o = () => w.branch(out);
          const zh = () => w.branches.zhuhui;
          it('resident placed in an outside household', async () => {
            assertStatus(await client().post('/api/residents', { name: '越界', householdId: o().household }), 404);
          });
          it('resident moved to an outside micro-grid', async () => {
            const id = await w.freshResident('zhuhui');
            assertStatus(await client().patch(`/api/residents/${id}`, { version: 1, orgId: o().micro }), 404);
          });
          it('household moved to an outside micro-grid', async () => {
            const id = await insertHousehold(ctx(), zh().micro, w.seq('越界户'));
            assertStatus(await client().patch(`/api/households/${id}`, { version: 1, orgId: o().micro }), 404);
          });
          it('household in an outside building', async () => {
            assertStatus(await client().post('/api/households', { orgId: zh().micro, buildingId: o().building, address: w.seq('越界址') }), 404);
          });
          it('org node moved under an outside parent', async () => {
            const id = await insertOrgNode(ctx(), zh().grid, 'micro_grid', w.seq('越界节点'));
            assertStatus(await client().post(`/api/org/${id}/move`, { version: 1, parentId: o().grid }), 404);
          });
          it('grid branch on an outside grid under an inside committee', async () => {
            const body = { kind: 'grid_branch', name: '越界支部', parentId: zh().committee, orgId: o().grid };
            assertStatus(await client().post('/api/party/orgs', body), 404);
          });
          it('party member or secretary from outside', async () => {
            assertStatus(await client().post(`/api/party/orgs/${zh().gridBranch}/members`, { residentId: o().resident }), 404);
            const branch = await insertPartyOrg(ctx(), zh().grid, 'grid_branch', w.seq('越界支部'), { parentId: zh().committee });
            assertStatus(await client().patch(`/api/party/orgs/${branch}`, { version: 1, secretaryResidentId: o().resident }), 404);
          });
          it('team member from outside, or looking after an outside grid', async () => {
            assertStatus(await client().post(`/api/teams/${zh().team}/members`, { residentId: o().resident }), 404);
            const inside = await w.freshResident('zhuhui');
            assertStatus(await client().post(`/api/teams/${zh().team}/members`, { residentId: inside, gridId: o().grid }), 404);
          });
        });
      }
    });

    it('the table covers every route the server registers', async () => {
      await w.env.app.ready();
      const spec = w.env.app.swagger() as { paths: Record<string, Record<string, unknown>> };
      const registered = new Set<string>();
      for (const [p, ops] of Object.entries(spec.paths)) {
        if (!p.startsWith('/api/')) continue;
        const route = p.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1');
        for (const m of Object.keys(ops)) registered.add(`${m.toUpperCase()} ${route}`);
      }
      // Tested above outside the table: public, or the account's own session and password.
      const elsewhere = [
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'POST /api/auth/password',
        'GET /api/settings/public',
        // Public (the resident's report page): tested in order.routes.test.ts and below.
        'GET /api/order-categories',
        'POST /api/public/orders',
        'GET /api/public/orders/:number',
        'POST /api/public/orders/:number/rating',
        'GET /api/public/communities',
        // Global settings and the account's own notifications: tested below.
        'PUT /api/calendar/:year',
        'POST /api/notifications/read',
        // The live stream: tested in notification.stream.test.ts (401, own notifications only).
        'GET /api/notifications/stream',
        // Handler units' webhooks (settings.manage, admin only): permission and scope in webhook.test.ts.
        'GET /api/webhooks',
        'GET /api/webhooks/:orgId',
        'PUT /api/webhooks/:orgId',
        'DELETE /api/webhooks/:orgId',
        'GET /api/webhooks/:orgId/deliveries',
        'POST /api/webhooks/:orgId/deliveries/:deliveryId/retry',
        // Order settings (a root-level admin to change, order.read to read): tested above and in
        // category.routes.test.ts.
        'POST /api/order-categories',
        'PATCH /api/order-categories/:id',
        'GET /api/sla-rules',
        'PUT /api/sla-rules',
        'DELETE /api/sla-rules/:categoryId/:urgency',
        // Activities as residents use them too (by their home, not a permission): tested as every
        // role in activity.routes.test.ts.
        'GET /api/activities',
        'GET /api/activities/:id',
        'GET /api/activities/:id/signups',
        'POST /api/activities/:id/signups',
        'POST /api/activities/:id/signups/:signupId/withdraw',
        'POST /api/activities/:id/scan/:direction',
        // A volunteer's own record and points, rewards and redemptions as residents use them, the
        // certificate PDF (staff of the area or the volunteer): tested as every role in
        // volunteer.routes.test.ts. The star thresholds: read by all, changed by an admin of the
        // whole city (as the other city-wide settings), tested there too.
        'GET /api/volunteers/me',
        'GET /api/points/me',
        'GET /api/rewards',
        'POST /api/rewards/:id/redeem',
        'GET /api/redemptions',
        'GET /api/certificates/:id/pdf',
        'GET /api/settings/volunteer-stars',
        'PUT /api/settings/volunteer-stars',
        // The wish box as residents use it (their own wishes, claiming, the photos of their wish)
        // and the public list: tested as every role in wish.routes.test.ts.
        'GET /api/wishes/mine',
        'POST /api/wishes/mine',
        'POST /api/wish-claims',
        'GET /api/wishes/:id/photos/:photoId',
        'GET /api/public/wishes',
        // An activity's share page (no account): tested in activity.routes.test.ts.
        'GET /api/public/activities/:id',
        // An activity's pictures: for whoever reads the activity (residents included), and for anyone
        // once published; tested in activity.routes.test.ts.
        'GET /api/activities/:id/images/:imageId',
        'GET /api/public/activities/:id/images/:imageId',
      ];
      const tabled = new Set([...LIST_CASES, ...TARGET_CASES].map((c) => c.route.replace(/\?.*$/, '')).concat(elsewhere));
      assert.deepEqual([...registered].filter((r) => !tabled.has(r)).sort(), [], 'routes missing from the matrix');
      assert.deepEqual([...tabled].filter((r) => !registered.has(r)).sort(), [], 'matrix routes the server does not have');
    });
  });
}
