import { ROLES, type Role } from '@haitang/contracts';
import type { Dialect } from '../src/db/database.js';
import { buildTestApp, clientAs, createOrgTree, type Client, type TestEnv, type TestOrg } from './helpers.js';
import type { Actor } from '../src/lib/actor.js';
import {
  insertAllianceMember,
  insertBuilding,
  insertHousehold,
  insertImportJob,
  insertOrder,
  insertOrgNode,
  insertPartyMember,
  insertPartyOrg,
  insertResident,
  insertTeam,
  insertTeamMember,
} from './people.js';

/**
 * The world of the access-control matrix: two streets, so that every role has something outside
 * its scope.
 *
 *   姑苏区 ─ 沧浪街道 ─┬─ 竹辉社区 ─ 第一网格 ─ 第一微网格          branch "zhuhui"
 *                    ├─ 绿色时光社区 ─ 绿色时光第一网格 ─ …微网格   branch "sibling"
 *                    └─ 沧浪派出所 (department)                    place "department"
 *         └ 金阊街道 ─┬─ 桃花坞社区 ─ 桃花坞第一网格 ─ …微网格       branch "otherStreet"
 *                    └─ 金阊派出所 (department)
 *
 * Every branch holds one of each record (committee, grid branch, building, household, resident,
 * team, alliance member, import job), so every list has something to show and something to hide.
 */

export const BRANCHES = ['zhuhui', 'sibling', 'otherStreet'] as const;
export type BranchKey = (typeof BRANCHES)[number];
/** Where a target record lies: one of the branches, or (org endpoints only) the street's department. */
export type Place = BranchKey | 'department';
/** The org node of a branch that a record hangs on. */
export type Level = 'community' | 'grid' | 'micro';

/**
 * The tree's shape in symbols, used to name every case (inside/outside, expected status) before
 * the world exists; each case checks at run time that the real paths agree.
 */
const SYMBOLIC: Record<Place, Record<Level, string>> = {
  zhuhui: { community: '/S1/C1/', grid: '/S1/C1/G/', micro: '/S1/C1/G/M/' },
  sibling: { community: '/S1/C2/', grid: '/S1/C2/G/', micro: '/S1/C2/G/M/' },
  otherStreet: { community: '/S2/C3/', grid: '/S2/C3/G/', micro: '/S2/C3/G/M/' },
  department: { community: '/S1/P/', grid: '/S1/P/', micro: '/S1/P/' },
};

/**
 * Where each role's account sits. Admins are bound to a node too: this one to 沧浪街道, and it must
 * not see 金阊街道. The resident role holds no console permission at all: 403 on every endpoint
 * but its own session (ROLE_PERMISSIONS.resident is empty).
 */
const HOME: Record<Role, string> = {
  resident: '/S1/C1/',
  grid_worker: '/S1/C1/G/',
  community_staff: '/S1/C1/',
  department_handler: '/S1/P/',
  street_leader: '/S1/',
  admin: '/S1/',
};

export function isInside(role: Role, place: Place, level: Level): boolean {
  return SYMBOLIC[place][level].startsWith(HOME[role]);
}

export interface Branch {
  community: number;
  grid: number;
  micro: number;
  committee: number;
  gridBranch: number;
  building: number;
  household: number;
  resident: number;
  residentName: string;
  team: number;
  alliance: number;
  job: number;
  order: number;
}

export type RoleClient = Client & { actor: Actor };

export interface World {
  env: TestEnv;
  org: TestOrg;
  street2: number;
  department2: number;
  branches: Record<BranchKey, Branch>;
  clients: Record<Role, RoleClient>;
  /** An admin of 金阊街道: uploads the import jobs and writes audit entries in the other street. */
  outsider: RoleClient;
  /** A fresh unique label for names. */
  seq(prefix: string): string;
  /** The org node of `place` at `level`. */
  node(place: Place, level: Level): number;
  branch(place: Place): Branch;
  freshResident(place: Place): Promise<number>;
  /** The materialised path of an org node, read from the database. */
  pathOf(orgId: number): Promise<string>;
}

