import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { boundsOf, PointIndex, polygonsOf, type IndexedPolygon } from '../../lib/point-index.js';

/**
 * Point → grid routing over the active grids and micro-grids that have a polygon. Each process
 * keeps the index and rebuilds it when the org tree's newest change differs from the one it was
 * built at (checked at most every CHECK_MS), so every instance follows edits made elsewhere.
 */
const CHECK_MS = 10_000;
interface Cached {
  stamp: string;
  checkedAt: number;
  index: PointIndex;
}
const cache = new WeakMap<object, Promise<Cached>>();

async function stampOf(db: Kysely<DB>): Promise<string> {
  const r = await db
    .selectFrom('org_units')
    .select((eb) => [eb.fn.max('updated_at').as('at'), eb.fn.countAll<number>().as('n')])
    .where('kind', 'in', ['grid', 'micro_grid'])
    .executeTakeFirstOrThrow();
  return `${r.at ?? ''}|${r.n}`;
}

export async function buildGridIndex(db: Kysely<DB>): Promise<PointIndex> {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'depth', 'geometry'])
    .where('kind', 'in', ['grid', 'micro_grid'])
    .where('status', '=', 'active')
    .where('geometry', 'is not', null)
    .execute();
  const items: IndexedPolygon[] = rows.map((r) => {
    const polygons = polygonsOf(JSON.parse(r.geometry!));
    return { id: r.id, depth: r.depth, polygons, bbox: boundsOf(polygons) };
  });
  return new PointIndex(items);
}

async function currentIndex(db: Kysely<DB>): Promise<PointIndex> {
  const hit = cache.get(db);
  if (hit) {
    const c = await hit;
    if (Date.now() - c.checkedAt < CHECK_MS) return c.index;
    const stamp = await stampOf(db);
    if (stamp === c.stamp) {
      c.checkedAt = Date.now();
      return c.index;
    }
  }
  const next = (async () => {
    const stamp = await stampOf(db);
    return { stamp, checkedAt: Date.now(), index: await buildGridIndex(db) };
  })();
  cache.set(db, next);
  next.catch(() => cache.delete(db));
  return (await next).index;
}

/** The id of the micro-grid (or grid) holding the point, or null when no polygon holds it. */
export async function routePoint(db: Kysely<DB>, lng: number, lat: number): Promise<number | null> {
  return (await currentIndex(db)).locate(lng, lat)?.id ?? null;
}
