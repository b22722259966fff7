import type { Kysely } from 'kysely';
import type { DB } from '../../packages/server/src/db/schema.js';

/**
 * Inserts a deterministic org tree of about `target` nodes: city → districts → streets →
 * communities → grids → micro-grids, with materialised paths. Returns sample ids per level.
 */
export async function generateOrgTree(db: Kysely<DB>, target = 20_000) {
  // fan-outs chosen so that the total is just over the target: 1 + 5 + 40 + 400 + 4000 + 16000
  const fanout = [5, 8, 10, 10, 4];
  const kinds = ['city', 'district', 'street', 'community', 'grid', 'micro_grid'];
  const now = new Date().toISOString();
  let nextId = 1;
  type Row = { id: number; parent_id: number | null; kind: string; name: string; path: string; depth: number; code: null; geometry: null; min_lng: null; min_lat: null; max_lng: null; max_lat: null; created_at: string; updated_at: string };
  const rows: Row[] = [];
  const make = (parent: Row | null, depth: number, i: number): Row => {
    const id = nextId++;
    const row: Row = {
      id,
      parent_id: parent?.id ?? null,
      kind: kinds[depth]!,
      name: `${kinds[depth]}-${i}`,
      path: `${parent?.path ?? '/'}${id}/`,
      depth,
      code: null,
      geometry: null,
      min_lng: null,
      min_lat: null,
      max_lng: null,
      max_lat: null,
      created_at: now,
      updated_at: now,
    };
    rows.push(row);
    return row;
  };
  let level = [make(null, 0, 0)];
  for (let d = 1; d < kinds.length && rows.length < target; d++) {
    const next: Row[] = [];
    for (const p of level) for (let i = 0; i < fanout[d - 1]! && rows.length < target; i++) next.push(make(p, d, i));
    level = next;
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('org_units').values(rows.slice(i, i + 1000)).execute();
  }
  const pick = (kind: string) => rows.find((r) => r.kind === kind)!;
  return { total: rows.length, root: rows[0]!, street: pick('street'), community: pick('community'), microGrid: pick('micro_grid') };
}
