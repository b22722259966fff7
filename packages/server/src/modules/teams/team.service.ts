import type { CreateTeamBody, TeamDetail, TeamListQuery, TeamView, UpdateTeamBody } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit, type AuditEntry } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { updateVersioned } from '../../db/versioned.js';
import { addResidentTag, tagAudit } from '../../lib/resident-refs.js';
import { findOrgUnit } from '../org/org.repository.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { AUDIT_VIEWER, mapTeam, mapTeamMember } from './team.mapper.js';
import { authorizeTeam } from './team.policy.js';
import { findMemberIds, findTeam, findTeamByName, findTeamMembers, findTeams } from './team.repository.js';

/** Teams of the communities in the actor's subtree. */
export async function listTeams(ctx: AppContext, actor: Actor, q: TeamListQuery): Promise<TeamView[]> {
  requirePermission(actor, 'team.read');
  const viewer = { fullName: canSeeFullNames(actor) };
  return (await findTeams(ctx.db, actor.orgPath, q)).map((t) => mapTeam(t, viewer));
}

/** A team with its members (names masked for viewers without reveal) and the grids they look after. */
export async function getTeam(ctx: AppContext, actor: Actor, id: number): Promise<TeamDetail> {
  const team = authorizeTeam(actor, 'team.read', await findTeam(ctx.db, id));
  const members = await findTeamMembers(ctx.db, id);
  const viewer = { fullName: canSeeFullNames(actor) };
  return { ...mapTeam(team, viewer), members: members.map((m) => mapTeamMember(m, viewer)) };
}

/** Creates a team of a community; names are unique among a community's active teams. */
export async function createTeam(ctx: AppContext, actor: Actor, body: CreateTeamBody): Promise<TeamView> {
  requirePermission(actor, 'team.write');
  const node = await findOrgUnit(ctx.db, body.orgId);
  requireInScope(actor, node?.path);
  if (node!.kind !== 'community') throw new AppError('VALIDATION_FAILED', { detail: '队伍应建在社区' });
  if (node!.status !== 'active') throw new AppError('CONFLICT', { detail: '该社区已停用' });
  const name = body.name.trim();
  if (await findTeamByName(ctx.db, node!.id, name)) throw new AppError('DUPLICATE', { detail: `本社区已有队伍“${name}”` });
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('teams')
      .values({ org_id: node!.id, kind: body.kind, name, description: body.description?.trim() || null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = (await findTeam(trx, inserted.id))!;
    const view = mapTeam(row, AUDIT_VIEWER);
    await writeAudit(trx, ctx.dialect, actor, { action: 'team.create', entityType: 'team', entityId: view.id, orgId: view.orgId, after: view });
    return mapTeam(row, { fullName: canSeeFullNames(actor) });
  });
}

/**
 * Renames, re-describes, changes the kind, retires or reactivates a team. A team that becomes a
 * volunteer team tags all its members volunteer.
 */
export async function updateTeam(ctx: AppContext, actor: Actor, id: number, body: UpdateTeamBody): Promise<TeamView> {
  const team = authorizeTeam(actor, 'team.write', await findTeam(ctx.db, id));
  const name = body.name?.trim();
  const willBeActive = (body.status ?? team.status) === 'active';
  if (willBeActive && (await findTeamByName(ctx.db, team.org_id, name ?? team.name, id))) {
    throw new AppError('DUPLICATE', { detail: `本社区已有队伍“${name ?? team.name}”` });
  }
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'teams',
      id,
      body.version,
      {
        ...(name !== undefined ? { name } : {}),
        ...(body.kind !== undefined ? { kind: body.kind } : {}),
        ...(body.description !== undefined ? { description: body.description?.trim() || null } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
      },
      { now },
    );
    const row = (await findTeam(trx, id))!;
    const after = mapTeam(row, AUDIT_VIEWER);
    const audit: AuditEntry[] = [
      { action: 'team.update', entityType: 'team', entityId: id, orgId: team.org_id, before: mapTeam(team, AUDIT_VIEWER), after },
    ];
    if (body.kind === 'volunteer' && team.kind !== 'volunteer') {
      for (const m of await findMemberIds(trx, id)) {
        audit.push(...tagAudit(await addResidentTag(trx, m.resident_id, 'volunteer', now), m.org_id));
      }
    }
    await writeAudit(trx, ctx.dialect, actor, audit);
    return mapTeam(row, { fullName: canSeeFullNames(actor) });
  });
}
