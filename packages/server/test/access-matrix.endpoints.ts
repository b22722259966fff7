import { randomBytes } from 'node:crypto';
import type { Permission } from '@haitang/contracts';
import { buildResidentTemplate } from '../src/modules/imports/import.workbook.js';
import { BRANCHES, type Level, type Place, type World } from './access-matrix.world.js';
import {
  insertActivity,
  insertAllianceMember,
  insertBuilding,
  insertHousehold,
  insertImportJob,
  insertOrder,
  insertOrderItem,
  insertOrderPhoto,
  insertOrgNode,
  insertPartyMember,
  insertPartyOrg,
  insertRedemption,
  insertReward,
  insertSeries,
  insertSignup,
  insertWish,
  insertTeam,
  insertTeamMember,
} from './people.js';

/**
 * The endpoint table of the access-control matrix: every route the server registers, what it
 * needs, and how to aim it at a record in a given place. The runner computes the expected status.
 */

/** What a role must hold to use an endpoint. */
export type Need =
  | Permission
  /** Any one of these permissions. */
  | { any: Permission[] }
  /** Only the admin role (audit verify: the whole chain, not a subtree). */
  | 'admin-only'
  /** Every signed-in account (its own session and profile). */
  | 'everyone';

export interface Req {
  url: string;
  body?: unknown;
  /** A raw payload (multipart upload) with its headers, instead of a JSON body. */
  raw?: { payload: Buffer; headers: Record<string, string> };
}

/** The ids a request is built from: the record (`id`), an org node (`org`), a second record (`ref`). */
export interface Target {
  id?: number;
  org?: number;
  ref?: number;
}

/** An endpoint aimed at one record: expected 403 without the need, else 2xx inside the scope and 404 outside. */
export interface TargetCase {
  route: string;
  need: Need;
  ok: number;
  /** Which org node of the place decides the scope (the record's node, or the parent a record is created under). */
  level: Level;
  places: readonly Place[];
  /** Creates (or picks) the target in `place`; `scopeOrg` is the node whose path must lie in the actor's subtree. */
  make(w: World, place: Place): Promise<Target & { scopeOrg: number }>;
  request(t: Target): Req | Promise<Req>;
}

/** A collection endpoint without a target: 200 with the need (nothing from outside in it), else 403. */
export interface ListCase {
  route: string;
  need: Need;
  url(w: World): string;
  /** How to read the items: their ids and the org node each lies on. */
  items?(json: any): { id: number; orgId: number }[];
  /** The records seeded in every branch that this list shows (each must appear exactly when in scope). */
  seeded?(w: World): { id: number; orgId: number }[];
  /** Anything else to check (spreadsheets, audit entries). */
  check?: 'export' | 'template' | 'audit' | 'me';
}

/** An id nothing has: a missing record must answer exactly like one outside the scope. */
export const MISSING = 99_999_999;
export const MISSING_TARGET: Target = { id: MISSING, org: MISSING, ref: MISSING };

const ORG_PLACES: readonly Place[] = [...BRANCHES, 'department'];
const HOUSEHOLD_READ: Need = { any: ['resident.read', 'org.read'] };

const byBranch = <T>(w: World, pick: (b: World['branches'][keyof World['branches']]) => T) => BRANCHES.map((k) => pick(w.branches[k]));
const withOrg = (json: any, key = 'items') => (json[key] as { id: number; orgId: number }[]).map((x) => ({ id: x.id, orgId: x.orgId }));

let template: Buffer | null = null;
async function multipart(orgId: number): Promise<NonNullable<Req['raw']>> {
  template ??= await buildResidentTemplate([]);
  const boundary = `----matrix${randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="orgId"\r\n\r\n${orgId}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="residents.xlsx"\r\n` +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
    ),
    template,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A new org node at the place: under its grid (a micro-grid), or under the department. */
async function freshNode(w: World, place: Place): Promise<number> {
  const parent = place === 'department' ? w.org.department : w.node(place, 'grid');
  return insertOrgNode(w.env.ctx, parent, place === 'department' ? 'department' : 'micro_grid', w.seq('矩阵节点'));
}

