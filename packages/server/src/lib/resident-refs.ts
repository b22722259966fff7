import type { ResidentTag } from '@haitang/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from './actor.js';
import type { AuditEntry } from './audit.js';
import { requireInScope } from './actor.js';
import { AppError } from './errors.js';

/**
 * What other modules (party chain, teams...) need to know about a resident they refer to:
 * no personal numbers, only the name, status and where the resident lives in the org tree.
 */
export interface ResidentRef {
  id: number;
  name: string;
  orgId: number;
  orgPath: string;
  status: string;
}

export async function findResidentRef(db: Kysely<DB>, id: number): Promise<ResidentRef | undefined> {
  const row = await db
    .selectFrom('residents as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_id')
    .select(['r.id', 'r.name', 'r.org_id', 'o.path', 'r.status'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, orgId: row.org_id, orgPath: row.path, status: row.status };
}

/** A resident the actor may refer to: in scope (else 404, like a missing one) and still active. */
export async function requireResidentRef(db: Kysely<DB>, actor: Actor, id: number): Promise<ResidentRef> {
  const ref = await findResidentRef(db, id);
  requireInScope(actor, ref?.orgPath);
  if (ref!.status !== 'active') throw new AppError('CONFLICT', { detail: '该居民已迁出或注销' });
  return ref!;
}

export interface TagChange {
  residentId: number;
  before: string[];
  after: string[];
}

/**
 * Adds a tag to a resident inside the caller's transaction, keeping the residents.tags JSON and
 * the resident_tags rows in sync and bumping the resident's version (so that an open edit form
 * of the resident gets a VERSION_CONFLICT instead of silently dropping the tag).
 * Returns the change, or null when the resident already had the tag.
 */
export async function addResidentTag(
  trx: Transaction<DB>,
  residentId: number,
  tag: ResidentTag,
  now: string,
): Promise<TagChange | null> {
  // A concurrent edit of the resident may bump the version between read and write: retry then.
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await trx.selectFrom('residents').select(['tags', 'version']).where('id', '=', residentId).executeTakeFirstOrThrow();
    const before = parseTags(row.tags);
    if (before.includes(tag)) {
      // Repair a missing index row without touching the resident itself.
      await trx.insertInto('resident_tags').values({ resident_id: residentId, tag }).onConflict((oc) => oc.doNothing()).execute();
      return null;
    }
    const after = [...before, tag].sort();
    const res = await trx
      .updateTable('residents')
      .set((eb) => ({ tags: JSON.stringify(after), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', residentId)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) continue;
    await trx.insertInto('resident_tags').values({ resident_id: residentId, tag }).onConflict((oc) => oc.doNothing()).execute();
    return { residentId, before, after };
  }
  throw new AppError('VERSION_CONFLICT');
}

function parseTags(raw: string): string[] {
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The audit entry of a tag added to a resident (none when it already had it). */
export function tagAudit(change: TagChange | null, residentOrgId: number): AuditEntry[] {
  if (!change) return [];
  return [
    {
      action: 'resident.tag',
      entityType: 'resident',
      entityId: change.residentId,
      orgId: residentOrgId,
      before: { tags: change.before },
      after: { tags: change.after },
    },
  ];
}
