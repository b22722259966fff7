import type { Permission } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';
import type { TeamRow } from './team.repository.js';

/** May the actor see/act on this team? Permission first (403), then its community in scope (404). */
export function authorizeTeam(actor: Actor, permission: Permission, row: TeamRow | undefined): TeamRow {
  requirePermission(actor, permission);
  requireInScope(actor, row?.org_path);
  return row!;
}

/**
 * The grid a member looks after: in the actor's scope (else 404), an active grid, and one of the
 * team's community.
 */
export async function requireTeamGrid(db: Kysely<DB>, actor: Actor, team: TeamRow, gridId: number): Promise<number> {
  const grid = await findOrgUnit(db, gridId);
  requireInScope(actor, grid?.path);
  if (grid!.kind !== 'grid') throw new AppError('VALIDATION_FAILED', { detail: '负责区域应为网格' });
  if (!grid!.path.startsWith(team.org_path)) throw new AppError('VALIDATION_FAILED', { detail: '该网格不属于队伍所在社区' });
  if (grid!.status !== 'active') throw new AppError('CONFLICT', { detail: '该网格已停用' });
  return grid!.id;
}
