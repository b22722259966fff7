import type { AllianceListQuery } from '@haitang/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AllianceMembersTable, DB } from '../../db/schema.js';

export type AllianceRow = Selectable<AllianceMembersTable> & { org_name: string; org_path: string };

function selectAlliance(db: Kysely<DB>) {
  return db
    .selectFrom('alliance_members as a')
    .innerJoin('org_units as o', 'o.id', 'a.org_id')
    .selectAll('a')
    .select(['o.name as org_name', 'o.path as org_path']);
}

export function findAllianceMember(db: Kysely<DB>, id: number): Promise<AllianceRow | undefined> {
  return selectAlliance(db).where('a.id', '=', id).executeTakeFirst();
}

/** Alliance members attached to org nodes in the subtree at `scopePath`. */
export function findAllianceMembers(db: Kysely<DB>, scopePath: string, q: AllianceListQuery): Promise<AllianceRow[]> {
  let query = selectAlliance(db).where('o.path', 'like', `${scopePath}%`);
  if (q.kind) query = query.where('a.kind', '=', q.kind);
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.orgId !== undefined) query = query.where('a.org_id', '=', q.orgId);
  return query.orderBy('a.org_id').orderBy('a.kind').orderBy('a.id').execute();
}

/** An active member of the same name on the same org node. */
export function findAllianceByName(db: Kysely<DB>, orgId: number, name: string, exceptId?: number) {
  let q = db
    .selectFrom('alliance_members')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .where('status', '=', 'active');
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.limit(1).executeTakeFirst();
}
