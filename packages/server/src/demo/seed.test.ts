import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { checkIdNumber, idNumberFacts } from '@haitang/contracts';
import { createTestDatabase } from '../../test/db.js';
import { buildTestApp, login, testDialects, type TestEnv } from '../../test/helpers.js';
import { createContext, type AppContext } from '../context.js';
import { verifyAuditChain } from '../lib/audit.js';
import { beijingDate } from '../lib/working-time.js';
import { DEMO_ACCOUNTS } from './accounts.js';
import { planDemoWorld } from './plan.js';
import { DEMO_PASSWORD, seedDemo, type SeedResult } from './seed.js';

/** name | birth date | decrypted ID number of every resident, in id order. */
async function peopleDigest(ctx: AppContext): Promise<{ digest: string; hashes: string }> {
  const rows = await ctx.db.selectFrom('residents').select(['name', 'birth_date', 'id_number_enc', 'id_number_hash']).orderBy('id').execute();
  const text = rows.map((r) => `${r.name}|${r.birth_date}|${ctx.crypto.decrypt(r.id_number_enc!)}`).join('\n');
  return {
    digest: createHash('sha256').update(text).digest('hex'),
    hashes: createHash('sha256').update(rows.map((r) => r.id_number_hash).join('\n')).digest('hex'),
  };
}

/** number | state | timestamps of every work order and its events, in id order. */
async function ordersDigest(ctx: AppContext): Promise<string> {
  const orders = await ctx.db.selectFrom('work_orders').select(['number', 'status', 'title', 'version', 'created_at', 'updated_at', 'handle_due_at']).orderBy('id').execute();
  const events = await ctx.db.selectFrom('order_events').select(['order_id', 'action', 'actor_name', 'created_at']).orderBy('id').execute();
  const text = [...orders.map((o) => Object.values(o).join('|')), ...events.map((e) => Object.values(e).join('|'))].join('\n');
  return createHash('sha256').update(text).digest('hex');
}

const count = (n: unknown) => Number(n);
const digestsByDialect = new Map<string, string>();
/** Order digests by dialect, keyed by the Beijing day the demo clock stood at. */
const orderDigests = new Map<string, string>();

describe('demo plan', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = planDemoWorld();
    assert.deepEqual(planDemoWorld(), a);
    assert.notDeepEqual(planDemoWorld(1).residents.slice(0, 20), a.residents.slice(0, 20));
  });
});

