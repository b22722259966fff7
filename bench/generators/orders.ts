import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../packages/server/src/db/database.js';
import type { DB } from '../../packages/server/src/db/schema.js';
import { createRng, type Rng } from '../../packages/server/src/demo/prng.js';
import { documentTerms } from '../../packages/server/src/lib/segment.js';
import { beijingDate } from '../../packages/server/src/lib/working-time.js';
import { orderNumber } from '../../packages/server/src/modules/workorders/order.repository.js';
import { documentText, PLACE_TOKENS_SQL } from '../../packages/server/src/modules/workorders/order.fts.js';
import { hashPassword } from '../../packages/server/src/modules/auth/password.js';
import { generateOrgTree } from './org-tree.js';
import { fakeName } from './residents.js';

/**
 * Deterministic work orders for the benchmarks: a year of intake in the given places, spread over
 * categories (most common first), channels and every state of the loop as a real year leaves them
 * (old orders mostly closed and called back, recent ones still open), with Chinese titles and
 * descriptions from a vocabulary and their search terms (jieba words as the intake
 * writes them). Rows are written in bulk: prepared inserts in large transactions on SQLite,
 * `insert … select from unnest(arrays)` on PostgreSQL.
 */

/** Problem vocabulary per category code: titles (what the order is called) and details. */
const VOCAB: Record<string, { weight: number; titles: string[]; details: string[] }> = {
  garbage: {
    weight: 16,
    titles: ['垃圾未及时清运', '垃圾桶满溢', '建筑垃圾乱堆', '垃圾分类亭异味'],
    details: ['已经堆了三天没人处理', '夏天气味很大招苍蝇', '影响居民出行', '希望增加清运次数'],
  },
  corridor_clutter: {
    weight: 12,
    titles: ['楼道堆放杂物', '楼道停放电动车', '消防通道堆物', '楼梯间堆放纸箱'],
    details: ['存在消防安全隐患', '老人上下楼不方便', '多次劝说无效', '请社区协调清理'],
  },
  greenery: {
    weight: 6,
    titles: ['绿化带杂草丛生', '树枝遮挡窗户', '草坪被占用种菜', '行道树倒伏'],
    details: ['需要修剪', '影响采光', '蚊虫较多', '台风后一直没有处理'],
  },
  road_damage: {
    weight: 7,
    titles: ['小区道路破损', '人行道地砖松动', '路面坑洼积水', '窨井盖缺失'],
    details: ['雨天积水严重', '晚上容易绊倒', '电动车经过很危险', '请尽快修复'],
  },
  street_light: {
    weight: 9,
    titles: ['路灯不亮', '路灯故障', '楼道灯损坏', '路灯白天常亮'],
    details: ['晚上出行很不安全', '已经坏了一个星期', '附近老人晚上散步看不清', '浪费电'],
  },
  drain_blocked: {
    weight: 6,
    titles: ['下水道堵塞', '污水外溢', '雨水井堵塞', '化粪池满溢'],
    details: ['气味难闻', '污水流到路面', '一下雨就倒灌', '请安排疏通'],
  },
  elevator: {
    weight: 5,
    titles: ['电梯故障停运', '电梯异响', '电梯困人', '电梯按钮失灵'],
    details: ['高层老人出行困难', '物业迟迟不修', '存在安全隐患', '希望加装电梯监控'],
  },
  water_leak: {
    weight: 7,
    titles: ['房屋漏水', '楼上渗水', '外墙渗水', '水管爆裂'],
    details: ['天花板发霉', '墙面起皮', '与楼上邻居协商未果', '请物业上门查看'],
  },
  parking: {
    weight: 8,
    titles: ['车辆乱停乱放', '占用消防通道停车', '僵尸车长期占位', '充电桩不足'],
    details: ['堵住小区出入口', '救护车进不来', '车位紧张', '夜间飞线充电有隐患'],
  },
  noise: {
    weight: 8,
    titles: ['装修噪音扰民', '广场舞噪音', '夜间施工噪音', '商铺音响噪音'],
    details: ['中午和晚上也在施工', '影响老人孩子休息', '音量很大', '请执法部门处理'],
  },
  dispute_other: {
    weight: 4,
    titles: ['邻里纠纷', '宠物扰民', '高空抛物', '公共区域占用'],
    details: ['双方多次争吵', '狗叫声影响休息', '楼下车辆被砸', '请社区调解'],
  },
  security_risk: {
    weight: 3,
    titles: ['门禁损坏', '监控探头失灵', '围墙破损', '可疑人员出没'],
    details: ['外来人员随意进出', '车棚电动车被盗', '小区安全没有保障', '请加强巡逻'],
  },
  fire_risk: {
    weight: 3,
    titles: ['电动车楼道充电', '灭火器过期', '消防栓损坏', '私拉电线'],
    details: ['存在火灾隐患', '消防设施长期无人检查', '请消防部门检查', '请物业整改'],
  },
  hukou_migration: {
    weight: 1,
    titles: ['户口迁移咨询', '集体户口迁出', '落户材料咨询'],
    details: ['不清楚需要哪些材料', '想预约办理时间', '外地户口迁入本市'],
  },
  certificates: {
    weight: 1,
    titles: ['居住证办理', '身份证补办', '证明开具'],
    details: ['工作日没有时间', '询问办理流程', '老人行动不便希望上门'],
  },
  home_care: {
    weight: 2,
    titles: ['独居老人需要照料', '居家养老服务申请', '老人助浴需求'],
    details: ['子女在外地', '老人行动不便', '希望定期上门探访'],
  },
  meal_service: {
    weight: 1,
    titles: ['助餐点饭菜质量', '助餐配送延误', '希望开设助餐点'],
    details: ['老人反映饭菜偏咸', '送餐时间不固定', '附近没有老年食堂'],
  },
  other_matters: {
    weight: 2,
    titles: ['公共设施损坏', '健身器材损坏', '宣传栏破损'],
    details: ['存在安全隐患', '孩子玩耍容易受伤', '请相关部门维修'],
  },
};