async function seedBranch(env: TestEnv, key: BranchKey, community: number, grid: number, micro: number, uploader: number): Promise<Branch> {
  const { ctx } = env;
  const committee = await insertPartyOrg(ctx, community, 'community_committee', `${key}-社区大党委`);
  const gridBranch = await insertPartyOrg(ctx, grid, 'grid_branch', `${key}-网格党支部`, { parentId: committee });
  const building = await insertBuilding(ctx, micro, `${key}-1幢`);
  const household = await insertHousehold(ctx, micro, `${key}-1幢101室`);
  const residentName = `${key}居民`;
  const resident = await insertResident(ctx, micro, residentName, { householdId: household });
  await insertPartyMember(ctx, gridBranch, resident);
  const team = await insertTeam(ctx, community, `${key}-志愿服务队`);
  await insertTeamMember(ctx, team, resident);
  const alliance = await insertAllianceMember(ctx, grid, `${key}-物业`);
  const job = await insertImportJob(ctx, uploader, grid);
  const order = await insertOrder(ctx, grid, { title: `${key}-垃圾未清运` });
  return { community, grid, micro, committee, gridBranch, building, household, resident, residentName, team, alliance, job, order };
}

/** Builds the app on a fresh database of the dialect, the two streets, their records and one logged-in client per role. */
export async function buildWorld(dialect: Dialect): Promise<World> {
  const env = await buildTestApp(dialect);
  const { ctx } = env;
  const org = await createOrgTree(ctx);
  const street2 = await insertOrgNode(ctx, org.district, 'street', '金阊街道');
  const community2 = await insertOrgNode(ctx, street2, 'community', '桃花坞社区');
  const grid2 = await insertOrgNode(ctx, community2, 'grid', '桃花坞第一网格');
  const micro2 = await insertOrgNode(ctx, grid2, 'micro_grid', '桃花坞第一微网格');
  const department2 = await insertOrgNode(ctx, street2, 'department', '金阊派出所');

  const homes: Record<Role, number> = {
    resident: org.community,
    grid_worker: org.grid,
    community_staff: org.community,
    department_handler: org.department,
    street_leader: org.street,
    admin: org.street,
  };
  // argon2 makes each account cost ~100 ms (hash + login): created once per dialect, in parallel.
  const [outsider, ...roleClients] = await Promise.all([
    clientAs(env, 'admin', street2),
    ...ROLES.map((role) => clientAs(env, role, homes[role])),
  ]);
  const clients = Object.fromEntries(ROLES.map((role, i) => [role, roleClients[i]!])) as Record<Role, RoleClient>;

  const branches: Record<BranchKey, Branch> = {
    zhuhui: await seedBranch(env, 'zhuhui', org.community, org.grid, org.microGrid, outsider!.actor.id),
    sibling: await seedBranch(env, 'sibling', org.otherCommunity, org.otherGrid, org.otherMicroGrid, outsider!.actor.id),
    otherStreet: await seedBranch(env, 'otherStreet', community2, grid2, micro2, outsider!.actor.id),
  };
  // An audit entry about the other street written there (the outsider's login wrote another).
  const audited = await outsider!.post('/api/teams', { orgId: community2, kind: 'other', name: '金阊审计样本队' });
  if (audited.statusCode !== 201) throw new Error(`outsider write failed: ${audited.statusCode} ${audited.body}`);

  let counter = 0;
  const branch = (place: Place): Branch => {
    if (place === 'department') throw new Error('no records of this kind at the department');
    return branches[place];
  };
  return {
    env,
    org,
    street2,
    department2,
    branches,
    clients,
    outsider: outsider!,
    seq: (prefix) => `${prefix}${++counter}`,
    node: (place, level) => (place === 'department' ? org.department : branches[place][level]),
    branch,
    freshResident(place) {
      return insertResident(ctx, branch(place).micro, `矩阵居民${++counter}`);
    },
    async pathOf(orgId) {
      const row = await ctx.db.selectFrom('org_units').select('path').where('id', '=', orgId).executeTakeFirstOrThrow();
      return row.path;
    },
  };
}
