import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { prepared } from '../../lib/prepared.js';

export function findAccountByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The account behind a live session, with its org node's path for data scope. */
const sessionActor = prepared((db, idHash: string, now: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .innerJoin('org_units as o', 'o.id', 'a.org_id')
    .select([
      's.csrf_token',
      's.expires_at',
      'a.id',
      'a.username',
      'a.display_name',
      'a.role',
      'a.org_id',
      'a.resident_id',
      'a.status',
      'o.path as org_path',
      'o.name as org_name',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now),
);

export async function findSessionActor(db: Kysely<DB>, idHash: string, now: string) {
  return (await sessionActor(db, idHash, now))[0];
}

/**
 * Increments a fixed-window counter shared by every server instance and returns the count in
 * the current window.
 */
export async function hitRateLimit(db: Kysely<DB>, key: string, windowStart: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('rate_limits').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row || row.window_start !== windowStart) {
      await trx
        .insertInto('rate_limits')
        .values({ key, window_start: windowStart, count: 1 })
        .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: windowStart, count: 1 }))
        .execute();
      return 1;
    }
    const updated = await trx
      .updateTable('rate_limits')
      .set((eb) => ({ count: eb('count', '+', 1) }))
      .where('key', '=', key)
      .returning('count')
      .executeTakeFirstOrThrow();
    return updated.count;
  });
}
