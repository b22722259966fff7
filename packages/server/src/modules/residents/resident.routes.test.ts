import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idNumberCheckDigit } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import { assertResidentStatsMatch, buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

/** A valid (fake) ID number: Suzhou Gusu prefix, a birth date, a sequence and the right check digit. */
function idNumber(birth: string, seq: string): string {
  const first17 = `320508${birth}${seq}`;
  return first17 + idNumberCheckDigit(first17);
}

/** With a wrong check digit. */
function badCheckDigit(id: string): string {
  const wrong = '10X98765432'.split('').find((c) => c !== id[17])!;
  return id.slice(0, 17) + wrong;
}

for (const dialect of await testDialects()) {
  describe(`resident routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    const zhangId = idNumber('19450312', '123');
    const zhangPhone = '13912345678';
    let zhang: { id: number; version: number };
    let li: { id: number; version: number };
    let wang: { id: number };

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      const a = await staff.post('/api/residents', {
        name: '张晓明',
        orgId: org.microGrid,
        idNumber: zhangId,
        phone: zhangPhone,
        address: '竹辉新村11幢2单元301室',
        tags: ['elderly_alone', 'party_member'],
      });
      assert.equal(a.statusCode, 201, a.body);
      zhang = a.json();
      const b = await staff.post('/api/residents', { name: '李秀英', orgId: org.grid, address: '竹辉新村17幢101室', tags: ['volunteer'] });
      assert.equal(b.statusCode, 201, b.body);
      li = b.json();
      const other = await clientAs(env, 'community_staff', org.otherCommunity);
      const c = await other.post('/api/residents', { name: '王张华', orgId: org.otherMicroGrid, tags: ['elderly_alone'] });
      assert.equal(c.statusCode, 201, c.body);
      wang = c.json();
    });
    after(() => env.close());

    it('creates a resident with masked personal numbers and facts taken from the ID', async () => {
      const res = await staff.get(`/api/residents/${zhang.id}`);
      assert.equal(res.statusCode, 200);
      const v = res.json();
      assert.equal(v.name, '张晓明');
      assert.equal(v.orgName, '第一微网格');
      assert.equal(v.idNumberMasked, `${zhangId.slice(0, 4)}**********${zhangId.slice(-4)}`);
      assert.equal(v.phoneMasked, '139****5678');
      assert.equal(v.birthDate, '1945-03-12');
      assert.equal(v.gender, 'male'); // 17th digit 3 is odd
      assert.deepEqual(v.tags, ['elderly_alone', 'party_member']);
      assert.equal(v.status, 'active');
      assert.ok(!res.body.includes(zhangId) && !res.body.includes(zhangPhone), 'no plain personal number leaves');
      // Stored encrypted, never in clear.
      const row = await env.ctx.db.selectFrom('residents').selectAll().where('id', '=', zhang.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(zhangId) && !JSON.stringify(row).includes(zhangPhone));
      const tags = await env.ctx.db.selectFrom('resident_tags').select('tag').where('resident_id', '=', zhang.id).orderBy('tag').execute();
      assert.deepEqual(tags.map((t) => t.tag), ['elderly_alone', 'party_member']);
    });

    it('lists residents in scope only, masked, newest first, with the total', async () => {
      const res = await staff.get('/api/residents');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(body.items.map((r: { id: number }) => r.id), [li.id, zhang.id]);
      assert.equal(body.total, 2);
      assert.ok(!res.body.includes(zhangId) && !res.body.includes(zhangPhone));
      assert.equal(body.items[1].phoneMasked, '139****5678');
      const paged = (await staff.get('/api/residents?pageSize=1&page=2')).json();
      assert.deepEqual([paged.items.map((r: { id: number }) => r.id), paged.total], [[zhang.id], 2]);
      // The street sees both communities; a grid worker of the other grid sees only its own.
      const leader = await clientAs(env, 'street_leader', org.street);
      assert.equal((await leader.get('/api/residents')).json().total, 3);
      const worker = await clientAs(env, 'grid_worker', org.otherGrid);
      const theirs = (await worker.get('/api/residents')).json();
      assert.deepEqual(theirs.items.map((r: { id: number }) => r.id), [wang.id]);
      assert.equal((await worker.get(`/api/residents/${zhang.id}`)).statusCode, 404);
      assert.equal((await worker.get(`/api/residents?orgId=${org.microGrid}`)).statusCode, 404);
      // orgId narrows to a subtree.
      const micro = (await staff.get(`/api/residents?orgId=${org.microGrid}`)).json();
      assert.deepEqual([micro.items.map((r: { id: number }) => r.id), micro.total], [[zhang.id], 1]);
      // Roles without resident.read.
      const handler = await clientAs(env, 'department_handler', org.street);
      assert.equal((await handler.get('/api/residents')).statusCode, 403);
    });

    it('searches by name, pinyin initials, full pinyin, phone, ID number and address', async () => {
      const ids = async (q: string) => {
        const res = await staff.get(`/api/residents?q=${encodeURIComponent(q)}`);
        assert.equal(res.statusCode, 200, res.body);
        return { ids: res.json().items.map((r: { id: number }) => r.id), total: res.json().total };
      };
      assert.deepEqual(await ids('晓明'), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('zxm'), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('ZXM'), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('zhang'), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('zhangxiaom'), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('xm'), { ids: [], total: 0 }, 'pinyin matches as a prefix, not inside');
      assert.deepEqual(await ids(zhangPhone), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids(zhangId), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids(zhangId.toLowerCase()), { ids: [zhang.id], total: 1 });
      assert.deepEqual(await ids('13912345679'), { ids: [], total: 0 });
      assert.deepEqual(await ids('17幢'), { ids: [li.id], total: 1 });
      assert.deepEqual(await ids('竹辉新村'), { ids: [li.id, zhang.id], total: 2 });
      assert.deepEqual(await ids('%'), { ids: [], total: 0 }, 'no LIKE wildcards');
      // 王张华 contains 张 but is outside the community.
      assert.deepEqual(await ids('张'), { ids: [zhang.id], total: 1 });
      // A page past the end still reports the total.
      const past = (await staff.get('/api/residents?q=%E7%AB%B9%E8%BE%89&page=3&pageSize=1')).json();
      assert.deepEqual([past.items.length, past.total], [0, 2]);
    });

    it('filters by tag and keeps the tag index and counts in sync on every write', async () => {
      const tagged = async (tag: string) => (await staff.get(`/api/residents?tag=${tag}`)).json();
      let r = await tagged('elderly_alone');
      assert.deepEqual([r.items.map((x: { id: number }) => x.id), r.total], [[zhang.id], 1]);
      assert.equal((await tagged('volunteer')).total, 1);
      const upd = await staff.patch(`/api/residents/${zhang.id}`, { version: zhang.version, tags: ['volunteer'] });
      assert.equal(upd.statusCode, 200, upd.body);
      zhang = upd.json();
      r = await tagged('elderly_alone');
      assert.deepEqual([r.items.length, r.total], [0, 0]);
      r = await tagged('volunteer');
      assert.deepEqual([r.items.map((x: { id: number }) => x.id), r.total], [[zhang.id, li.id].sort((a, b) => b - a), 2]);
      assert.equal((await staff.get('/api/residents?tag=nope')).statusCode, 400);
      await assertResidentStatsMatch(env.ctx.db);
    });

    it('reveals the full numbers only with the permission, in scope, and audits it', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      const denied = await worker.post(`/api/residents/${zhang.id}/reveal`);
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().error.code, 'FORBIDDEN');
      const outside = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await outside.post(`/api/residents/${zhang.id}/reveal`)).statusCode, 404);
      assert.equal((await staff.post('/api/residents/999999/reveal')).statusCode, 404);
      const ok = await staff.post(`/api/residents/${zhang.id}/reveal`);
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { idNumber: zhangId, phone: zhangPhone });
      const audits = await env.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'resident.reveal')
        .where('entity_id', '=', String(zhang.id))
        .execute();
      assert.equal(audits.length, 1, 'only the successful reveal is logged');
      assert.equal(audits[0]!.entity_type, 'resident');
      assert.equal(audits[0]!.org_id, org.microGrid);
      assert.equal(audits[0]!.actor_id, (staff as Client & { actor: { id: number } }).actor.id);
    });

    it('never writes a plain ID number or phone into the audit log', async () => {
      const rows = await env.ctx.db.selectFrom('audit_log').select(['before', 'after']).execute();
      const text = JSON.stringify(rows);
      assert.ok(text.includes('139****5678'), 'masked values are logged');
      assert.ok(!text.includes(zhangId) && !text.includes(zhangPhone));
    });

    it('rejects an invalid ID number, a bad phone and a duplicate ID with stable codes', async () => {
      const badId = await staff.post('/api/residents', { name: '赵一', orgId: org.grid, idNumber: badCheckDigit(idNumber('19800101', '001')) });
      assert.equal(badId.statusCode, 400);
      assert.equal(badId.json().error.code, 'INVALID_ID_NUMBER');
      assert.match(badId.json().error.message, /校验位/);
      const badDate = await staff.post('/api/residents', { name: '赵一', orgId: org.grid, idNumber: idNumber('19800231', '001') });
      assert.equal(badDate.json().error.code, 'INVALID_ID_NUMBER');
      const badPhone = await staff.post('/api/residents', { name: '赵一', orgId: org.grid, phone: '12345' });
      assert.equal(badPhone.statusCode, 400);
      assert.equal(badPhone.json().error.code, 'INVALID_PHONE');
      const dup = await staff.post('/api/residents', { name: '张三', orgId: org.grid, idNumber: zhangId.toLowerCase() });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'DUPLICATE');
      assert.match(dup.json().error.message, /身份证号已登记/);
      // Registered outside the actor's scope: still a duplicate, without naming the record.
      const outside = await clientAs(env, 'community_staff', org.otherCommunity);
      const dupOut = await outside.post('/api/residents', { name: '张三', orgId: org.otherGrid, idNumber: zhangId });
      assert.equal(dupOut.statusCode, 409);
      assert.equal(dupOut.json().error.details.residentId, undefined);
      // Not on a community; not outside scope; unknown fields refused.
      assert.equal((await staff.post('/api/residents', { name: '赵一', orgId: org.community })).statusCode, 400);
      assert.equal((await staff.post('/api/residents', { name: '赵一', orgId: org.otherGrid })).statusCode, 404);
      assert.equal((await staff.post('/api/residents', { name: '赵一' })).json().error.code, 'VALIDATION_FAILED');
      assert.equal((await staff.post('/api/residents', { name: '赵一', orgId: org.grid, salary: 1 })).statusCode, 400);
      const count = await env.ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 3, 'nothing was written');
    });

    it('updates with optimistic concurrency and audits before and after', async () => {
      const stale = li.version;
      const ok = await staff.patch(`/api/residents/${li.id}`, { version: stale, phone: '0512-65123456', status: 'moved_out' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().phoneMasked, '051******3456');
      assert.equal(ok.json().version, stale + 1);
      const conflict = await staff.patch(`/api/residents/${li.id}`, { version: stale, name: '李秀兰' });
      assert.equal(conflict.statusCode, 409);
      assert.equal(conflict.json().error.code, 'VERSION_CONFLICT');
      // moved_out leaves the default list; the status filter finds it.
      assert.ok(!(await staff.get('/api/residents')).json().items.some((r: { id: number }) => r.id === li.id));
      const moved = (await staff.get('/api/residents?status=moved_out')).json();
      assert.deepEqual([moved.items.map((r: { id: number }) => r.id), moved.total], [[li.id], 1]);
      const audit = await env.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'resident.update')
        .where('entity_id', '=', String(li.id))
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.before!).status, 'active');
      assert.equal(JSON.parse(audit.after!).status, 'moved_out');
      // A duplicate ID on update, and another community's staff cannot edit.
      const dup = await staff.patch(`/api/residents/${li.id}`, { version: stale + 1, idNumber: zhangId });
      assert.equal(dup.json().error.code, 'DUPLICATE');
      const outside = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await outside.patch(`/api/residents/${li.id}`, { version: stale + 1, name: 'x' })).statusCode, 404);
      await assertResidentStatsMatch(env.ctx.db);
    });

    it('exports the filtered residents as a readable, masked .xlsx and audits it', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      assert.equal((await worker.get('/api/residents/export.xlsx')).statusCode, 403);
      const res = await staff.get(`/api/residents/export.xlsx?q=${zhangPhone}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      assert.deepEqual(header, ['姓名', '性别', '出生日期', '身份证号', '手机号', '地址', '所属网格', '标签']);
      assert.equal(sheet.rowCount, 2);
      const row = (sheet.getRow(2).values as unknown[]).slice(1);
      assert.deepEqual(row, ['张晓明', '男', '1945-03-12', `${zhangId.slice(0, 4)}**********${zhangId.slice(-4)}`, '139****5678', '竹辉新村11幢2单元301室', '第一微网格', '志愿者']);
      const all = await staff.get('/api/residents/export.xlsx?status=moved_out');
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(all.rawPayload as unknown as ArrayBuffer);
      assert.equal(wb2.worksheets[0]!.rowCount, 2);
      const audits = await env.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.export').orderBy('seq').execute();
      assert.equal(audits.length, 2);
      const first = JSON.parse(audits[0]!.after!);
      assert.equal(first.rows, 1);
      assert.equal(first.filter.q, '139****5678', 'a phone typed as the filter is logged masked');
      assert.equal(audits[0]!.org_id, org.community);
    });
  });
}

