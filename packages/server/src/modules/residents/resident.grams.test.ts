import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after, before, describe, it } from 'node:test';
import { assertResidentStatsMatch, buildTestApp, clientAs, createOrgTree, testDialects, type Client, type TestEnv, type TestOrg } from '../../../test/helpers.js';
import { upsertResidents } from '../imports/import.repository.js';
import { namePinyin } from './resident.rows.js';

/**
 * resident_grams (migration 006) is kept by triggers whoever writes residents; these tests hold it
 * equal to what it must be after each kind of write, and hold the list's text search equal to a
 * plain scan of the same residents.
 */

interface Row {
  id: number;
  org_id: number;
  name: string;
  address: string | null;
  name_initials: string;
  name_pinyin: string;
  status: string;
  tags: string;
}

/** What resident_grams must hold for these residents (the rule of migration 006, written again). */
function expectedGrams(rows: Row[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    const s = Array.from(`${r.name}\u0001${r.address ?? ''}\u0001`);
    for (let i = 0; i + 1 < s.length; i++) if (s[i] !== '\u0001') out.add(`${r.org_id}|${r.status}|0|${s[i]}${s[i + 1]}|${r.id}`);
    for (const x of [r.name_initials, r.name_pinyin]) if (x) out.add(`${r.org_id}|${r.status}|1|${x}|${r.id}`);
  }
  return [...out].sort();
}

/** A deterministic pseudo-random sequence (the same residents on every run). */
function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const SURNAMES = ['王', '张', '李', '赵', '周', '吴', '郑', '钱', '𠮷'];
const GIVEN = ['小', '明', '华', '英', '秀', '伟', '芳', '竹', '辉', '新'];
const PLACES = ['竹辉新村', '竹辉路', '新市路', '华新小区', '明月湾'];

