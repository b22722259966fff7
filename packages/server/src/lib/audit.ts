import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { AuditLogTable, DB } from '../db/schema.js';
import type { Actor } from './actor.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
}

type AuditFields = Omit<AuditLogTable, 'hash'>;

/** The canonical text that is hashed: fixed field order, JSON already serialised. */
export function canonicalAuditRow(r: AuditFields): string {
  return JSON.stringify([
    r.seq, r.at, r.actor_id, r.actor_name, r.action, r.entity_type, r.entity_id, r.org_id, r.before, r.after, r.ip, r.prev_hash,
  ]);
}

export function auditHash(r: AuditFields): string {
  return createHash('sha256').update(canonicalAuditRow(r)).digest('hex');
}

// Any constant: the advisory lock that serialises appends to the chain across PostgreSQL clients.
const AUDIT_LOCK_KEY = 7_420_001;

/**
 * Appends entries to the hash chain. Must be called inside the transaction of the change it
 * records, so that the change and its audit row commit (or roll back) together.
 */
export async function writeAudit(
  trx: Transaction<DB>,
  dialect: Dialect,
  actor: Pick<Actor, 'id' | 'displayName' | 'ip'> | null,
  entries: AuditEntry | AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const rows: AuditLogTable[] = [];
  for (const e of list) {
    seq += 1;
    const fields: AuditFields = {
      seq,
      at,
      actor_id: actor?.id ?? null,
      actor_name: actor?.displayName ?? null,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId == null ? null : String(e.entityId),
      org_id: e.orgId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      ip: actor?.ip ?? null,
      prev_hash: prev,
    };
    const hash = auditHash(fields);
    rows.push({ ...fields, hash });
    prev = hash;
  }
  // Batches stay well under PostgreSQL's parameter cap (13 columns × 500 rows).
  for (let i = 0; i < rows.length; i += 500) {
    await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
  }
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: 'hash_mismatch' | 'broken_link' | 'missing_rows' }[];
}

/** Walks the whole chain in seq order and reports changed, reordered or deleted rows. */
export async function verifyAuditChain(db: Kysely<DB>, batchSize = 5000): Promise<AuditVerifyResult> {
  const problems: AuditVerifyResult['problems'] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== expectedSeq) problems.push({ seq: expectedSeq, problem: 'missing_rows' });
      if (r.prev_hash !== prevHash) problems.push({ seq: r.seq, problem: 'broken_link' });
      const { hash, ...fields } = r;
      if (auditHash(fields) !== hash) problems.push({ seq: r.seq, problem: 'hash_mismatch' });
      prevHash = hash;
      expectedSeq = r.seq + 1;
      checked++;
    }
  }
  return { ok: problems.length === 0, checked, problems };
}