for (const dialect of await testDialects()) {
  describe(`demo seed (${dialect})`, () => {
    let env: TestEnv;
    let first: SeedResult;
    before(async () => {
      env = await buildTestApp(dialect);
      first = await seedDemo(env.ctx);
    });
    after(() => env.close());

    const org = (name: string) => env.ctx.db.selectFrom('org_units').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

    it('builds 竹辉社区 with exactly 4 grids and 16 micro-grids that tile it', async () => {
      assert.equal(first.created, true);
      const zhuhui = await org('竹辉社区');
      const street = await org('沧浪街道');
      assert.equal(zhuhui.parent_id, street.id);
      assert.equal(zhuhui.path, `${street.path}${zhuhui.id}/`);
      const below = await env.ctx.db.selectFrom('org_units').selectAll().where('path', 'like', `${zhuhui.path}%`).where('id', '!=', zhuhui.id).execute();
      const grids = below.filter((o) => o.kind === 'grid');
      const micros = below.filter((o) => o.kind === 'micro_grid');
      assert.deepEqual(grids.map((g) => g.name).sort(), ['竹辉第一网格', '竹辉第二网格', '竹辉第三网格', '竹辉第四网格'].sort());
      assert.equal(micros.length, 16);
      assert.ok(micros.some((m) => m.name === '第一网格第1微网格'));
      const area = (o: { min_lng: number | null; max_lng: number | null; min_lat: number | null; max_lat: number | null }) =>
        (o.max_lng! - o.min_lng!) * (o.max_lat! - o.min_lat!);
      for (const g of grids) {
        assert.equal(g.depth, zhuhui.depth + 1);
        const kids = micros.filter((m) => m.parent_id === g.id);
        assert.equal(kids.length, 4);
        for (const m of kids) {
          assert.equal(JSON.parse(m.geometry!).type, 'Polygon');
          assert.ok(m.min_lng! >= g.min_lng! && m.max_lng! <= g.max_lng! && m.min_lat! >= g.min_lat! && m.max_lat! <= g.max_lat!);
        }
        assert.ok(Math.abs(kids.reduce((s, m) => s + area(m), 0) - area(g)) < 1e-9, 'micro-grids cover their grid');
      }
      assert.ok(Math.abs(grids.reduce((s, g) => s + area(g), 0) - area(zhuhui)) < 1e-9, 'grids cover the community');
      assert.ok(zhuhui.min_lat! > 31.2 && zhuhui.max_lat! < 31.4 && zhuhui.min_lng! > 120.5 && zhuhui.max_lng! < 120.7);
    });

    it('has the rest of the seed world', async () => {
      const parentName = async (name: string) => {
        const parentId = (await org(name)).parent_id!;
        return (await env.ctx.db.selectFrom('org_units').select('name').where('id', '=', parentId).executeTakeFirstOrThrow()).name;
      };
      assert.equal(await parentName('绿色时光社区'), '沧浪街道');
      assert.equal(await parentName('桃花坞社区'), '金阊街道');
      assert.equal(await parentName('峰汇园社区'), '相城高新区');
      assert.equal(await parentName('黄桥街道司法所'), '黄桥街道');
      assert.equal(await parentName('吴江经济技术开发区派出所'), '吴江经济技术开发区');
      assert.equal((await org('沧浪派出所')).kind, 'department');
      assert.equal((await org('苏州市')).kind, 'city');
    });

    it('has 竹辉新村 1幢…24幢 with 11幢 and 17幢, units, rooms and linked households', async () => {
      const buildings = await env.ctx.db.selectFrom('buildings').select(['id', 'name']).where('name', 'like', '竹辉新村%').execute();
      assert.equal(buildings.length, 24);
      const b11 = buildings.find((b) => b.name === '竹辉新村11幢');
      assert.ok(b11);
      assert.ok(buildings.some((b) => b.name === '竹辉新村17幢'));
      const households = await env.ctx.db.selectFrom('households').selectAll().where('building_id', '=', b11.id).execute();
      assert.ok(households.length > 20);
      assert.ok(households.every((h) => /^竹辉新村11幢[1-3]单元[1-6]0[12]室$/.test(h.address)));
      const liu = await env.ctx.db.selectFrom('residents').selectAll().where('name', '=', '刘香梅').where('address', 'like', '竹辉新村%').execute();
      assert.equal(liu.length, 1);
      assert.ok(liu[0]!.household_id);
    });

    it('generates ≥ 2,000 residents whose decrypted ID numbers are valid and agree with gender and birth date', async () => {
      const n = count((await env.ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.ok(n >= 2000, `${n} residents`);
      const step = Math.floor(n / 200);
      const rows = await env.ctx.db.selectFrom('residents').selectAll().orderBy('id').execute();
      const sample = rows.filter((_, i) => i % step === 0).slice(0, 200);
      assert.equal(sample.length, 200);
      for (const r of sample) {
        const id = env.ctx.crypto.decrypt(r.id_number_enc!);
        assert.equal(checkIdNumber(id), null, `${r.name} ${id}`);
        const facts = idNumberFacts(id);
        assert.equal(r.gender, facts.gender);
        assert.equal(r.birth_date, facts.birthDate);
        assert.ok(['320508', '320507', '320509'].includes(id.slice(0, 6)));
        if (r.phone_enc) assert.match(env.ctx.crypto.decrypt(r.phone_enc), /^1[358]\d{9}$/);
        assert.ok(r.relation_to_head);
      }
      // Tags mirrored one row per (resident, tag).
      const tagRows = await env.ctx.db.selectFrom('resident_tags').select(['resident_id', 'tag']).execute();
      const fromJson = rows.flatMap((r) => (JSON.parse(r.tags) as string[]).map((t) => `${r.id}:${t}`)).sort();
      assert.deepEqual(tagRows.map((t) => `${t.resident_id}:${t.tag}`).sort(), fromJson);
      const share = (tag: string) => tagRows.filter((t) => t.tag === tag).length / n;
      assert.ok(share('elderly') > 0.15 && share('elderly') < 0.3);
      assert.ok(share('party_member') > 0.05 && share('party_member') < 0.12);
      assert.ok(share('elderly_alone') > 0.01 && share('elderly_alone') < 0.05);
    });

    it('has the party chain, action branches 微党课 and 竹韵家园, teams and alliance members', async () => {
      const party = await env.ctx.db.selectFrom('party_orgs').selectAll().execute();
      const committee = party.find((p) => p.name === '竹辉社区大党委')!;
      assert.equal(committee.kind, 'community_committee');
      const branches = party.filter((p) => p.kind === 'grid_branch' && p.parent_id === committee.id);
      assert.equal(branches.length, 4);
      for (const b of branches) {
        const centers = party.filter((p) => p.kind === 'center_household' && p.parent_id === b.id);
        assert.ok(centers.length >= 2);
        assert.ok(centers.every((c) => c.household_id !== null));
      }
      const actions = party.filter((p) => p.kind === 'action_branch' && p.parent_id === committee.id).map((p) => p.name).sort();
      assert.deepEqual(actions, ['微党课', '竹韵家园'].sort());
      for (const name of ['峰汇园社区党支部', '桃花坞社区党委', '绿色时光社区党总支']) assert.ok(party.some((p) => p.name === name));
      const members = await env.ctx.db
        .selectFrom('party_members as m')
        .innerJoin('residents as r', 'r.id', 'm.resident_id')
        .select(['r.tags'])
        .execute();
      assert.ok(members.length > 100);
      assert.ok(members.every((m) => (JSON.parse(m.tags) as string[]).includes('party_member')));

      const teams = await env.ctx.db.selectFrom('teams').selectAll().execute();
      const vanguard = teams.find((t) => t.kind === 'vanguard')!;
      assert.equal(vanguard.name, '海棠先锋队');
      const vm = await env.ctx.db.selectFrom('team_members').selectAll().where('team_id', '=', vanguard.id).execute();
      assert.equal(vm.length, 16);
      assert.equal(vm.filter((m) => m.role === 'leader').length, 1);
      const perGrid = new Map<number, number>();
      for (const m of vm) perGrid.set(m.grid_id!, (perGrid.get(m.grid_id!) ?? 0) + 1);
      assert.deepEqual([...perGrid.values()], [4, 4, 4, 4]);
      const zhuhui = await org('竹辉社区');
      const volunteerNames = teams.filter((t) => t.kind === 'volunteer' && t.org_id === zhuhui.id).map((t) => t.name).sort();
      assert.deepEqual(volunteerNames, ['楼嫂志愿服务队', '便民服务队', '文化惠民服务队'].sort());
      const lvsg = await org('绿色时光社区');
      assert.equal(teams.filter((t) => t.org_id === lvsg.id).length, 4);
      for (const t of teams.filter((x) => x.kind === 'volunteer')) {
        const m = await env.ctx.db.selectFrom('team_members').select('role').where('team_id', '=', t.id).execute();
        assert.ok(m.length >= 5);
        assert.equal(m.filter((x) => x.role === 'leader').length, 1, t.name);
      }

      const alliance = await env.ctx.db.selectFrom('alliance_members').selectAll().where('org_id', '=', zhuhui.id).execute();
      assert.deepEqual([...new Set(alliance.map((a) => a.kind))].sort(), ['co_building', 'property', 'social_org']);
      assert.ok(alliance.some((a) => a.name === '竹辉物业服务中心' && a.kind === 'property'));
    });

    it("counts 竹辉社区's services this year as the seed does: 36 services, 230 hours, all certified", async () => {
      const zhuhui = await env.ctx.db.selectFrom('org_units').select('id').where('name', '=', '竹辉社区').executeTakeFirstOrThrow();
      const yearStart = `${beijingDate(Date.now()).slice(0, 4)}-01-01T00:00:00+08:00`;
      const done = await env.ctx.db
        .selectFrom('activities as a')
        .innerJoin('teams as t', 't.id', 'a.team_id')
        .select(['a.id', 'a.starts_at', 't.name'])
        .where('a.org_id', '=', zhuhui.id)
        .where('a.status', '=', 'finished')
        .where('a.kind', '=', 'service')
        .execute();
      assert.equal(done.length, 36);
      assert.deepEqual([...new Set(done.map((a) => a.name))].sort(), ['便民服务队', '文化惠民服务队', '楼嫂志愿服务队'].sort());
      assert.ok(done.every((a) => Date.parse(a.starts_at) + 2 * 3_600_000 <= Date.now()), 'all over');
      // This year's, unless the year is not yet 13 days old (then the last twelve days: see demo/activities.ts).
      const dayOfYear = Math.floor((Date.now() - Date.parse(yearStart)) / 86_400_000);
      if (dayOfYear >= 13) assert.ok(done.every((a) => Date.parse(a.starts_at) >= Date.parse(yearStart)), 'all this year');
      const starts = done.map((a) => a.starts_at);
      assert.equal(new Set(starts).size, 36, 'each service in its own slot');
      const records = await env.ctx.db
        .selectFrom('activity_signups')
        .select(['computed_minutes', 'confirmed_minutes', 'confirmed_at'])
        .where('activity_id', 'in', done.map((a) => a.id))
        .execute();
      assert.ok(records.every((r) => r.confirmed_at && r.confirmed_minutes === r.computed_minutes && r.confirmed_minutes! >= 72 && r.confirmed_minutes! <= 120));
      assert.equal(records.reduce((s, r) => s + r.confirmed_minutes!, 0), 230 * 60);
      // The same figures from the figures endpoint, by team: 12 services each, 230 hours in all.
      const staff = await login(env.app, 'staff', DEMO_PASSWORD);
      const year = yearStart.slice(0, 4);
      const from = dayOfYear >= 13 ? `${year}-01-01` : `${Number(year) - 1}-12-01`;
      const figures = (await staff.get(`/api/activities/figures?from=${from}&to=${year}-12-31&kind=service`)).json();
      assert.deepEqual([figures.total.services, figures.total.hours, figures.total.minutes], [36, 230, 230 * 60]);
      assert.deepEqual(figures.byTeam.map((r: { services: number }) => r.services), [12, 12, 12]);
      assert.equal(figures.byTeam.reduce((s: number, r: { minutes: number }) => s + r.minutes, 0), 230 * 60);
      assert.ok(figures.total.served > 0 && figures.total.volunteers > 0);
      assert.equal(figures.total.hoursPerVolunteer, Math.round((230 / figures.total.volunteers) * 10) / 10);
      const elsewhere = (await login(env.app, 'staff_lvsg', DEMO_PASSWORD)).get(`/api/activities/figures?from=${year}-01-01&to=${year}-12-31`);
      assert.equal((await elsewhere).json().total.services, 0, 'another community counts only its own');
      // Coming up: open for sign-up, and the demo resident (刘香梅) signed up, visible on her phone page.
      const client = await login(env.app, 'resident', DEMO_PASSWORD);
      const upcoming = (await client.get('/api/activities?upcoming=true')).json();
      assert.equal(upcoming.items.length, 3);
      for (const a of upcoming.items) {
        const mine = (await client.get(`/api/activities/${a.id}/signups`)).json().items;
        assert.deepEqual(mine.map((x: { status: string; name: string }) => [x.status, x.name]), [['confirmed', '刘香梅']]);
      }
      // Her own record: three services with the 楼嫂 team, their points in the ledger, and a shop to spend them in.
      const me = (await client.get('/api/volunteers/me')).json();
      assert.equal(me.services, 3);
      assert.ok(me.points > 0 && me.points === (await client.get('/api/points/me')).json().balance);
      assert.ok((await client.get('/api/rewards')).json().items.length >= 4);
      const balances = await env.ctx.db.selectFrom('point_accounts').select((eb) => eb.fn.sum<number>('balance').as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(balances.n), 0, 'the ledger balances');
    });

    it("has 竹辉新村's 海棠心愿箱 with wishes in every state, the longest-waiting first in public", async () => {
      const zhuhui = await env.ctx.db.selectFrom('org_units').select('id').where('name', '=', '竹辉社区').executeTakeFirstOrThrow();
      const rows = await env.ctx.db.selectFrom('wishes').select('status').execute();
      assert.deepEqual([...new Set(rows.map((r) => r.status))].sort(), ['claimed', 'collected', 'contacted', 'fulfilled', 'published', 'thanked', 'verified']);
      const pub = (await env.app.inject({ method: 'GET', url: `/api/public/wishes?communityId=${zhuhui.id}` })).json().items;
      assert.equal(pub.length, 3);
      assert.equal(pub[0].content, '想要一台收音机,每天听评弹');
      assert.equal(pub[0].priority, 2);
      assert.ok(pub.every((w: { publicName: string }) => /^\p{Script=Han}{1,2}\*+$/u.test(w.publicName)));
    });

    it('lets every demo account log in with the documented password', async () => {
      assert.deepEqual(first.accounts.map((a) => a.username), DEMO_ACCOUNTS.map((a) => a.username));
      for (const a of first.accounts) {
        const client = await login(env.app, a.username, DEMO_PASSWORD);
        const me = (await client.get('/api/auth/me')).json();
        assert.equal(me.account.role, a.role);
      }
      const resident = await env.ctx.db.selectFrom('accounts').selectAll().where('username', '=', 'resident').executeTakeFirstOrThrow();
      const liu = await env.ctx.db.selectFrom('residents').selectAll().where('id', '=', resident.resident_id!).executeTakeFirstOrThrow();
      assert.equal(liu.name, '刘香梅');
      assert.equal(resident.org_id, liu.org_id);
    });

    it('writes one audit entry and a second run changes nothing', async () => {
      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.seed').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.entity_type, 'system');
      assert.equal(JSON.parse(audit[0]!.after!).residents, first.counts!.residents);
      const before = await peopleDigest(env.ctx);
      const auditCount = async () => count((await env.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const auditBefore = await auditCount();
      const again = await seedDemo(env.ctx);
      assert.equal(again.created, false);
      assert.equal(again.counts, null);
      assert.deepEqual(again.accounts, first.accounts);
      assert.deepEqual(await peopleDigest(env.ctx), before);
      assert.equal(await auditCount(), auditBefore);
      assert.equal((await verifyAuditChain(env.ctx.db)).ok, true);
    });

    it('is deterministic: a second fresh database gets the same people and work orders in the same order', async () => {
      const other = await createTestDatabase(dialect);
      try {
        const ctx2 = createContext(env.ctx.config, other.database);
        const day = beijingDate(Date.now());
        const result = await seedDemo(ctx2);
        assert.deepEqual(result.counts, first.counts);
        // The same seed on the same day gives the same order numbers, states and timelines, on both dialects.
        const orders = await ordersDigest(env.ctx);
        assert.equal(await ordersDigest(ctx2), orders);
        if (beijingDate(Date.now()) === day) {
          const seen = orderDigests.get(day);
          if (seen) assert.equal(orders, seen);
          else orderDigests.set(day, orders);
        }
        const a = await peopleDigest(env.ctx);
        assert.deepEqual(await peopleDigest(ctx2), a);
        digestsByDialect.set(dialect, a.digest);
        // Both dialects generate the very same people.
        if (digestsByDialect.size > 1) assert.equal(new Set(digestsByDialect.values()).size, 1);
      } finally {
        await other.drop();
      }
    });
  });
}
