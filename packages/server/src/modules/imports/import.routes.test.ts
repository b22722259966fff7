import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RESIDENT_IMPORT_COLUMNS, idNumberCheckDigit } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import { buildResidentRow } from '../residents/resident.rows.js';
import { BATCH_ROWS } from './import.service.js';
import { buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';

const HEADERS = RESIDENT_IMPORT_COLUMNS.map((c) => c.header);
type Cell = string | number | null;

/** A fake ID number with a correct check digit: Suzhou code, birth date, sequence. */
function fakeId(birth: string, seq: number): string {
  const first17 = `320508${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckDigit(first17);
}

/** One spreadsheet row in template column order. */
function row(r: Partial<Record<(typeof RESIDENT_IMPORT_COLUMNS)[number]['field'], Cell>>): Cell[] {
  return RESIDENT_IMPORT_COLUMNS.map((c) => r[c.field] ?? null);
}

async function xlsx(rows: Cell[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('说明').addRow(['这一页不被读取']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(file: Buffer, fields: Record<string, string> = {}, fileName = 'residents.xlsx') {
  const boundary = `----haitang${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(client: Client, file: Buffer, fields: Record<string, string> = {}) {
  const { payload, headers } = multipart(file, fields);
  return client.request({ method: 'POST', url: '/api/imports/residents', payload, headers });
}

/** Polls the job until validation or import has finished. */
async function settle(client: Client, id: number) {
  for (let i = 0; i < 600; i++) {
    const res = await client.get(`/api/imports/${id}`);
    assert.equal(res.statusCode, 200, res.body);
    const job = res.json();
    if (job.status !== 'validating' && job.status !== 'importing') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import job did not finish');
}

async function uploadAndValidate(client: Client, file: Buffer, fields: Record<string, string> = {}) {
  const res = await upload(client, file, fields);
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.json().status, 'validating');
  return settle(client, res.json().id);
}

async function commit(client: Client, id: number, onlyValid?: boolean) {
  return client.post(`/api/imports/${id}/commit`, onlyValid === undefined ? {} : { onlyValid });
}

for (const dialect of await testDialects()) {
  describe(`resident import (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    const count = async (table: 'residents' | 'households' | 'buildings' | 'resident_tags') =>
      Number((await env.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
    });
    after(() => env.close());

    it('serves a template with Chinese headers, a 说明 sheet of in-scope grids, and an example row that imports', async () => {
      const res = await staff.get('/api/imports/residents/template.xlsx');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      assert.deepEqual((sheet.getRow(1).values as string[]).slice(1), HEADERS);
      assert.equal(sheet.getRow(2).getCell(1).value, '张三');
      const help = wb.getWorksheet('说明')!;
      const text: string[] = [];
      help.eachRow((r) => text.push((r.values as unknown[]).join(' ')));
      assert.ok(text.some((t) => t.includes('第一微网格')));
      assert.ok(text.some((t) => t.includes('第一网格/第一微网格')));
      assert.ok(!text.some((t) => t.includes('绿色时光')), 'grids outside the scope are not listed');
      // The template itself, uploaded unchanged, is a valid file of one row.
      const job = await uploadAndValidate(staff, res.rawPayload);
      assert.equal(job.status, 'validated');
      assert.deepEqual([job.totalRows, job.validRows, job.errorRows], [1, 1, 0]);
    });

    it('reports bad rows by row, column and reason; imports nothing until asked for the valid rows only', async () => {
      const file = await xlsx([
        row({ name: '李秀英', idNumber: fakeId('19480512', 12), phone: '13912345678', grid: '第一微网格', building: '竹辉新村17幢', unit: '2', room: '402', tags: '独居老人、党员' }),
        row({ name: '王建国', idNumber: '320508194805120129', grid: '第一微网格' }), // wrong check digit
        row({ name: '赵敏', gender: '未知', phone: '12345', birthDate: '1990/01/01', grid: '第一微网格', tags: '志愿者,外星人' }),
        row({ name: '陈静', grid: '第一网格/第一微网格', building: '竹辉新村17幢', unit: '2', room: '402', relationToHead: '配偶' }),
      ]);
      const job = await uploadAndValidate(staff, file);
      assert.equal(job.status, 'validated');
      assert.deepEqual([job.totalRows, job.validRows, job.errorRows, job.processedRows], [4, 2, 2, 4]);

      const errs = (await staff.get(`/api/imports/${job.id}/errors?page=1&pageSize=50`)).json();
      assert.equal(errs.total, 5);
      const byReason = Object.fromEntries(errs.items.map((e: { reason: string }) => [e.reason, e]));
      assert.deepEqual(
        { row: byReason.id_check_digit.row, column: byReason.id_check_digit.column, value: byReason.id_check_digit.value },
        { row: 3, column: '身份证号', value: '3205**********0129' },
      );
      assert.equal(byReason.id_check_digit.message, '身份证号校验位错误');
      assert.equal(byReason.phone_invalid.value, '1****');
      assert.equal(byReason.gender_invalid.column, '性别');
      assert.equal(byReason.date_invalid.row, 4);
      assert.equal(byReason.tag_unknown.message, '未知标签:外星人');
      const page2 = (await staff.get(`/api/imports/${job.id}/errors?page=2&pageSize=3`)).json();
      assert.deepEqual(page2.items.map((e: { reason: string }) => e.reason), errs.items.slice(3).map((e: { reason: string }) => e.reason));

      const report = await staff.get(`/api/imports/${job.id}/errors.xlsx`);
      assert.equal(report.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
      assert.equal(wb.worksheets[0]!.rowCount, 6);
      assert.equal(wb.worksheets[0]!.getRow(2).getCell(1).value, 3);

      const refused = await commit(staff, job.id);
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'CONFLICT');
      assert.match(refused.json().error.message, /文件有错误行,请修改后重新上传,或选择仅导入有效行/);
      assert.equal(await count('residents'), 0);

      const accepted = await commit(staff, job.id, true);
      assert.equal(accepted.statusCode, 202, accepted.body);
      const done = await settle(staff, job.id);
      assert.equal(done.status, 'done');
      assert.deepEqual([done.createdCount, done.updatedCount, done.processedRows], [2, 0, 2]);
      const people = await env.ctx.db.selectFrom('residents').selectAll().orderBy('id').execute();
      assert.deepEqual(people.map((p) => p.name), ['李秀英', '陈静']);
      assert.equal(people[0]!.household_id, people[1]!.household_id, 'both rows name the same flat');
      assert.ok(people[0]!.id_number_enc && !people[0]!.id_number_enc.includes('320508'), 'ID number encrypted at rest');
      assert.equal(people[0]!.gender, 'female');
      assert.equal(people[0]!.org_id, org.microGrid);
      const tags = await env.ctx.db.selectFrom('resident_tags').select('tag').where('resident_id', '=', people[0]!.id).orderBy('tag').execute();
      assert.deepEqual(tags.map((t) => t.tag), ['elderly_alone', 'party_member']);
      const home = await env.ctx.db.selectFrom('households').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([home.unit_label, home.room, home.address, home.org_id], ['2', '402', '竹辉新村17幢2单元402室', org.microGrid]);

      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.import').execute();
      assert.equal(audit.length, 1, 'one audit entry per batch, not per row');
      assert.equal(JSON.parse(audit[0]!.after!).created, 2);

      const twice = await commit(staff, job.id, true);
      assert.equal(twice.statusCode, 409);
    });

    it('re-importing the same people updates them instead of duplicating (by ID number, else name + household)', async () => {
      const before = await count('residents');
      const households = await count('households');
      const rows = [
        row({ name: '周志明', idNumber: fakeId('19700101', 31), grid: '第一微网格', building: '竹辉新村11幢', room: '101', tags: '党员' }),
        row({ name: '周小明', grid: '第一微网格', building: '竹辉新村11幢', room: '101', relationToHead: '子女' }),
        row({ name: '吴芳', idNumber: fakeId('19851111', 42), phone: '13700001111', grid: '第一微网格' }),
      ];
      const first = await uploadAndValidate(staff, await xlsx(rows));
      assert.equal((await commit(staff, first.id)).statusCode, 202);
      const firstDone = await settle(staff, first.id);
      assert.deepEqual([firstDone.createdCount, firstDone.updatedCount], [3, 0]);
      const ids = (await env.ctx.db.selectFrom('residents').select('id').orderBy('id').execute()).map((r) => r.id);

      // Same people again; one new phone, one new tag.
      rows[2] = row({ name: '吴芳', idNumber: fakeId('19851111', 42), phone: '13700002222', grid: '第一微网格', tags: '志愿者' });
      const second = await uploadAndValidate(staff, await xlsx(rows));
      assert.equal((await commit(staff, second.id)).statusCode, 202);
      const secondDone = await settle(staff, second.id);
      assert.equal(secondDone.status, 'done');
      assert.deepEqual([secondDone.createdCount, secondDone.updatedCount], [0, 3]);
      assert.equal(await count('residents'), before + 3);
      assert.equal(await count('households'), households + 1);
      assert.deepEqual((await env.ctx.db.selectFrom('residents').select('id').orderBy('id').execute()).map((r) => r.id), ids);
      const wu = await env.ctx.db.selectFrom('residents').selectAll().where('name', '=', '吴芳').executeTakeFirstOrThrow();
      assert.equal(wu.phone_masked, '137****2222');
      assert.equal(wu.version, 2);
      const wuTags = await env.ctx.db.selectFrom('resident_tags').select('tag').where('resident_id', '=', wu.id).execute();
      assert.deepEqual(wuTags.map((t) => t.tag), ['volunteer']);
      const zhou = await env.ctx.db.selectFrom('residents').selectAll().where('name', '=', '周志明').executeTakeFirstOrThrow();
      assert.equal(zhou.tags, '["party_member"]', 'an empty tag cell keeps the tags');
    });

    it('rejects per row a micro-grid outside the scope, a duplicate ID in the file and an ID registered elsewhere', async () => {
      const elsewhere = fakeId('19600202', 77);
      await env.ctx.db
        .insertInto('residents')
        .values(buildResidentRow(env.ctx.crypto, { name: '外社区居民', orgId: org.otherMicroGrid, idNumber: elsewhere }, new Date().toISOString()))
        .execute();
      const dup = fakeId('19900909', 55);
      const file = await xlsx([
        row({ name: '甲', grid: '绿色时光第一微网格' }),
        row({ name: '乙', idNumber: dup, grid: '第一微网格' }),
        row({ name: '丙', idNumber: dup, grid: '第一微网格' }),
        row({ name: '丁', idNumber: elsewhere, grid: '第一微网格' }),
        row({ name: '戊', grid: '第一网格' }),
      ]);
      const job = await uploadAndValidate(staff, file);
      assert.deepEqual([job.validRows, job.errorRows], [2, 3]);
      const { items } = (await staff.get(`/api/imports/${job.id}/errors`)).json();
      assert.deepEqual(
        items.map((e: { row: number; column: string; reason: string }) => [e.row, e.column, e.reason]),
        [
          [2, '微网格*', 'grid_unknown'],
          [4, '身份证号', 'id_duplicate_in_file'],
          [5, '身份证号', 'id_registered_elsewhere'],
        ],
      );
      assert.equal(items[1].message, '与文件中第 3 行的身份证号重复');

      // Restricting the upload to the other community's grid is not allowed (outside the scope).
      const outside = await upload(staff, file, { orgId: String(org.otherGrid) });
      assert.equal(outside.statusCode, 404);
      // Restricting to the grid: rows must then name grids under it.
      const narrowed = await uploadAndValidate(staff, await xlsx([row({ name: '己', grid: '第一微网格' })]), { orgId: String(org.grid) });
      assert.equal(narrowed.validRows, 1);
      assert.equal(narrowed.orgId, org.grid);
    });

    it('fails a job for an unreadable file or wrong headers, with a message', async () => {
      const junk = await uploadAndValidate(staff, Buffer.from('name,id\n张三,1\n'));
      assert.equal(junk.status, 'failed');
      assert.match(junk.message, /无法读取文件/);
      const wrong = await uploadAndValidate(staff, await xlsx([['张三', '第一微网格']], ['名称', '网格位置']));
      assert.equal(wrong.status, 'failed');
      assert.match(wrong.message, /缺少必需的列:姓名\*、微网格\*/);
      assert.equal((await commit(staff, wrong.id, true)).statusCode, 409);
    });

    it('lets only importers in scope use it: grid worker 403, other community 404', async () => {
      const worker = await clientAs(env, 'grid_worker', org.grid);
      assert.equal((await worker.get('/api/imports/residents/template.xlsx')).statusCode, 403);
      assert.equal((await upload(worker, await xlsx([row({ name: '甲', grid: '第一微网格' })]))).statusCode, 403);
      const job = await uploadAndValidate(staff, await xlsx([row({ name: '甲', grid: '第一微网格' })]));
      assert.equal((await worker.get(`/api/imports/${job.id}`)).statusCode, 403);
      const other = await clientAs(env, 'community_staff', org.otherCommunity);
      assert.equal((await other.get(`/api/imports/${job.id}`)).statusCode, 404);
      assert.equal((await other.get(`/api/imports/${job.id}/errors`)).statusCode, 404);
      assert.equal((await commit(other, job.id)).statusCode, 404);
      const street = await clientAs(env, 'admin', org.street);
      assert.equal((await street.get(`/api/imports/${job.id}`)).statusCode, 200);
      assert.equal((await staff.get('/api/imports/999999')).statusCode, 404);
    });

    it('a row with an ID number and a row without one for the same resident in one batch are one person: nobody is duplicated, the later row wins, the ID stays', async () => {
      const zhao = fakeId('19600101', 11);
      const sun = fakeId('19620303', 13);
      const home = { grid: '第一微网格', building: '重名幢', unit: '1', room: '101' };
      const seed = await uploadAndValidate(staff, await xlsx([row({ name: '赵六', idNumber: zhao, ...home }), row({ name: '孙九', idNumber: sun, ...home })]));
      assert.equal((await commit(staff, seed.id)).statusCode, 202);
      assert.equal((await settle(staff, seed.id)).status, 'done');
      const seeded = await env.ctx.db.selectFrom('residents').selectAll().where('name', 'in', ['赵六', '孙九']).orderBy('id').execute();
      assert.equal(seeded.length, 2);

      // 赵六: ID row first; 孙九: the row without an ID first. Both match the seeded resident by
      // (household, name) as well as by ID number.
      const job = await uploadAndValidate(
        staff,
        await xlsx([
          row({ name: '赵六', idNumber: zhao, ...home, note: 'a' }),
          row({ name: '赵六', ...home, note: 'b' }),
          row({ name: '孙九', ...home, note: 'c' }),
          row({ name: '孙九', idNumber: sun, ...home, note: 'd' }),
        ]),
      );
      assert.equal(job.validRows, 4);
      assert.equal((await commit(staff, job.id)).statusCode, 202);
      const done = await settle(staff, job.id);
      assert.equal(done.status, 'done', done.message);
      assert.equal(done.createdCount, 0, 'nobody is duplicated');
      const people = await env.ctx.db.selectFrom('residents').selectAll().where('name', 'in', ['赵六', '孙九']).orderBy('id').execute();
      assert.deepEqual(people.map((p) => p.id), seeded.map((p) => p.id));
      for (const [i, note] of [[0, 'b'], [1, 'd']] as const) {
        assert.equal(people[i]!.note, note, 'the later row of the same person wins');
        assert.equal(people[i]!.id_number_hash, seeded[i]!.id_number_hash, 'a row without an ID does not erase it');
      }
    });

    it('a row naming no flat clears the household when it moves the resident to another org, and keeps it otherwise', async () => {
      const id = fakeId('19610101', 12);
      const seed = await uploadAndValidate(staff, await xlsx([row({ name: '钱七', idNumber: id, grid: '第一微网格', building: '迁出幢', unit: '1', room: '101' })]));
      assert.equal((await commit(staff, seed.id)).statusCode, 202);
      assert.equal((await settle(staff, seed.id)).status, 'done');
      const get = () => env.ctx.db.selectFrom('residents').selectAll().where('name', '=', '钱七').executeTakeFirstOrThrow();
      const seeded = await get();
      assert.ok(seeded.household_id != null);

      const same = await uploadAndValidate(staff, await xlsx([row({ name: '钱七', idNumber: id, grid: '第一微网格', note: '同一微网格' })]));
      assert.equal((await commit(staff, same.id)).statusCode, 202);
      assert.equal((await settle(staff, same.id)).status, 'done');
      assert.deepEqual([(await get()).org_id, (await get()).household_id], [org.microGrid, seeded.household_id]);

      const moved = await uploadAndValidate(staff, await xlsx([row({ name: '钱七', idNumber: id, grid: '第一网格' })]));
      assert.equal((await commit(staff, moved.id)).statusCode, 202);
      assert.equal((await settle(staff, moved.id)).status, 'done');
      const after = await get();
      assert.equal(after.id, seeded.id);
      assert.equal(after.org_id, org.grid);
      assert.equal(after.household_id, null, 'no longer registered on a household of another micro-grid');
      assert.equal(after.note, '同一微网格');
    });

    it('reports progress up to the totals across several batches', async () => {
      const n = 2345;
      const rows: Cell[][] = [];
      for (let i = 0; i < n; i++) {
        rows.push(
          row({
            name: `测试${i}`,
            idNumber: fakeId(`19${String(50 + (i % 40))}0${1 + (i % 9)}1${i % 10}`, i % 1000),
            grid: '第一微网格',
            building: `进度${i % 7}幢`,
            room: String(100 + (i % 50)),
          }),
        );
      }
      // Make the ID numbers unique whatever the pattern above repeats.
      const seen = new Set<string>();
      const unique = rows.filter((r) => !seen.has(String(r[1])) && seen.add(String(r[1])));
      const job = await uploadAndValidate(staff, await xlsx(unique));
      assert.equal(job.status, 'validated');
      assert.equal(job.totalRows, unique.length);
      assert.equal(job.processedRows, job.totalRows);
      assert.equal(job.validRows, job.totalRows);
      assert.equal((await commit(staff, job.id)).statusCode, 202);
      const done = await settle(staff, job.id);
      assert.equal(done.status, 'done');
      assert.equal(done.processedRows, done.validRows);
      assert.equal(done.createdCount + done.updatedCount, done.validRows);
      const batches = await env.ctx.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'resident.import')
        .where('entity_id', '=', String(job.id))
        .execute();
      assert.ok(unique.length > BATCH_ROWS, 'the file spans several batches');
      assert.equal(batches.length, Math.ceil(unique.length / BATCH_ROWS));
    });
  });
}
