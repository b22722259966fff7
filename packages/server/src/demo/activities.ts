import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DemoPlan } from './plan.js';
import { beijingDayStart, demoClock } from './orders-kit.js';
import { createRng } from './prng.js';
import { orgAccount, postTransaction, walletOf } from '../modules/volunteers/points.ledger.js';
import { pointRules } from '../modules/volunteers/points.service.js';
import { servicePoints } from '@haitang/contracts';

/**
 * The activities of 竹辉社区 (issue 4 point 8): this year's services of its three volunteer teams,
 * finished and certified, adding up to exactly the seed's figures ("今年开展服务36次,累计服务时长
 * 230小时"), and a few activities coming up, open for sign-up, with the demo resident signed up.
 */
export const DEMO_SERVICES = 36;
export const DEMO_SERVICE_MINUTES = 230 * 60;

const TEAM_SERVICES: Record<string, readonly string[]> = {
  楼嫂志愿服务队: ['独居老人陪聊', '关爱走访', '楼道清洁', '助老送餐'],
  便民服务队: ['义诊进社区', '便民维修', '义务理发', '测血压'],
  文化惠民服务队: ['文艺演出', '书法课堂', '广场舞教学', '读书分享会'],
};
const LENGTH_MIN = 120;
const SLOT_HOURS = [9, 14, 19] as const;
const MIN_SHARE = 60;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Ids {
  community: number;
  teamIds: number[];
  residentIds: number[];
  staffAccountId: number;
}

