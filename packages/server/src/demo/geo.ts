import type { GeoJsonPolygon } from '@haitang/contracts';

/** An axis-aligned lng/lat rectangle. */
export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A closed GeoJSON Polygon ring (counter-clockwise, as RFC 7946 asks) for the rectangle. */
export function rectangle(b: Box): GeoJsonPolygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [b.west, b.south],
        [b.east, b.south],
        [b.east, b.north],
        [b.west, b.north],
        [b.west, b.south],
      ],
    ],
  };
}

/**
 * Cuts a rectangle into cols × rows tiles that share their edges exactly, ordered row by row from
 * the north-west corner (reading order on a map). Tiles cover the parent without gaps or overlaps.
 */
export function tileBox(b: Box, cols: number, rows: number): Box[] {
  const xs = Array.from({ length: cols + 1 }, (_, i) => round6(b.west + ((b.east - b.west) * i) / cols));
  const ys = Array.from({ length: rows + 1 }, (_, j) => round6(b.north - ((b.north - b.south) * j) / rows));
  const out: Box[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out.push({ west: xs[c]!, east: xs[c + 1]!, north: ys[r]!, south: ys[r + 1]! });
  }
  return out;
}

/** A point inside the box at fractions (fx, fy) from its south-west corner. */
export function pointIn(b: Box, fx: number, fy: number): { lng: number; lat: number } {
  return { lng: round6(b.west + (b.east - b.west) * fx), lat: round6(b.south + (b.north - b.south) * fy) };
}
