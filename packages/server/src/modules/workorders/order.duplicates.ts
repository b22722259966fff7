import { OPEN_STATES, type DuplicateList, type DuplicateQuery } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { orgSubtreeIds } from '../../db/subtree.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { documentTerms } from '../../lib/segment.js';
import { searchableText } from './order.fts.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { findOrdersByIds } from './order.repository.js';
import { mapSummary } from './order.service.js';

/** Orders within this many metres of the reported point count as "the same place". */
export const DUPLICATE_RADIUS_M = 150;
/** The least word overlap (Dice coefficient of jieba terms) worth suggesting. */
export const MIN_SIMILARITY = 0.25;
const MAX_SUGGESTIONS = 5;
/** Candidates read per request: open orders of one category at one place are few. */
const MAX_CANDIDATES = 200;
const M_PER_DEG_LAT = 111_320;

/** Great-circle distance in metres (haversine; plenty exact at street scale). */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

/** Dice coefficient 2|A∩B| / (|A|+|B|) of two term sets: 1 for the same words, 0 for none shared. */
export function termSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/**
 * Open orders that may report the same problem (design.md §3): same category, still open, at
 * the same household or within DUPLICATE_RADIUS_M of the point, with similar words. Asked at
 * intake (before saving) and on an order's page (with `excludeId`) to offer a merge.
 */
export async function findDuplicates(ctx: AppContext, actor: Actor, q: DuplicateQuery): Promise<DuplicateList> {
  requirePermission(actor, 'order.read');
  const hasPoint = q.lng !== undefined && q.lat !== undefined;
  if (q.householdId === undefined && !hasPoint) return { items: [] };
  const words = new Set(documentTerms(q.description));
  if (!words.size) return { items: [] };

  const dLat = DUPLICATE_RADIUS_M / M_PER_DEG_LAT;
  const dLng = hasPoint ? DUPLICATE_RADIUS_M / (M_PER_DEG_LAT * Math.cos((q.lat! * Math.PI) / 180)) : 0;
  const candidates = await ctx.db
    .selectFrom('work_orders as w')
    .select(['w.id', 'w.lng', 'w.lat', 'w.household_id', 'w.title', 'w.description', 'w.channel'])
    .where('w.category_id', '=', q.categoryId)
    .where('w.status', 'in', OPEN_STATES)
    .where('w.merged_into_id', 'is', null)
    .where('w.praise', '=', 0)
    .where('w.org_id', 'in', orgSubtreeIds(ctx.db, ctx.dialect, actor.orgPath))
    .$if(q.excludeId !== undefined, (qb) => qb.where('w.id', '!=', q.excludeId!))
    .where((eb) => {
      const place = [];
      if (q.householdId !== undefined) place.push(eb('w.household_id', '=', q.householdId));
      if (hasPoint) {
        place.push(
          eb.and([
            eb('w.lat', '>=', q.lat! - dLat),
            eb('w.lat', '<=', q.lat! + dLat),
            eb('w.lng', '>=', q.lng! - dLng),
            eb('w.lng', '<=', q.lng! + dLng),
          ]),
        );
      }
      return eb.or(place);
    })
    .orderBy('w.id', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  if (!candidates.length) return { items: [] };

  const scored = [];
  for (const c of candidates) {
    const distance = hasPoint && c.lng !== null && c.lat !== null ? distanceM(q.lng!, q.lat!, c.lng, c.lat) : null;
    const sameHousehold = q.householdId !== undefined && c.household_id === q.householdId;
    // The bounding box is a square: drop its corners beyond the radius.
    if (!sameHousehold && (distance === null || distance > DUPLICATE_RADIUS_M)) continue;
    // The candidate's words as intake indexed them (searchableText: a resident's report by its
    // description, whose start is its title, staff intake by title and description). Segmented
    // here: the term stores have no lookup by order, and candidates are few.
    const similarity = termSimilarity(words, new Set(documentTerms(searchableText(c))));
    if (similarity < MIN_SIMILARITY) continue;
    scored.push({ id: c.id, similarity, distance });
  }
  scored.sort((a, b) => b.similarity - a.similarity || (a.distance ?? 0) - (b.distance ?? 0) || b.id - a.id);
  const top = scored.slice(0, MAX_SUGGESTIONS);
  const rows = new Map((await findOrdersByIds(ctx.db, top.map((s) => s.id))).map((r) => [r.id, r]));
  const cal = await loadCalendar(ctx.db);
  const now = Date.now();
  return {
    items: top.map((s) => ({
      ...mapSummary(rows.get(s.id)!, cal, now),
      similarity: Math.round(s.similarity * 1000) / 1000,
      distanceM: s.distance === null ? null : Math.round(s.distance),
    })),
  };
}
