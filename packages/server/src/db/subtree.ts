import type { Kysely } from 'kysely';
import type { Dialect } from './database.js';
import type { DB } from './schema.js';

/**
 * Subquery of the ids of every org node under (and including) the node at `path`, for
 * `org_id in (...)` scope filters. SQLite only uses the path index for a range (its LIKE is
 * case-insensitive, so the prefix optimisation does not apply); PostgreSQL uses LIKE with the
 * text_pattern_ops index (a range would follow the database collation, which may ignore '/').
 */
export function orgSubtreeIds(db: Kysely<DB>, dialect: Dialect, path: string) {
  const q = db.selectFrom('org_units').select('org_units.id');
  if (dialect === 'postgres') return q.where('org_units.path', 'like', `${path}%`);
  // Paths are digits and '/', so every path under "/1/4/" sorts before "/1/40" ('0' follows '/').
  return q.where('org_units.path', '>=', path).where('org_units.path', '<', `${path.slice(0, -1)}0`);
}
