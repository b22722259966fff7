import type { Transaction, UpdateObject } from 'kysely';
import { AppError } from '../lib/errors.js';
import type { DB } from './schema.js';

/** Tables with optimistic concurrency: an integer id, a version and updated_at. */
export type VersionedTable = {
  [K in keyof DB]: DB[K] extends { id: unknown; version: unknown; updated_at: string } ? K : never;
}[keyof DB];

/**
 * The one conditional update behind every edit: `... set …, version = version + 1 where id = ?
 * and version = ? [and column = value …]`. Zero rows means somebody else changed (or moved,
 * retired) the record first: 409 VERSION_CONFLICT, and nothing is overwritten.
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Transaction<DB>,
  table: T,
  id: number,
  version: number,
  set: UpdateObject<DB, T>,
  opts: { now: string; also?: Record<string, string | number> },
): Promise<void> {
  // Kysely cannot type column names over a union of tables; the public signature is typed.
  const db = trx as Transaction<any>;
  let q = db
    .updateTable(table as string)
    .set((eb) => ({ ...(set as object), updated_at: opts.now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version);
  for (const [column, value] of Object.entries(opts.also ?? {})) q = q.where(column, '=', value);
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT');
}