for (const dialect of await testDialects()) {
  describe(`resident text-search index (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    let staff: Client;
    let leader: Client;

    const allRows = () =>
      env.ctx.db
        .selectFrom('residents')
        .select(['id', 'org_id', 'name', 'address', 'name_initials', 'name_pinyin', 'status', 'tags'])
        .orderBy('id')
        .execute() as Promise<Row[]>;

    /** The search index and the counts (both kept by triggers) match the residents after every kind of write. */
    async function assertGramsExact(): Promise<void> {
      const stored = await env.ctx.db.selectFrom('resident_grams').selectAll().execute();
      const got = stored.map((g) => `${g.org_id}|${g.status}|${g.kind}|${g.gram}|${g.resident_id}`).sort();
      assert.deepEqual(got, expectedGrams(await allRows()));
      await assertResidentStatsMatch(env.ctx.db);
    }

    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      staff = await clientAs(env, 'community_staff', org.community);
      leader = await clientAs(env, 'street_leader', org.street);
      const next = lcg(20261127);
      const pick = <T,>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
      const places = [org.microGrid, org.grid, org.otherMicroGrid];
      const now = new Date().toISOString();
      const rows = Array.from({ length: 90 }, (_, i) => {
        const name = pick(SURNAMES) + pick(GIVEN) + (next() < 0.5 ? pick(GIVEN) : '');
        const py = namePinyin(name);
        return {
          org_id: places[i % places.length]!,
          household_id: null,
          name,
          name_pinyin: py.full,
          name_initials: py.initials,
          gender: null,
          birth_date: null,
          id_number_enc: null,
          id_number_hash: null,
          id_number_masked: null,
          phone_enc: null,
          phone_hash: null,
          phone_masked: null,
          address: next() < 0.2 ? null : `${pick(PLACES)}${1 + Math.floor(next() * 20)}幢${101 + Math.floor(next() * 5)}室`,
          relation_to_head: null,
          note: null,
          tags: i % 3 === 0 ? '["elderly_alone"]' : '[]',
          status: next() < 0.1 ? 'moved_out' : 'active',
          created_at: now,
          updated_at: now,
        };
      });
      // Written as the demo and the bench generators write: one multi-row insert.
      await env.ctx.db.insertInto('residents').values(rows).execute();
      const tagged = await env.ctx.db.selectFrom('residents').select('id').where('tags', '=', '["elderly_alone"]').execute();
      await env.ctx.db.insertInto('resident_tags').values(tagged.map((r) => ({ resident_id: r.id, tag: 'elderly_alone' }))).execute();
    });
    after(() => env.close());

    it('holds the pieces of every name and address after a multi-row insert', async () => {
      await assertGramsExact();
    });

    // '村1幢': '新村11幢' holds both of its pieces but not the text (the row check decides); the
    // longest has 21 pieces (SQLite counts them one statement each).
    it('finds exactly what a scan finds: one character, two, longer, pinyin, with status and tag', async () => {
      const rows = await allRows();
      const inCommunity = new Set([org.microGrid, org.grid]);
      const queries = ['王', '竹', '𠮷', '1', '幢', '竹辉', '辉新', '竹辉新村', '新村1', '小明', '王小', 'w', 'wx', 'wang', 'zh', 'zhang', 'z', '路1', '无此人', '室', '村1幢', '1幢1', '幢10', '0室', '竹辉新村1', '竹辉新村12幢103室竹辉新村12幢103室'];
      for (const q of queries) {
        for (const [status, tag] of [['active', ''], ['moved_out', ''], ['active', 'elderly_alone']] as const) {
          const compact = q.toLowerCase();
          const pinyin = /^[a-z0-9]+$/.test(compact) ? compact : null;
          const want = rows
            .filter((r) => inCommunity.has(r.org_id) && r.status === status && (!tag || r.tags.includes(tag)))
            .filter(
              (r) =>
                r.name.includes(q) ||
                (r.address ?? '').includes(q) ||
                (pinyin !== null && (r.name_initials.startsWith(pinyin) || r.name_pinyin.startsWith(pinyin))),
            )
            .map((r) => r.id)
            .sort((a, b) => b - a);
          const filter = `status=${status}${tag ? `&tag=${tag}` : ''}`;
          const res = await staff.get(`/api/residents?q=${encodeURIComponent(q)}&${filter}&pageSize=100`);
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json();
          assert.deepEqual(body.items.map((r: { id: number }) => r.id), want, `q=${q} ${filter}`);
          assert.equal(body.total, want.length, `q=${q} ${filter}`);
          if (want.length > 2) {
            // A later page and its total.
            const page2 = (await staff.get(`/api/residents?q=${encodeURIComponent(q)}&${filter}&pageSize=2&page=2`)).json();
            assert.deepEqual(page2.items.map((r: { id: number }) => r.id), want.slice(2, 4), `q=${q} page 2`);
            assert.equal(page2.total, want.length);
          }
        }
      }
      // The export of a text search holds the same residents, newest first (one short, one longer text).
      for (const q of ['竹', '竹辉新村1']) {
        const listed = (await staff.get(`/api/residents?q=${encodeURIComponent(q)}&pageSize=100`)).json();
        const res = await staff.get(`/api/residents/export.xlsx?q=${encodeURIComponent(q)}`);
        assert.equal(res.statusCode, 200, res.body);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        const sheet = wb.worksheets[0]!;
        const exported = Array.from({ length: sheet.rowCount - 1 }, (_, i) => String((sheet.getRow(i + 2).values as unknown[])[6] ?? ''));
        assert.equal(exported.length, listed.total, `export of ${q}`);
        assert.deepEqual(exported, listed.items.map((r: { address: string | null }) => r.address ?? ''), `export of ${q}`);
      }
      // Control characters are left out of a search (U+0001 separates the index's pieces).
      const plain = (await staff.get(`/api/residents?q=${encodeURIComponent('王')}&pageSize=100`)).json();
      const withControl = (await staff.get(`/api/residents?q=${encodeURIComponent('王\u0001')}&pageSize=100`)).json();
      assert.deepEqual(withControl.items.map((r: { id: number }) => r.id), plain.items.map((r: { id: number }) => r.id));
      // The street leader sees both communities; a page past the end still counts.
      const all = rows.filter((r) => r.status === 'active' && (r.name.includes('竹') || (r.address ?? '').includes('竹')));
      const past = (await leader.get(`/api/residents?q=${encodeURIComponent('竹')}&page=50&pageSize=10`)).json();
      assert.deepEqual(past.items, []);
      assert.equal(past.total, all.length);
    });

    it('follows a rename, a new address, a move to another grid and the import upsert', async () => {
      const [first, second, third] = (await allRows()).filter((r) => r.status === 'active');
      const detail = (await staff.get(`/api/residents/${first!.id}`)).json();
      const renamed = await staff.patch(`/api/residents/${first!.id}`, { version: detail.version, name: '欧阳娜娜', address: '沧浪新城8幢' });
      assert.equal(renamed.statusCode, 200, renamed.body);
      await assertGramsExact();
      const found = (await staff.get(`/api/residents?q=${encodeURIComponent('欧阳')}`)).json();
      assert.deepEqual(found.items.map((r: { id: number }) => r.id), [first!.id]);
      assert.equal((await staff.get(`/api/residents?q=oyn`)).json().total, 1);
      // Moved out, and back.
      await env.ctx.db.updateTable('residents').set({ status: 'moved_out' }).where('id', '=', first!.id).execute();
      await assertGramsExact();
      assert.equal((await staff.get(`/api/residents?q=${encodeURIComponent('欧阳')}`)).json().total, 0);
      assert.equal((await staff.get(`/api/residents?q=${encodeURIComponent('欧阳')}&status=moved_out`)).json().total, 1);
      await env.ctx.db.updateTable('residents').set({ status: 'active' }).where('id', '=', first!.id).execute();
      // Moved to the other community: gone from this community's search, found by the leader there.
      await env.ctx.db.updateTable('residents').set({ org_id: org.otherMicroGrid }).where('id', '=', first!.id).execute();
      await assertGramsExact();
      assert.equal((await staff.get(`/api/residents?q=${encodeURIComponent('欧阳')}`)).json().total, 0);
      const there = (await leader.get(`/api/residents?q=${encodeURIComponent('欧阳')}&orgId=${org.otherCommunity}`)).json();
      assert.deepEqual(there.items.map((r: { id: number }) => r.id), [first!.id]);
      // The import's upsert: one update (name kept when unchanged, empty address keeps the old one) and one insert.
      const now = new Date().toISOString();
      const base = {
        household_id: null, gender: null, birth_date: null, id_number_enc: null, id_number_hash: null,
        id_number_masked: null, phone_enc: null, phone_hash: null, phone_masked: null, relation_to_head: null,
        note: null, tags: '[]', created_at: now, updated_at: now,
      };
      const top = Math.max(...(await allRows()).map((r) => r.id));
      await upsertResidents(env.ctx.db, [
        { ...base, id: second!.id, org_id: org.microGrid, name: '司马光', ...pinyinOf('司马光'), address: null },
        { ...base, id: third!.id, org_id: third!.org_id, name: third!.name, ...pinyinOf(third!.name), address: '桃花坞大街1号' },
        { ...base, id: top + 1, org_id: org.grid, name: '诸葛亮', ...pinyinOf('诸葛亮'), address: '竹辉新村11幢' },
      ]);
      await assertGramsExact();
      assert.equal((await staff.get(`/api/residents?q=${encodeURIComponent('司马')}`)).json().total, 1);
      assert.equal((await staff.get(`/api/residents?q=zgl`)).json().total, 1);
      // A delete (never done by the app, but the index follows it too).
      await env.ctx.db.deleteFrom('resident_tags').where('resident_id', '=', top + 1).execute();
      await env.ctx.db.deleteFrom('residents').where('id', '=', top + 1).execute();
      await assertGramsExact();
    });
  });
}

function pinyinOf(name: string): { name_pinyin: string; name_initials: string } {
  const py = namePinyin(name);
  return { name_pinyin: py.full, name_initials: py.initials };
}