export const TARGET_CASES: TargetCase[] = [
  // ── org tree ──
  {
    route: 'GET /api/org/:id', need: 'org.read', ok: 200, level: 'micro', places: ORG_PLACES,
    make: async (w, p) => ({ id: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/org/${t.id}` }),
  },
  {
    // Creating under a parent outside the scope is a 404 on the parent.
    route: 'POST /api/org', need: 'org.write', ok: 201, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'grid'), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: '/api/org', body: { parentId: t.org, kind: 'micro_grid', name: `新微网格${t.org}` } }),
  },
  {
    route: 'PATCH /api/org/:id', need: 'org.write', ok: 200, level: 'micro', places: ORG_PLACES,
    make: async (w, p) => {
      const id = await freshNode(w, p);
      return { id, scopeOrg: id };
    },
    request: (t) => ({ url: `/api/org/${t.id}`, body: { version: 1, name: `改名${t.id}` } }),
  },
  {
    route: 'POST /api/org/:id/move', need: 'org.write', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => {
      const id = await freshNode(w, p);
      return { id, org: w.node(p, 'grid'), scopeOrg: id };
    },
    request: (t) => ({ url: `/api/org/${t.id}/move`, body: { version: 1, parentId: t.org } }),
  },
  {
    route: 'POST /api/org/:id/retire', need: 'org.write', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => {
      const id = await freshNode(w, p);
      return { id, scopeOrg: id };
    },
    request: (t) => ({ url: `/api/org/${t.id}/retire`, body: { version: 1 } }),
  },
  {
    route: 'DELETE /api/org/:id', need: 'org.write', ok: 204, level: 'micro', places: BRANCHES,
    make: async (w, p) => {
      const id = await freshNode(w, p);
      return { id, scopeOrg: id };
    },
    request: (t) => ({ url: `/api/org/${t.id}` }),
  },
  // ── buildings ── (read with resident.read or org.read: a department may see its own)
  {
    route: 'GET /api/buildings?orgId', need: HOUSEHOLD_READ, ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/buildings?orgId=${t.org}` }),
  },
  {
    route: 'POST /api/buildings', need: 'resident.write', ok: 201, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), ref: Number(w.seq('')), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: '/api/buildings', body: { orgId: t.org, name: `${t.ref}幢` } }),
  },
  {
    route: 'PATCH /api/buildings/:id', need: 'resident.write', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: await insertBuilding(w.env.ctx, w.node(p, 'micro'), w.seq('楼')), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/buildings/${t.id}`, body: { version: 1, name: `改名楼${t.id}` } }),
  },
  // ── households ──
  {
    route: 'GET /api/households?orgId', need: HOUSEHOLD_READ, ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/households?orgId=${t.org}` }),
  },
  {
    route: 'GET /api/households?buildingId', need: HOUSEHOLD_READ, ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ ref: w.branch(p).building, scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/households?buildingId=${t.ref}` }),
  },
  {
    route: 'GET /api/households/:id', need: HOUSEHOLD_READ, ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).household, scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/households/${t.id}` }),
  },
  {
    route: 'POST /api/households', need: 'resident.write', ok: 201, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: '/api/households', body: { orgId: t.org, address: `矩阵路${randomBytes(3).toString('hex')}号` } }),
  },
  {
    route: 'PATCH /api/households/:id', need: 'resident.write', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: await insertHousehold(w.env.ctx, w.node(p, 'micro'), w.seq('矩阵户')), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/households/${t.id}`, body: { version: 1, address: `改址${t.id}` } }),
  },
  // ── residents ──
  {
    route: 'GET /api/residents?orgId', need: 'resident.read', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/residents?orgId=${t.org}` }),
  },
  {
    route: 'GET /api/residents/export.xlsx?orgId', need: 'resident.export', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/residents/export.xlsx?orgId=${t.org}` }),
  },
  {
    route: 'GET /api/residents/:id', need: 'resident.read', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).resident, scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/residents/${t.id}` }),
  },
  {
    route: 'POST /api/residents', need: 'resident.write', ok: 201, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: '/api/residents', body: { name: '矩阵新居民', orgId: t.org } }),
  },
  {
    route: 'PATCH /api/residents/:id', need: 'resident.write', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: await w.freshResident(p), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/residents/${t.id}`, body: { version: 1, note: '矩阵' } }),
  },
  {
    route: 'POST /api/residents/:id/reveal', need: 'resident.reveal', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).resident, scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/residents/${t.id}/reveal` }),
  },
  // ── imports ── (jobs uploaded by an account of the other street: the uploader's own-job rule does not apply)
  {
    route: 'POST /api/imports/residents', need: 'resident.import', ok: 202, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'grid'), scopeOrg: w.node(p, 'grid') }),
    request: async (t) => ({ url: '/api/imports/residents', raw: await multipart(t.org!) }),
  },
  {
    route: 'GET /api/imports/:id', need: 'resident.import', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).job, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/imports/${t.id}` }),
  },
  {
    route: 'GET /api/imports/:id/errors', need: 'resident.import', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).job, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/imports/${t.id}/errors` }),
  },
  {
    route: 'GET /api/imports/:id/errors.xlsx', need: 'resident.import', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).job, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/imports/${t.id}/errors.xlsx` }),
  },
  {
    route: 'POST /api/imports/:id/commit', need: 'resident.import', ok: 202, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: await insertImportJob(w.env.ctx, w.outsider.actor.id, w.node(p, 'grid')), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/imports/${t.id}/commit`, body: {} }),
  },
  // ── party chain ──
  {
    route: 'GET /api/party/orgs/:id', need: 'party.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).gridBranch, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/party/orgs/${t.id}` }),
  },
  {
    // An action branch under the place's committee, in its community: parent and node both in scope.
    route: 'POST /api/party/orgs', need: 'party.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ ref: w.branch(p).committee, org: w.node(p, 'community'), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: '/api/party/orgs', body: { kind: 'action_branch', name: '矩阵行动支部', parentId: t.ref, orgId: t.org } }),
  },
  {
    route: 'PATCH /api/party/orgs/:id', need: 'party.write', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => {
      const b = w.branch(p);
      return { id: await insertPartyOrg(w.env.ctx, b.grid, 'grid_branch', w.seq('矩阵支部'), { parentId: b.committee }), scopeOrg: b.grid };
    },
    request: (t) => ({ url: `/api/party/orgs/${t.id}`, body: { version: 1, name: `改名支部${t.id}` } }),
  },
  {
    route: 'GET /api/party/orgs/:id/members', need: 'party.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).gridBranch, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/party/orgs/${t.id}/members` }),
  },
  {
    route: 'POST /api/party/orgs/:id/members', need: 'party.write', ok: 201, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).gridBranch, ref: await w.freshResident(p), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/party/orgs/${t.id}/members`, body: { residentId: t.ref } }),
  },
  {
    route: 'PATCH /api/party/orgs/:id/members/:residentId', need: 'party.write', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => {
      const b = w.branch(p);
      const ref = await w.freshResident(p);
      await insertPartyMember(w.env.ctx, b.gridBranch, ref);
      return { id: b.gridBranch, ref, scopeOrg: b.grid };
    },
    request: (t) => ({ url: `/api/party/orgs/${t.id}/members/${t.ref}`, body: { role: 'committee_member' } }),
  },
  {
    route: 'DELETE /api/party/orgs/:id/members/:residentId', need: 'party.write', ok: 204, level: 'grid', places: BRANCHES,
    make: async (w, p) => {
      const b = w.branch(p);
      const ref = await w.freshResident(p);
      await insertPartyMember(w.env.ctx, b.gridBranch, ref);
      return { id: b.gridBranch, ref, scopeOrg: b.grid };
    },
    request: (t) => ({ url: `/api/party/orgs/${t.id}/members/${t.ref}` }),
  },
  // ── work orders ── (an order lies on a grid; department scope is tested in order.routes.test.ts)
  {
    route: 'GET /api/orders/:id', need: 'order.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).order, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/orders/${t.id}` }),
  },
  {
    route: 'POST /api/orders', need: 'order.create', ok: 201, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'grid'), scopeOrg: w.node(p, 'grid') }),
    request: async (t) => ({ url: '/api/orders', body: { channel: 'visit', categoryId: 1, title: '矩阵工单', description: '矩阵', orgId: t.org } }),
  },
  {
    route: 'POST /api/orders/:id/actions/:action', need: 'order.dispatch', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: await insertOrder(w.env.ctx, w.node(p, 'grid'), { status: 'submitted' }), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/orders/${t.id}/actions/accept`, body: { version: 1 } }),
  },
  {
    route: 'GET /api/orders/:id/handlers', need: 'order.dispatch', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).order, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/orders/${t.id}/handlers` }),
  },
  {
    route: 'POST /api/orders/:id/items', need: 'order.handle', ok: 201, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: await insertOrder(w.env.ctx, w.node(p, 'grid')), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/orders/${t.id}/items`, body: { version: 1, title: '矩阵事项' } }),
  },
  {
    route: 'PATCH /api/orders/:id/items/:itemId', need: 'order.handle', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => {
      const id = await insertOrder(w.env.ctx, w.node(p, 'grid'));
      return { id, ref: await insertOrderItem(w.env.ctx, id), scopeOrg: w.node(p, 'grid') };
    },
    request: (t) => ({ url: `/api/orders/${t.id}/items/${t.ref}`, body: { version: 1, state: 'done', note: '已完成' } }),
  },
  {
    route: 'GET /api/orders/:id/attachments/:attachmentId', need: 'order.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => {
      const id = w.branch(p).order;
      return { id, ref: await insertOrderPhoto(w.env.ctx, id), scopeOrg: w.node(p, 'grid') };
    },
    request: (t) => ({ url: `/api/orders/${t.id}/attachments/${t.ref}` }),
  },
  {
    // Indicators of an org node: 404 for a node outside the scope, like a record.
    route: 'GET /api/orders/indicators', need: 'order.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'grid'), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/orders/indicators?orgId=${t.org}&from=2026-01-01&to=2026-12-31` }),
  },
  // ── teams ── (a team belongs to a community)
  {
    route: 'GET /api/teams/:id', need: 'team.read', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).team, scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/teams/${t.id}` }),
  },
  {
    route: 'POST /api/teams', need: 'team.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'community'), ref: Number(w.seq('')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: '/api/teams', body: { orgId: t.org, kind: 'other', name: `矩阵队${t.ref}` } }),
  },
  {
    route: 'PATCH /api/teams/:id', need: 'team.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertTeam(w.env.ctx, w.node(p, 'community'), w.seq('矩阵队伍')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/teams/${t.id}`, body: { version: 1, name: `改名队${t.id}` } }),
  },
  {
    route: 'POST /api/teams/:id/members', need: 'team.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).team, ref: await w.freshResident(p), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/teams/${t.id}/members`, body: { residentId: t.ref } }),
  },
  {
    route: 'PATCH /api/teams/:id/members/:residentId', need: 'team.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const b = w.branch(p);
      const ref = await w.freshResident(p);
      await insertTeamMember(w.env.ctx, b.team, ref);
      return { id: b.team, ref, scopeOrg: b.community };
    },
    request: (t) => ({ url: `/api/teams/${t.id}/members/${t.ref}`, body: { role: 'leader' } }),
  },
  {
    route: 'DELETE /api/teams/:id/members/:residentId', need: 'team.write', ok: 204, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const b = w.branch(p);
      const ref = await w.freshResident(p);
      await insertTeamMember(w.env.ctx, b.team, ref);
      return { id: b.team, ref, scopeOrg: b.community };
    },
    request: (t) => ({ url: `/api/teams/${t.id}/members/${t.ref}` }),
  },
  // ── activities ── (run by a community here). The routes a resident also uses (list, detail,
  // sign-ups, withdraw, scan) answer residents by their home, not by a permission: they are
  // tested as every role in activity.routes.test.ts.
  {
    route: 'POST /api/activities', need: 'activity.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'community'), scopeOrg: w.node(p, 'community') }),
    request: (t) => {
      const start = Date.now() + 86_400_000;
      return {
        url: '/api/activities',
        body: { orgId: t.org, kind: 'service', title: '矩阵活动', place: '活动室', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString() },
      };
    },
  },
  {
    route: 'PATCH /api/activities/:id', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertActivity(w.env.ctx, w.node(p, 'community')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/${t.id}`, body: { version: 1, title: `改名活动${t.id}` } }),
  },
  {
    route: 'POST /api/activities/:id/publish', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertActivity(w.env.ctx, w.node(p, 'community'), { status: 'draft' }), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/${t.id}/publish`, body: { version: 1 } }),
  },
  {
    route: 'POST /api/activities/:id/cancel', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertActivity(w.env.ctx, w.node(p, 'community')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/${t.id}/cancel`, body: { version: 1, reason: '矩阵取消' } }),
  },
  {
    route: 'POST /api/activities/:id/finish', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertActivity(w.env.ctx, w.node(p, 'community'), { startInMinutes: -30 }), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/${t.id}/finish`, body: { version: 1 } }),
  },
  {
    route: 'GET /api/activities/:id/check-in-code', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertActivity(w.env.ctx, w.node(p, 'community'), { startInMinutes: -30 }), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/${t.id}/check-in-code?direction=in` }),
  },
  {
    route: 'PATCH /api/activities/:id/signups/:signupId/attendance', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const id = await insertActivity(w.env.ctx, w.node(p, 'community'), { startInMinutes: -30 });
      return { id, ref: await insertSignup(w.env.ctx, id, await w.freshResident(p)), scopeOrg: w.node(p, 'community') };
    },
    request: (t) => ({ url: `/api/activities/${t.id}/signups/${t.ref}/attendance`, body: { version: 1, checkedInAt: new Date(Date.now() - 600_000).toISOString() } }),
  },
  {
    route: 'POST /api/activities/:id/signups/:signupId/confirm', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const id = await insertActivity(w.env.ctx, w.node(p, 'community'), { startInMinutes: -30 });
      return { id, ref: await insertSignup(w.env.ctx, id, await w.freshResident(p), 25), scopeOrg: w.node(p, 'community') };
    },
    request: (t) => ({ url: `/api/activities/${t.id}/signups/${t.ref}/confirm`, body: { version: 1 } }),
  },
  {
    route: 'GET /api/activities/figures?orgId', need: 'activity.read', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'community'), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/activities/figures?orgId=${t.org}&from=2026-01-01&to=2026-12-31` }),
  },
  {
    route: 'POST /api/class-series', need: 'activity.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'community'), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: '/api/class-series', body: { orgId: t.org, title: '矩阵课程' } }),
  },
  {
    route: 'GET /api/class-series/:id/attendance', need: 'activity.read', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertSeries(w.env.ctx, w.node(p, 'community')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/class-series/${t.id}/attendance` }),
  },
  // ── volunteers and points ── (a resident's record: on the micro-grid; rewards: a community's)
  {
    route: 'GET /api/volunteers/:residentId', need: 'activity.read', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).resident, scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/volunteers/${t.id}` }),
  },
  {
    route: 'POST /api/volunteers/:residentId/certificates', need: 'activity.write', ok: 201, level: 'micro', places: BRANCHES,
    make: async (w, p) => {
      const resident = await w.freshResident(p);
      await insertSignup(w.env.ctx, await insertActivity(w.env.ctx, w.node(p, 'community'), { startInMinutes: -300 }), resident, 90, true);
      return { id: resident, scopeOrg: w.node(p, 'micro') };
    },
    request: (t) => ({ url: `/api/volunteers/${t.id}/certificates` }),
  },
  {
    route: 'POST /api/rewards', need: 'activity.write', ok: 201, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'community'), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: '/api/rewards', body: { orgId: t.org, name: '矩阵奖品', cost: 10, stock: 1 } }),
  },
  {
    route: 'PATCH /api/rewards/:id', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => ({ id: await insertReward(w.env.ctx, w.node(p, 'community')), scopeOrg: w.node(p, 'community') }),
    request: (t) => ({ url: `/api/rewards/${t.id}`, body: { version: 1, stock: 3 } }),
  },
  {
    route: 'POST /api/redemptions/:id/decide', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const reward = await insertReward(w.env.ctx, w.node(p, 'community'));
      return { id: await insertRedemption(w.env.ctx, reward, await w.freshResident(p)), scopeOrg: w.node(p, 'community') };
    },
    request: (t) => ({ url: `/api/redemptions/${t.id}/decide`, body: { version: 1, approve: true } }),
  },
  {
    route: 'POST /api/redemptions/:id/pickup', need: 'activity.write', ok: 200, level: 'community', places: BRANCHES,
    make: async (w, p) => {
      const reward = await insertReward(w.env.ctx, w.node(p, 'community'));
      return { id: await insertRedemption(w.env.ctx, reward, await w.freshResident(p), 'approved', '123456'), scopeOrg: w.node(p, 'community') };
    },
    request: (t) => ({ url: `/api/redemptions/${t.id}/pickup`, body: { version: 1, pickupCode: '123456' } }),
  },
  // ── wishes ── (recorded on a micro-grid)
  {
    route: 'POST /api/wishes', need: 'activity.write', ok: 201, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: '/api/wishes', body: { orgId: t.org, channel: 'card', wisherName: '矩阵心愿人', content: '矩阵心愿' } }),
  },
  {
    route: 'GET /api/wishes?orgId', need: 'activity.read', ok: 200, level: 'micro', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'micro'), scopeOrg: w.node(p, 'micro') }),
    request: (t) => ({ url: `/api/wishes?orgId=${t.org}` }),
  },
  ...([
    ['verify', 'collected', { version: 1, approve: true }],
    ['publish', 'verified', { version: 1 }],
    ['contact', 'claimed', { version: 1 }],
    ['fulfil', 'contacted', { version: 1, note: '已实现', photos: [{ name: 'a.png', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }] }],
    ['thank', 'fulfilled', { version: 1, note: '谢谢' }],
  ] as const).map(
    ([step, state, body]): TargetCase => ({
      route: `POST /api/wishes/:id/${step}`, need: 'activity.write', ok: 200, level: 'micro', places: BRANCHES,
      make: async (w, p) => ({ id: await insertWish(w.env.ctx, w.node(p, 'micro'), state), scopeOrg: w.node(p, 'micro') }),
      request: (t) => ({ url: `/api/wishes/${t.id}/${step}`, body }),
    }),
  ),
  // ── alliance members ── (on a grid here; streets and communities may hold them too)
  {
    route: 'GET /api/alliance/:id', need: 'alliance.read', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: w.branch(p).alliance, scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/alliance/${t.id}` }),
  },
  {
    route: 'POST /api/alliance', need: 'alliance.write', ok: 201, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ org: w.node(p, 'grid'), ref: Number(w.seq('')), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: '/api/alliance', body: { orgId: t.org, kind: 'co_building', name: `矩阵共建${t.ref}` } }),
  },
  {
    route: 'PATCH /api/alliance/:id', need: 'alliance.write', ok: 200, level: 'grid', places: BRANCHES,
    make: async (w, p) => ({ id: await insertAllianceMember(w.env.ctx, w.node(p, 'grid'), w.seq('矩阵物业')), scopeOrg: w.node(p, 'grid') }),
    request: (t) => ({ url: `/api/alliance/${t.id}`, body: { version: 1, name: `改名物业${t.id}` } }),
  },
];

export const LIST_CASES: ListCase[] = [
  { route: 'GET /api/auth/me', need: 'everyone', url: () => '/api/auth/me', check: 'me' },
  {
    route: 'GET /api/org/tree', need: 'org.read', url: () => '/api/org/tree',
    items: (j) => (j.nodes as { id: number }[]).map((n) => ({ id: n.id, orgId: n.id })),
    seeded: (w) => [
      ...byBranch(w, (b) => [b.community, b.grid, b.micro]).flat(),
      w.org.department,
      w.street2,
      w.department2,
    ].map((id) => ({ id, orgId: id })),
  },
  { route: 'GET /api/org/summary', need: 'org.read', url: () => '/api/org/summary' },
  {
    route: 'GET /api/buildings', need: HOUSEHOLD_READ, url: () => '/api/buildings',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.building, orgId: b.micro })),
  },
  {
    route: 'GET /api/households', need: HOUSEHOLD_READ, url: () => '/api/households?pageSize=200',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.household, orgId: b.micro })),
  },
  {
    route: 'GET /api/residents', need: 'resident.read', url: () => '/api/residents?pageSize=200',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.resident, orgId: b.micro })),
  },
  { route: 'GET /api/residents/export.xlsx', need: 'resident.export', url: () => '/api/residents/export.xlsx', check: 'export' },
  { route: 'GET /api/imports/residents/template.xlsx', need: 'resident.import', url: () => '/api/imports/residents/template.xlsx', check: 'template' },
  {
    route: 'GET /api/party/orgs', need: 'party.read', url: () => '/api/party/orgs',
    items: (j) => withOrg(j),
    seeded: (w) => byBranch(w, (b) => [{ id: b.committee, orgId: b.community }, { id: b.gridBranch, orgId: b.grid }]).flat(),
  },
  {
    route: 'GET /api/party/coverage', need: 'party.read', url: () => '/api/party/coverage',
    items: (j) => (j.grids as { gridId: number }[]).map((g) => ({ id: g.gridId, orgId: g.gridId })),
    seeded: (w) => byBranch(w, (b) => ({ id: b.grid, orgId: b.grid })),
  },
  {
    route: 'GET /api/teams', need: 'team.read', url: () => '/api/teams',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.team, orgId: b.community })),
  },
  {
    // Special rule: the list filter `orgId` narrows within the scope; a node outside gives an
    // empty list (200), not a 404 — it reveals nothing either way.
    route: 'GET /api/teams?orgId', need: 'team.read', url: (w) => `/api/teams?orgId=${w.branches.otherStreet.community}`,
    items: (j) => withOrg(j),
  },
  {
    route: 'GET /api/alliance', need: 'alliance.read', url: () => '/api/alliance',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.alliance, orgId: b.grid })),
  },
  {
    route: 'GET /api/alliance?orgId', need: 'alliance.read', url: (w) => `/api/alliance?orgId=${w.branches.otherStreet.grid}`,
    items: (j) => withOrg(j),
  },
  { route: 'GET /api/audit', need: 'audit.read', url: () => '/api/audit?pageSize=200', check: 'audit' },
  {
    route: 'GET /api/orders', need: 'order.read', url: () => '/api/orders?pageSize=100',
    items: (j) => withOrg(j), seeded: (w) => byBranch(w, (b) => ({ id: b.order, orgId: b.grid })),
  },
  {
    route: 'GET /api/orders?orgId', need: 'order.read', url: (w) => `/api/orders?orgId=${w.branches.otherStreet.grid}`,
    items: (j) => withOrg(j),
  },
  {
    // Scope of the suggestions themselves is tested in order.duplicates.test.ts.
    route: 'GET /api/orders/duplicates', need: 'order.read',
    url: (w) => `/api/orders/duplicates?categoryId=1&description=${encodeURIComponent('垃圾桶满溢未清运')}&householdId=${w.branches.zhuhui.household}`,
    items: (j) => withOrg(j),
  },
  { route: 'GET /api/activities/figures', need: 'activity.read', url: () => '/api/activities/figures?from=2026-01-01&to=2026-12-31' },
  { route: 'GET /api/class-series', need: 'activity.read', url: () => '/api/class-series', items: (j) => withOrg(j) },
  { route: 'GET /api/wishes', need: 'activity.read', url: () => '/api/wishes', items: (j) => withOrg(j) },
  { route: 'GET /api/notifications', need: 'everyone', url: () => '/api/notifications' },
  { route: 'GET /api/calendar', need: 'everyone', url: () => '/api/calendar' },
  { route: 'GET /api/calendar/:year', need: 'everyone', url: () => '/api/calendar/2026' },
  // Special rule: verifying the chain reads every entry of every street: admins only.
  { route: 'GET /api/audit/verify', need: 'admin-only', url: () => '/api/audit/verify' },
];