const ESTATES = ['竹辉新村', '南园新村', '沧浪新城', '杨枝塘', '盘门小区', '府前花园', '桂花新村', '吉庆新村', '新市花园', '瑞光新村', '锦绣苑', '星港湾', '彩香一村', '双塔花园', '金狮大厦'];
const ASKS = ['请尽快处理', '希望相关部门重视', '请社区协调解决', '盼早日解决', '麻烦安排人员查看'];
const PRAISE = ['感谢网格员上门服务', '表扬社区工作人员', '感谢民警热心帮助', '感谢物业及时维修'];

const CHANNELS: [string, number][] = [
  ['hotline', 40],
  ['visit', 18],
  ['patrol', 15],
  ['web', 12],
  ['walk_in', 8],
  ['wish_box', 4],
  ['open311', 3],
];

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface OrderGenOptions {
  /** Grids and micro-grids the orders lie in, each with the units its orders are dispatched to. */
  places: { id: number; handlers: number[] }[];
  count: number;
  /** First Beijing day of the year of intake, e.g. '2025-01-01'; the year after it is the "as of". */
  fromDate?: string;
  seed?: number;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

type Cell = string | number | null;
/** The work_orders columns written, with their PostgreSQL array types. */
const COLUMNS: [string, string][] = [
  ['id', 'int'],
  ['number', 'text'],
  ['hotline_number', 'text'],
  ['channel', 'text'],
  ['category_id', 'int'],
  ['urgency', 'text'],
  ['title', 'text'],
  ['description', 'text'],
  ['original_description', 'text'],
  ['org_id', 'int'],
  ['address', 'text'],
  ['reporter_name', 'text'],
  ['anonymous', 'int'],
  ['handler_org_id', 'int'],
  ['status', 'text'],
  ['merged_into_id', 'int'],
  ['praise', 'int'],
  ['praised_person', 'text'],
  ['on_the_spot', 'int'],
  ['satisfaction', 'text'],
  ['reopen_count', 'int'],
  ['return_count', 'int'],
  ['send_back_count', 'int'],
  ['sign_due_at', 'text'],
  ['handle_due_at', 'text'],
  ['accepted_at', 'text'],
  ['dispatched_at', 'text'],
  ['signed_at', 'text'],
  ['replied_at', 'text'],
  ['closed_at', 'text'],
  ['evaluated_at', 'text'],
  ['closed_on_time', 'int'],
  ['handling_work_hours', 'float8'],
  ['version', 'int'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
];

/** Splits a text at punctuation and spaces: jieba segments such blocks independently. */
const FRAGMENT = /[^\s，。、]+/g;

/**
 * The search terms of a text, as `documentTerms` gives them, from a cache of its fragments: the
 * vocabulary repeats, so a million orders need only a few thousand segmentations.
 */
function termCache() {
  const cache = new Map<string, string[]>();
  return (text: string): string[] => {
    const out = new Set<string>();
    for (const f of text.match(FRAGMENT) ?? []) {
      let t = cache.get(f);
      if (!t) cache.set(f, (t = documentTerms(f)));
      for (const x of t) out.add(x);
    }
    return [...out];
  };
}

function weighted<T>(r: Rng, items: readonly (readonly [T, number])[]): T {
  return r.weighted(items);
}

interface Generated {
  row: Cell[];
  terms: string[];
}

/** Where the order's place sits in a row (its terms carry it too). */
const ORG_COL = COLUMNS.findIndex(([c]) => c === 'org_id');

/** One order: its row (in COLUMNS order) and its terms. */
function makeOrder(
  r: Rng,
  id: number,
  createdMs: number,
  asOfMs: number,
  o: OrderGenOptions,
  categories: Map<string, number>,
  terms: (text: string) => string[],
): Generated {
  const iso = (ms: number) => new Date(ms).toISOString();
  const ageDays = (asOfMs - createdMs) / DAY;
  const at = o.places[Math.floor(r.next() * o.places.length)]!;
  const place = at.id;
  const channel = weighted(r, CHANNELS);
  const estate = r.pick(ESTATES);
  const address = `${estate}${r.int(1, 40)}幢${r.int(1, 4)}单元`;
  const urgency = r.chance(0.03) ? 'urgent' : r.chance(0.005) ? 'emergency' : 'normal';
  const created = iso(createdMs);
  const v: Record<string, Cell> = {
    id,
    number: orderNumber(beijingDate(createdMs), id),
    hotline_number: channel === 'hotline' ? `12345-${beijingDate(createdMs).slice(0, 4)}-${String(id).padStart(8, '0')}` : null,
    channel,
    urgency,
    org_id: place,
    address,
    reporter_name: r.chance(0.8) ? fakeName(r.next) : null,
    anonymous: r.chance(0.05) ? 1 : 0,
    handler_org_id: null,
    merged_into_id: null,
    praise: 0,
    praised_person: null,
    on_the_spot: 0,
    satisfaction: null,
    reopen_count: 0,
    return_count: 0,
    send_back_count: 0,
    sign_due_at: null,
    handle_due_at: null,
    accepted_at: null,
    dispatched_at: null,
    signed_at: null,
    replied_at: null,
    closed_at: null,
    evaluated_at: null,
    closed_on_time: null,
    handling_work_hours: null,
    created_at: created,
  };
  let title: string;
  let description: string;
  let categoryCode: string;
  let version = 1;
  const kind = r.next();
  if (kind < 0.015) {
    // A praise order (表扬工单) by hotline: registered and closed.
    categoryCode = 'praise';
    const who = fakeName(r.next);
    title = r.pick(PRAISE);
    description = `${address}居民来电，${title}${who}，${r.pick(['服务热情周到', '问题解决得又快又好', '耐心细致'])}。`;
    Object.assign(v, { channel: 'hotline', praise: 1, praised_person: who, status: 'closed', accepted_at: created, closed_at: iso(createdMs + HOUR), closed_on_time: 1, handling_work_hours: 0 });
    version = 3;
  } else {
    categoryCode = weighted(r, Object.entries(VOCAB).map(([code, x]) => [code, x.weight] as const));
    const voc = VOCAB[categoryCode]!;
    title = r.pick(voc.titles);
    description = `${address}${title}，${r.pick(voc.details)}，${r.pick(ASKS)}。`;
    if (kind < 0.035) {
      // A duplicate merged into an earlier order of the place.
      Object.assign(v, { status: 'merged', merged_into_id: Math.max(1, id - 1 - Math.floor(r.next() * 50)), accepted_at: created });
      version = 3;
    } else if (kind < 0.065) {
      Object.assign(v, { status: 'rejected', channel: 'web' });
      version = 2;
    } else if (kind < 0.065 + 0.02 * Math.max(0, 1 - ageDays / 3)) {
      v.status = 'submitted'; // a fresh public report, not yet looked at
    } else {
      v.accepted_at = iso(createdMs + r.int(1, 120) * 60_000);
      const accepted = Date.parse(v.accepted_at);
      const handlingHours = Math.min(400, 1 + Math.round(-Math.log(1 - r.next()) * 18 * 10) / 10);
      // How far the order got: recent orders are still being worked.
      const progress = ageDays > 30 ? 1 : ageDays > 7 ? 0.85 : ageDays / 9;
      if (r.chance(0.15)) {
        // Resolved on the spot by the grid worker (simple problem).
        Object.assign(v, { on_the_spot: 1, handler_org_id: place, status: 'closed', closed_at: v.accepted_at, closed_on_time: 1, handling_work_hours: 0 });
        version = 3;
        if (ageDays > 2 && r.chance(0.7)) {
          v.status = 'evaluated';
          v.satisfaction = weighted(r, [['satisfied', 88], ['basically_satisfied', 10], ['dissatisfied', 2]] as const);
          v.evaluated_at = iso(accepted + 2 * DAY);
          version++;
        }
      } else {
        const handler = at.handlers[Math.floor(r.next() * at.handlers.length)]!;
        const stage = r.next() < progress ? 'done' : weighted(r, [['accepted', 8], ['dispatched', 20], ['in_progress', 50], ['replied', 22]] as const);
        if (stage === 'accepted') {
          v.status = 'accepted';
          version = 2;
          if (r.chance(0.1)) v.return_count = 1; // returned, waiting for another unit
          version += v.return_count as number;
        } else {
          const dispatched = accepted + r.int(1, 6) * HOUR;
          Object.assign(v, {
            handler_org_id: handler,
            dispatched_at: iso(dispatched),
            sign_due_at: iso(dispatched + 24 * HOUR),
            handle_due_at: iso(dispatched + 7 * DAY),
            return_count: r.chance(0.05) ? 1 : 0,
            status: stage === 'done' ? 'closed' : stage,
          });
          version = 3 + 2 * (v.return_count as number);
          if (stage !== 'dispatched') {
            v.signed_at = iso(dispatched + r.int(1, 20) * HOUR);
            version++;
          }
          if (stage === 'replied' || stage === 'done') {
            v.replied_at = iso(dispatched + handlingHours * HOUR);
            v.send_back_count = r.chance(0.04) ? 1 : 0;
            version += 1 + 2 * (v.send_back_count as number);
          }
          if (stage === 'done') {
            const closedMs = Date.parse(v.replied_at as string) + r.int(2, 30) * HOUR;
            Object.assign(v, { closed_at: iso(closedMs), closed_on_time: r.chance(0.96) ? 1 : 0, handling_work_hours: handlingHours });
            version++;
            if (r.chance(0.75)) {
              v.status = 'evaluated';
              v.satisfaction = weighted(r, [['satisfied', 85], ['basically_satisfied', 11], ['dissatisfied', 4]] as const);
              v.evaluated_at = iso(closedMs + r.int(1, 3) * DAY);
              version++;
              if (v.satisfaction === 'dissatisfied' && r.chance(0.6)) {
                // Reopened (重办): back in progress, or handled and closed again without a new rating.
                Object.assign(v, { reopen_count: 1, satisfaction: null, evaluated_at: null });
                version++;
                if (r.chance(0.7)) version += 2;
                else Object.assign(v, { status: 'in_progress', closed_at: null, closed_on_time: null, handling_work_hours: null, replied_at: null });
              }
            }
          }
        }
      }
    }
  }
  v.category_id = categories.get(categoryCode)!;
  v.title = title;
  v.description = description;
  v.original_description = description;
  v.version = version;
  v.updated_at = [v.evaluated_at, v.closed_at, v.replied_at, v.signed_at, v.dispatched_at, v.accepted_at, created].find((x) => x !== null) as string;
  return { row: COLUMNS.map(([c]) => v[c] ?? null), terms: terms(`${title} ${description}`) };
}

/**
 * Writes `count` orders with ids 1..count (into an empty work_orders table) and their terms
 * (SQLite: a document of the FTS5 index each; PostgreSQL: order_terms rows). Returns the number of
 * terms.
 */
export async function generateOrders(
  target: { dialect: Dialect; db: Kysely<DB>; sqliteFile: string },
  o: OrderGenOptions,
): Promise<{ terms: number }> {
  const r = createRng(o.seed ?? 7);
  const fromMs = Date.parse(`${o.fromDate ?? '2025-01-01'}T00:00:00+08:00`);
  const spanMs = 365 * DAY;
  const asOfMs = fromMs + spanMs;
  const cats = await target.db.selectFrom('order_categories').select(['id', 'code']).execute();
  const categories = new Map(cats.map((c) => [c.code, c.id]));
  const terms = termCache();
  // The cache must give exactly what the intake writes: check on the first orders.
  const check = (g: Generated) => {
    const title = g.row[COLUMNS.findIndex(([c]) => c === 'title')] as string;
    const description = g.row[COLUMNS.findIndex(([c]) => c === 'description')] as string;
    const want = documentTerms(`${title} ${description}`).sort().join('|');
    if ([...g.terms].sort().join('|') !== want) throw new Error(`term cache differs from documentTerms for "${title} ${description}"`);
  };
  // Intake follows the day: most orders between 8:00 and 20:00 Beijing time.
  const createdAt = (i: number) => {
    const day = Math.floor((i * 365) / o.count);
    const hour = r.chance(0.85) ? 8 + r.next() * 12 : r.next() * 24;
    return fromMs + day * DAY + Math.floor(hour * HOUR);
  };

  const BATCH = target.dialect === 'sqlite' ? 10_000 : 5_000;
  let written = 0;
  let termRows = 0;
  const t0 = Date.now();
  const progress = () => o.log?.(`  orders ${written}/${o.count} (${termRows} terms) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  if (target.dialect === 'sqlite') {
    const raw = new SqliteDatabase(target.sqliteFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = OFF');
    raw.pragma('busy_timeout = 5000');
    const insertOrder = raw.prepare(`insert into work_orders (${COLUMNS.map(([c]) => c).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
    // The search index's document as the server writes it (order.fts.ts): terms, then place tokens.
    const insertDoc = raw.prepare(`insert into order_fts (rowid, doc) select ?, ? || ' ' || (select ${PLACE_TOKENS_SQL} from org_units o where o.id = ?)`);
    const batch = raw.transaction((rows: Generated[]) => {
      for (const g of rows) {
        insertOrder.run(...g.row);
        insertDoc.run(g.row[0], documentText(g.terms), g.row[ORG_COL]);
      }
    });
    try {
      while (written < o.count) {
        const rows: Generated[] = [];
        for (let i = written; i < Math.min(o.count, written + BATCH); i++) rows.push(makeOrder(r, i + 1, createdAt(i), asOfMs, o, categories, terms));
        if (written === 0) rows.slice(0, 300).forEach(check);
        batch(rows);
        written += rows.length;
        termRows += rows.reduce((n, g) => n + g.terms.length, 0);
        if (written % 100_000 === 0) progress();
      }
    } finally {
      raw.close();
    }
  } else {
    const colList = sql.raw(COLUMNS.map(([c]) => c).join(', '));
    const unnestArgs = (arrays: Cell[][]) => sql.join(arrays.map((a, i) => sql`${a}::${sql.raw(COLUMNS[i]![1])}[]`));
    while (written < o.count) {
      const rows: Generated[] = [];
      for (let i = written; i < Math.min(o.count, written + BATCH); i++) rows.push(makeOrder(r, i + 1, createdAt(i), asOfMs, o, categories, terms));
      if (written === 0) rows.slice(0, 300).forEach(check);
      const arrays: Cell[][] = COLUMNS.map((_, k) => rows.map((g) => g.row[k]!));
      const termTexts: string[] = [];
      const termIds: number[] = [];
      const termOrgs: number[] = [];
      for (const g of rows) for (const t of g.terms) (termTexts.push(t), termOrgs.push(g.row[ORG_COL] as number), termIds.push(g.row[0] as number));
      await target.db.transaction().execute(async (trx) => {
        await sql`insert into work_orders (${colList}) select * from unnest(${unnestArgs(arrays)})`.execute(trx);
        await sql`insert into order_terms (term, org_id, order_id) select * from unnest(${termTexts}::text[], ${termOrgs}::int[], ${termIds}::int[])`.execute(trx);
      });
      written += rows.length;
      termRows += termTexts.length;
      if (written % 100_000 === 0) progress();
    }
    await sql`select setval(pg_get_serial_sequence('work_orders', 'id'), (select max(id) from work_orders))`.execute(target.db);
  }
  progress();
  return { terms: termRows };
}

/** Adds handler units (departments) under a street, like the 派出所 and 城管中队 of a real one. */
export async function addDepartments(db: Kysely<DB>, street: { id: number; path: string; depth: number }): Promise<number[]> {
  const names = ['派出所', '城管中队', '市场监管所', '司法所', '物业服务中心', '环卫所', '供电服务站', '水务所'];
  const now = new Date().toISOString();
  const ids: number[] = [];
  for (const name of names) {
    const row = await db
      .insertInto('org_units')
      .values({ parent_id: street.id, kind: 'department', name, code: null, path: 'pending', depth: street.depth + 1, geometry: null, min_lng: null, min_lat: null, max_lng: null, max_lat: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('org_units').set({ path: `${street.path}${row.id}/` }).where('id', '=', row.id).execute();
    ids.push(row.id);
  }
  return ids;
}

/**
 * The world of the order benchmarks: the 20,000-node org tree (40 streets) with eight departments
 * under every street, and `count` orders received over 2025. Layout `city` (default, realistic)
 * spreads them over every grid and micro-grid of the city, a street holding 1/40 of them; layout
 * `street` puts them all in the first street (the worst case: one street with every order). Orders
 * are dispatched to a department of their street (three in four) or to their community. Accounts
 * (password `bench-password`): `city` (street leader bound to the root: sees every order),
 * `leader` (the first street), `staff` (its first community), `handler` (its first department).
 */
export async function buildOrderWorld(
  s: { database: { db: Kysely<DB>; dialect: Dialect }; sqliteFile: string },
  count: number,
  opts: { layout?: 'city' | 'street'; log?: (line: string) => void } = {},
) {
  const db = s.database.db;
  const tree = await generateOrgTree(db, 20_000);
  // The tree is written with explicit ids: move PostgreSQL's sequence past them.
  if (s.database.dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('org_units', 'id'), (select max(id) from org_units))`.execute(db);
  const streets = await db.selectFrom('org_units').select(['id', 'path', 'depth']).where('kind', '=', 'street').orderBy('id').execute();
  const departments = new Map<number, number[]>();
  for (const st of streets) departments.set(st.id, await addDepartments(db, st));
  const street = streets.find((x) => x.id === tree.street.id)!;
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'kind', 'path'])
    .where('kind', 'in', ['grid', 'micro_grid'])
    .$if(opts.layout === 'street', (q) => q.where('path', 'like', `${street.path}%`))
    .orderBy('id')
    .execute();
  // A path is /city/district/street/community/grid/…: the street and community ids are in it.
  const places = rows.map((p) => {
    const [, , streetId, communityId] = p.path.split('/').filter(Boolean).map(Number);
    const depts = departments.get(streetId!)!;
    return { id: p.id, kind: p.kind, path: p.path, handlers: [...depts, ...depts, ...depts, communityId!] };
  });
  const t0 = Date.now();
  const { terms } = await generateOrders({ dialect: s.database.dialect, db, sqliteFile: s.sqliteFile }, { places, count, log: opts.log });
  // PostgreSQL: vacuum too, as autovacuum would have by now (index-only scans need the visibility map).
  await (s.database.dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
  const seconds = (Date.now() - t0) / 1000;
  const community = await db.selectFrom('org_units').select('id').where('kind', '=', 'community').where('parent_id', '=', street.id).orderBy('id').executeTakeFirstOrThrow();
  const grid = await db.selectFrom('org_units').select('id').where('kind', '=', 'grid').where('parent_id', '=', community.id).orderBy('id').executeTakeFirstOrThrow();
  const department = departments.get(street.id)![0]!;
  const now = new Date().toISOString();
  const hash = await hashPassword('bench-password');
  for (const [username, role, orgId] of [
    ['city', 'street_leader', tree.root.id],
    ['leader', 'street_leader', street.id],
    ['staff', 'community_staff', community.id],
    ['handler', 'department_handler', department],
  ] as const) {
    await db.insertInto('accounts').values({ username, display_name: username, password_hash: hash, role, org_id: orgId, resident_id: null, locked_until: null, password_changed_at: null, created_at: now, updated_at: now }).execute();
  }
  return { root: tree.root.id, street: street.id, community: community.id, grid: grid.id, department, places: places.length, terms, seconds };
}
