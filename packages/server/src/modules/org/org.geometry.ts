import type { GeoJsonPolygon } from '@haitang/contracts';
import { AppError } from '../../lib/errors.js';

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** Checks that a GeoJSON Polygon/MultiPolygon is well formed (closed rings, ≥ 4 positions, valid lng/lat) and returns its bbox. */
export function validateGeometry(g: GeoJsonPolygon): BBox {
  const polygons: unknown[] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const box: BBox = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  if (polygons.length === 0) throw new AppError('INVALID_GEOMETRY');
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) throw new AppError('INVALID_GEOMETRY');
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) throw new AppError('INVALID_GEOMETRY');
      for (const pos of ring) {
        if (!Array.isArray(pos) || pos.length < 2) throw new AppError('INVALID_GEOMETRY');
        const [lng, lat] = pos as number[];
        if (typeof lng !== 'number' || typeof lat !== 'number' || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
          throw new AppError('INVALID_GEOMETRY');
        }
        box.minLng = Math.min(box.minLng, lng);
        box.maxLng = Math.max(box.maxLng, lng);
        box.minLat = Math.min(box.minLat, lat);
        box.maxLat = Math.max(box.maxLat, lat);
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) throw new AppError('INVALID_GEOMETRY');
    }
  }
  return box;
}
