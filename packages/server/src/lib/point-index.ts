/**
 * Which polygon holds a point: a uniform bucket grid over the polygons' bounding boxes narrows a
 * lookup to the few polygons whose box covers the point's cell, then an even-odd ray test decides.
 * Built once from the org tree's grid polygons; lookups cost microseconds at 10,000 polygons.
 */
type Ring = number[][];
export interface IndexedPolygon {
  id: number;
  /** Deeper nodes (micro-grids) win over their parents when both hold the point. */
  depth: number;
  /** Polygons (outer ring first, then holes) of a GeoJSON Polygon or MultiPolygon. */
  polygons: Ring[][];
  bbox: [number, number, number, number];
}

export class PointIndex {
  private readonly cells = new Map<number, IndexedPolygon[]>();
  private readonly cellSize: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cols: number;

  constructor(readonly items: IndexedPolygon[]) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, area = 0;
    for (const p of items) {
      minX = Math.min(minX, p.bbox[0]);
      minY = Math.min(minY, p.bbox[1]);
      maxX = Math.max(maxX, p.bbox[2]);
      maxY = Math.max(maxY, p.bbox[3]);
      area += (p.bbox[2] - p.bbox[0]) * (p.bbox[3] - p.bbox[1]);
    }
    // A cell about the size of an average box keeps each bucket short.
    this.cellSize = items.length ? Math.max(Math.sqrt(area / items.length), 1e-6) : 1;
    this.minX = Number.isFinite(minX) ? minX : 0;
    this.minY = Number.isFinite(minY) ? minY : 0;
    this.cols = Number.isFinite(maxX) ? Math.floor((maxX - this.minX) / this.cellSize) + 1 : 1;
    for (const p of items) {
      const [c0, r0] = this.cell(p.bbox[0], p.bbox[1]);
      const [c1, r1] = this.cell(p.bbox[2], p.bbox[3]);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const key = r * this.cols + c;
          const list = this.cells.get(key);
          if (list) list.push(p);
          else this.cells.set(key, [p]);
        }
      }
    }
  }

  private cell(x: number, y: number): [number, number] {
    return [Math.floor((x - this.minX) / this.cellSize), Math.floor((y - this.minY) / this.cellSize)];
  }

  /** The deepest polygon holding the point, or null. */
  locate(lng: number, lat: number): IndexedPolygon | null {
    const [c, r] = this.cell(lng, lat);
    if (c < 0 || r < 0 || c >= this.cols) return null;
    const list = this.cells.get(r * this.cols + c);
    if (!list) return null;
    let best: IndexedPolygon | null = null;
    for (const p of list) {
      if (lng < p.bbox[0] || lng > p.bbox[2] || lat < p.bbox[1] || lat > p.bbox[3]) continue;
      if (best && best.depth >= p.depth) continue;
      if (p.polygons.some((poly) => inPolygon(poly, lng, lat))) best = p;
    }
    return best;
  }
}

function inRing(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(rings: Ring[], x: number, y: number): boolean {
  if (!rings.length || !inRing(rings[0]!, x, y)) return false;
  for (let h = 1; h < rings.length; h++) if (inRing(rings[h]!, x, y)) return false;
  return true;
}

/** The polygons of a stored GeoJSON geometry (Polygon or MultiPolygon). */
export function polygonsOf(geometry: { type: string; coordinates: unknown }): Ring[][] {
  return geometry.type === 'MultiPolygon' ? (geometry.coordinates as Ring[][]) : [geometry.coordinates as Ring[]];
}

/** The bounding box [minLng, minLat, maxLng, maxLat] of polygons' outer rings. */
export function boundsOf(polygons: Ring[][]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygons) {
    for (const [x, y] of poly[0] ?? []) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  }
  return b;
}
