import { maskName, type AddTeamMemberBody, type TeamMemberView, type UpdateTeamMemberBody } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../db/database.js';
import type { Actor } from '../../lib/actor.js';
import { writeAudit, type AuditEntry } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { addResidentTag, requireResidentRef, tagAudit } from '../../lib/resident-refs.js';
import { canSeeFullNames } from '../residents/resident.policy.js';
import { mapTeamMember } from './team.mapper.js';
import { authorizeTeam, requireTeamGrid } from './team.policy.js';
import { findTeam, findTeamMember, findTeamMembers, insertTeamMember } from './team.repository.js';

async function findMemberView(ctx: AppContext, actor: Actor, teamId: number, residentId: number): Promise<TeamMemberView> {
  const [row] = await findTeamMembers(ctx.db, teamId, residentId);
  if (!row) throw new AppError('NOT_FOUND');
  return mapTeamMember(row, { fullName: canSeeFullNames(actor) });
}

/**
 * Adds a resident (in scope, active) to an active team, optionally with the grid they look after.
 * Joining a volunteer team tags the resident volunteer (tags JSON and resident_tags kept in sync).
 */
export async function addTeamMember(ctx: AppContext, actor: Actor, teamId: number, body: AddTeamMemberBody): Promise<TeamMemberView> {
  const team = authorizeTeam(actor, 'team.write', await findTeam(ctx.db, teamId));
  if (team.status !== 'active') throw new AppError('CONFLICT', { detail: '该队伍已停用' });
  const resident = await requireResidentRef(ctx.db, actor, body.residentId);
  const gridId = body.gridId != null ? await requireTeamGrid(ctx.db, actor, team, body.gridId) : null;
  const role = body.role ?? 'member';
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertTeamMember(trx, { team_id: teamId, resident_id: resident.id, role, grid_id: gridId, joined_at: now });
    if (!inserted) throw new AppError('DUPLICATE', { detail: `${canSeeFullNames(actor) ? resident.name : maskName(resident.name)} 已是该队伍成员` });
    const audit: AuditEntry[] = [
      {
        action: 'team.member.add',
        entityType: 'team',
        entityId: teamId,
        orgId: team.org_id,
        after: { residentId: resident.id, name: resident.name, role, gridId },
      },
    ];
    if (team.kind === 'volunteer') {
      audit.push(...tagAudit(await addResidentTag(trx, resident.id, 'volunteer', now), resident.orgId));
    }
    await writeAudit(trx, ctx.dialect, actor, audit);
  });
  return findMemberView(ctx, actor, teamId, resident.id);
}

/** Changes a member's role or grid (null clears the grid). */
export async function updateTeamMember(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  residentId: number,
  body: UpdateTeamMemberBody,
): Promise<TeamMemberView> {
  const team = authorizeTeam(actor, 'team.write', await findTeam(ctx.db, teamId));
  const member = await findTeamMember(ctx.db, teamId, residentId);
  if (!member) throw new AppError('NOT_FOUND');
  const gridId = body.gridId != null ? await requireTeamGrid(ctx.db, actor, team, body.gridId) : body.gridId;
  const changes = {
    ...(body.role !== undefined ? { role: body.role } : {}),
    ...(gridId !== undefined ? { grid_id: gridId } : {}),
  };
  if (Object.keys(changes).length === 0) return findMemberView(ctx, actor, teamId, residentId);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('team_members')
      .set(changes)
      .where('team_id', '=', teamId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND');
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'team.member.update',
      entityType: 'team',
      entityId: teamId,
      orgId: team.org_id,
      before: { residentId, role: member.role, gridId: member.grid_id },
      after: { residentId, role: body.role ?? member.role, gridId: gridId === undefined ? member.grid_id : gridId },
    });
  });
  return findMemberView(ctx, actor, teamId, residentId);
}

/**
 * Removes a member. The volunteer tag stays: the resident remains a volunteer (other teams,
 * service records) until someone edits their tags.
 */
export async function removeTeamMember(ctx: AppContext, actor: Actor, teamId: number, residentId: number): Promise<void> {
  const team = authorizeTeam(actor, 'team.write', await findTeam(ctx.db, teamId));
  const member = await findTeamMember(ctx.db, teamId, residentId);
  if (!member) throw new AppError('NOT_FOUND');
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('team_members').where('team_id', '=', teamId).where('resident_id', '=', residentId).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new AppError('NOT_FOUND');
    await writeAudit(trx, ctx.dialect, actor, {
      action: 'team.member.remove',
      entityType: 'team',
      entityId: teamId,
      orgId: team.org_id,
      before: { residentId, role: member.role, gridId: member.grid_id },
    });
  });
}