export async function writeDemoActivities(trx: Transaction<DB>, plan: DemoPlan, ids: Ids, now: string): Promise<number> {
  const rng = createRng(4_2026);
  const clock = demoClock(Date.parse(now));
  const yearStart = Date.UTC(new Date(clock + 8 * HOUR).getUTCFullYear(), 0, 1) - 8 * HOUR;
  const teams = plan.teams.map((t, i) => ({ t, id: ids.teamIds[i]! })).filter(({ t }) => TEAM_SERVICES[t.name]);
  if (teams.length !== 3) throw new Error('demo: the three volunteer teams of 竹辉社区 are missing');

  // The demo resident (刘香梅) helps the 楼嫂 team three times, so her phone page has hours too.
  const liu = ids.residentIds[plan.named['刘香梅']!]!;
  // 36 services, 12 per team, each in its own slot (9:00, 14:00 or 19:00 Beijing time, 2 hours) on
  // the days of this year before today, spread evenly; so no one serves at two places at once.
  // Before 13 January there are fewer than 36 such slots: the last twelve days are used then, and
  // some fall in the year before.
  const today = beijingDayStart(clock);
  const pastDays = Math.floor((today - yearStart) / DAY);
  const firstDay = pastDays * SLOT_HOURS.length >= DEMO_SERVICES ? yearStart : today - 12 * DAY;
  const days = Math.round((today - firstDay) / DAY);
  const slots = Array.from({ length: days * SLOT_HOURS.length }, (_, k) => firstDay + Math.floor(k / SLOT_HOURS.length) * DAY + SLOT_HOURS[k % SLOT_HOURS.length]! * HOUR);
  const services = Array.from({ length: DEMO_SERVICES }, (_, i) => {
    const team = teams[i % 3]!;
    const members = rng.shuffle(team.t.members.map((m) => ids.residentIds[m.resident]!)).slice(0, rng.int(3, 6));
    if (i < 9 && i % 3 === 0 && !members.includes(liu)) members.push(liu);
    return { team, title: TEAM_SERVICES[team.t.name]![Math.floor(i / 3) % 4]!, start: slots[Math.floor(((i + 0.5) * slots.length) / DEMO_SERVICES)]!, members, served: rng.int(8, 40) };
  });

  // The minutes of each record: near an even share of 230 hours, within [72, 120] (the 60 % rule
  // and the activity's length), adjusted minute by minute until the total is exact.
  const records = services.flatMap((s, a) => s.members.map((resident) => ({ a, resident, minutes: 0 })));
  const even = DEMO_SERVICE_MINUTES / records.length;
  const low = Math.ceil((LENGTH_MIN * MIN_SHARE) / 100);
  for (const r of records) r.minutes = Math.max(low, Math.min(LENGTH_MIN, Math.round(even * (0.85 + 0.3 * rng.next()))));
  let diff = DEMO_SERVICE_MINUTES - records.reduce((s, r) => s + r.minutes, 0);
  for (let i = 0; diff !== 0 && i < records.length * LENGTH_MIN; i++) {
    const r = records[i % records.length]!;
    if (diff > 0 && r.minutes < LENGTH_MIN) (r.minutes++, diff--);
    else if (diff < 0 && r.minutes > low) (r.minutes--, diff++);
  }
  if (diff !== 0) throw new Error('demo: the service minutes cannot add up to 230 hours');

  const rules = await pointRules(trx);
  const issue = await orgAccount(trx, ids.community, 'issue');
  const walletOrg = new Map(
    (await trx.selectFrom('residents').select(['id', 'org_id']).where('id', 'in', [...new Set(records.map((r) => r.resident))]).execute()).map((r) => [r.id, r.org_id]),
  );
  let count = 0;
  for (const [a, s] of services.entries()) {
    const end = s.start + LENGTH_MIN * 60_000;
    const { id } = await trx
      .insertInto('activities')
      .values({
        org_id: ids.community, team_id: s.team.id, organiser: s.team.t.name, kind: 'service', title: s.title, description: null,
        place: '竹辉新村', starts_at: iso(s.start), ends_at: iso(end), capacity: 10, audience: 'volunteers',
        min_share_percent: MIN_SHARE, cap_minutes: null, status: 'finished', served_count: s.served, confirmed_count: s.members.length,
        created_by: ids.staffAccountId, created_at: iso(s.start - 7 * DAY), updated_at: iso(end + HOUR),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    count++;
    const signups = await trx.insertInto('activity_signups').values(
      records
        .filter((r) => r.a === a)
        .map((r) => ({
          activity_id: id, resident_id: r.resident, status: 'confirmed', queued_at: iso(s.start - 5 * DAY), proxy_account_id: null,
          checked_in_at: iso(s.start), checked_out_at: iso(s.start + r.minutes * 60_000), computed_minutes: r.minutes,
          confirmed_minutes: r.minutes, confirmed_by: ids.staffAccountId, confirmed_at: iso(end + HOUR),
          created_at: iso(s.start - 5 * DAY), updated_at: iso(end + HOUR),
        })),
    ).returning(['id', 'resident_id', 'confirmed_minutes']).execute();
    // The points each certification earned (hours × rate × the kind's coefficient), as the organiser's confirmation posts them.
    for (const su of signups) {
      const points = servicePoints(su.confirmed_minutes!, rules.rate, rules.coefficient('service'));
      const wallet = await walletOf(trx, su.resident_id, walletOrg.get(su.resident_id)!);
      await postTransaction(trx, { kind: 'earn', memo: `${s.title}(${su.confirmed_minutes} 分钟)`, signupId: su.id, createdBy: ids.staffAccountId, at: iso(end + HOUR) }, [
        { accountId: wallet, amount: points, wallet: true },
        { accountId: issue, amount: -points },
      ]);
    }
  }

  // Coming up: a class, a Constitution Day event and a clean-up, open for sign-up.
  // `hour` o'clock Beijing time, `days` after the demo clock's day.
  const soon = (days: number, hour: number) => beijingDayStart(clock) + days * DAY + hour * HOUR;
  const upcoming = [
    { kind: 'class', title: '党的二十大精神学习 · 微党课', place: '竹辉社区党群服务中心', start: soon(3, 14), capacity: 40, team: null, audience: 'all' },
    { kind: 'event', title: '国家宪法日宪法宣传活动', place: '竹辉新村中心广场', start: soon(7, 9), capacity: null, team: null, audience: 'all' },
    { kind: 'service', title: '楼道清洁志愿服务', place: '竹辉新村11幢、17幢', start: soon(2, 9), capacity: 8, team: teams[0]!, audience: 'all' },
  ];
  // The class series of the seed (微党课 on 党的二十大精神): two sessions held, the third coming up.
  const { id: seriesId } = await trx
    .insertInto('class_series')
    .values({ org_id: ids.community, team_id: null, title: '党的二十大精神学习', description: '微党课,每周一讲', created_by: ids.staffAccountId, created_at: iso(clock - 20 * DAY), updated_at: iso(clock - 20 * DAY) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const learners = rng.shuffle(plan.residents.map((r, i) => ({ r, i })).filter(({ r }) => r.communityKey === 'zhuhui' && r.tags.includes('party_member')).map(({ i }) => ids.residentIds[i]!)).slice(0, 12);
  for (const [k, daysAgo] of [14, 7].entries()) {
    const start = today - daysAgo * DAY + 14 * HOUR;
    const { id } = await trx
      .insertInto('activities')
      .values({
        org_id: ids.community, team_id: null, organiser: '竹辉社区党委', kind: 'study', title: `党的二十大精神学习 · 第${k + 1}讲`, description: null,
        place: '竹辉社区党群服务中心', starts_at: iso(start), ends_at: iso(start + 90 * 60_000), capacity: 40, audience: 'all', min_share_percent: MIN_SHARE,
        cap_minutes: null, status: 'finished', confirmed_count: learners.length, created_by: ids.staffAccountId, created_at: iso(start - 7 * DAY), updated_at: iso(start + DAY),
        series_id: seriesId, materials: JSON.stringify([{ title: `第${k + 1}讲讲义`, url: null }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('activity_signups')
      .values(learners.map((resident, j) => ({
        activity_id: id, resident_id: resident, status: 'confirmed', queued_at: iso(start - 5 * DAY), proxy_account_id: null,
        // Most came; a few missed one session.
        checked_in_at: (j + k) % 5 === 4 ? null : iso(start + 5 * 60_000), created_at: iso(start - 5 * DAY), updated_at: iso(start + DAY),
      })))
      .execute();
  }

  for (const u of upcoming) {
    const { id } = await trx
      .insertInto('activities')
      .values({
        org_id: ids.community, team_id: u.team?.id ?? null, organiser: u.team?.t.name ?? '竹辉社区', kind: u.kind, title: u.title,
        description: null, place: u.place, starts_at: iso(u.start), ends_at: iso(u.start + LENGTH_MIN * 60_000), capacity: u.capacity,
        audience: u.audience, min_share_percent: MIN_SHARE, cap_minutes: null, status: 'published', confirmed_count: 1,
        series_id: u.kind === 'class' ? seriesId : null,
        created_by: ids.staffAccountId, created_at: now, updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    count++;
    await trx
      .insertInto('activity_signups')
      .values({ activity_id: id, resident_id: liu, status: 'confirmed', queued_at: now, proxy_account_id: null, created_at: now, updated_at: now })
      .execute();
  }
  // The points shop of 竹辉社区.
  const at = now;
  await trx
    .insertInto('rewards')
    .values([
      { org_id: ids.community, name: '环保购物袋', description: '可折叠,印有海棠标志', cost: 30, stock: 40, created_at: at, updated_at: at },
      { org_id: ids.community, name: '理发券', description: '便民服务队义务理发,免排队', cost: 60, stock: 30, created_at: at, updated_at: at },
      { org_id: ids.community, name: '社区电影票', description: '每月一场,党群服务中心放映', cost: 80, stock: 20, created_at: at, updated_at: at },
      { org_id: ids.community, name: '洗衣液', description: '2 公斤装', cost: 100, stock: 15, created_at: at, updated_at: at },
    ])
    .execute();
  return count;
}

const iso = (ms: number) => new Date(ms).toISOString();
