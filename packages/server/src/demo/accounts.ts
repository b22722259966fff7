import type { Role } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** The one documented password of every demo account (README). Change it on any real deployment. */
export const DEMO_PASSWORD = 'Haitang@2026';

export interface DemoAccountSpec {
  username: string;
  displayName: string;
  role: Role;
  /** Org key from world.ts; null: the micro-grid of the linked resident. */
  orgKey: string | null;
  /** Named resident (plan.named) the account belongs to. */
  resident?: string;
}

/** One account per role, bound to the org node whose data it may see. */
export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', orgKey: 'suzhou' },
  { username: 'leader', displayName: '沧浪街道领导', role: 'street_leader', orgKey: 'canglang' },
  { username: 'staff', displayName: '竹辉社区工作者', role: 'community_staff', orgKey: 'zhuhui' },
  { username: 'grid1', displayName: '竹辉第一网格网格员', role: 'grid_worker', orgKey: 'zhuhui.g1' },
  { username: 'police', displayName: '沧浪派出所民警', role: 'department_handler', orgKey: 'canglang.police' },
  { username: 'resident', displayName: '刘香梅', role: 'resident', orgKey: null, resident: '刘香梅' },
  { username: 'staff_lvsg', displayName: '绿色时光社区工作者', role: 'community_staff', orgKey: 'lvsg' },
  // The seed's 12345 praise order: auxiliary officer 曹金 of the household-registration hall, and the
  // street that registers and dispatches the orders of 吴江经济技术开发区 (it has no community in the demo).
  { username: 'police_wj', displayName: '曹金', role: 'department_handler', orgKey: 'wjEtdz.police' },
  { username: 'leader_wj', displayName: '吴江经济技术开发区领导', role: 'street_leader', orgKey: 'wjEtdz' },
];

export interface DemoAccountRow {
  username: string;
  password: string;
  role: string;
  org: string;
}

/**
 * The demo accounts present in the database, in DEMO_ACCOUNTS order. A grid or micro-grid is
 * shown with its community ("竹辉社区 / 第三网格第3微网格"), whose name alone would be ambiguous.
 */
export async function listDemoAccounts(db: Kysely<DB>): Promise<DemoAccountRow[]> {
  const rows = await db
    .selectFrom('accounts as a')
    .innerJoin('org_units as o', 'o.id', 'a.org_id')
    .select(['a.username', 'a.role', 'o.name', 'o.kind', 'o.path'])
    .where('a.username', 'in', DEMO_ACCOUNTS.map((a) => a.username))
    .execute();
  const ancestorIds = [...new Set(rows.flatMap((r) => r.path.split('/').filter(Boolean).map(Number)))];
  const communities = ancestorIds.length
    ? await db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ancestorIds).where('kind', '=', 'community').execute()
    : [];
  const communityName = new Map(communities.map((c) => [c.id, c.name]));
  const label = (r: (typeof rows)[number]) => {
    if (r.kind !== 'grid' && r.kind !== 'micro_grid') return r.name;
    const community = r.path.split('/').filter(Boolean).map(Number).find((id) => communityName.has(id));
    return community === undefined ? r.name : `${communityName.get(community)} / ${r.name}`;
  };
  const byName = new Map(rows.map((r) => [r.username, r]));
  return DEMO_ACCOUNTS.flatMap((spec) => {
    const r = byName.get(spec.username);
    return r ? [{ username: r.username, password: DEMO_PASSWORD, role: r.role, org: label(r) }] : [];
  });
}

/** Terminal width of a string: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

const padTo = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** username / password / role / org as an aligned text table. */
export function formatAccountsTable(rows: readonly DemoAccountRow[]): string {
  const header: DemoAccountRow = { username: 'username', password: 'password', role: 'role', org: 'org' };
  const cols = ['username', 'password', 'role', 'org'] as const;
  const widths = cols.map((c) => Math.max(...[header, ...rows].map((r) => width(r[c]))));
  const line = (r: DemoAccountRow) => cols.map((c, i) => padTo(r[c], widths[i]!)).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
