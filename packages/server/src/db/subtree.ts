import type { QueryCreator } from 'kysely';
import type { Dialect } from './database.js';
import type { DB } from './schema.js';

/**
 * Subquery of the ids of every org node under (and including) the node at `path`, for
 * `org_id in (...)` scope filters. Paths are digits and '/', compared in byte order on both
 * databases (the column is collated "C" on PostgreSQL), so every path under "/1/4/" sorts before
 * "/1/40" ('0' follows '/') and a subtree is one index range.
 *
 * PostgreSQL needs two shapes (measured on 200,000 residents, see bench/README.md):
 * - by default `LIKE '/1/4/%'`: its row estimate for a prefix is sound, so the residents page is
 *   planned as "newest ids first, keep those in scope" (a range estimate of ~2 rows makes it read
 *   every resident of the scope and sort them instead);
 * - `fence` for small tables keyed by org (resident_stats): a range, and OFFSET 0 so that the
 *   subquery is not pulled up into a merge join that walks every org node by primary key.
 *   Unlike `LIKE $1`, a range stays indexable in a prepared statement's generic plan.
 */
export function orgSubtreeIds(db: QueryCreator<DB>, dialect: Dialect, path: string, opts: { fence?: boolean } = {}) {
  const q = db.selectFrom('org_units').select('org_units.id');
  const range = q.where('org_units.path', '>=', path).where('org_units.path', '<', `${path.slice(0, -1)}0`);
  if (dialect === 'sqlite') return range;
  return opts.fence ? range.offset(0) : q.where('org_units.path', 'like', `${path}%`);
}
