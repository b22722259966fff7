// Point-in-polygon routing (issue 3 point 13): which of 10,000 grid polygons holds a point, with the
// spatial index the server routes orders with (packages/server/src/lib/point-index.ts).
// Target: over 200,000 points/s. A linear scan over every polygon is measured too, for scale.
// Run: node --import tsx bench/order-routing.bench.ts [--grids 10000] [--points 1000000]
import { PointIndex, boundsOf, type IndexedPolygon } from '../packages/server/src/lib/point-index.js';
import { mulberry32 } from '../packages/server/src/demo/prng.js';
import { arg } from './lib.js';

const grids = Number(arg('grids', '10000'));
const points = Number(arg('points', '1000000'));
const rnd = mulberry32(20261127);

// A side × side lattice of cells over roughly Suzhou's urban area (0.5° × 0.4°). Lattice corners
// are jittered and every edge gets a jittered midpoint chosen once per edge, so neighbouring
// polygons share their borders exactly (no gaps, no overlaps), like real grid boundaries.
const side = Math.ceil(Math.sqrt(grids));
const [x0, y0, w, h] = [120.4, 31.1, 0.5, 0.4];
const dx = w / side;
const dy = h / side;
const corner: [number, number][][] = [];
for (let i = 0; i <= side; i++) {
  corner.push([]);
  for (let j = 0; j <= side; j++) {
    const edge = i === 0 || j === 0 || i === side || j === side;
    corner[i]!.push([x0 + i * dx + (edge ? 0 : (rnd() - 0.5) * dx * 0.25), y0 + j * dy + (edge ? 0 : (rnd() - 0.5) * dy * 0.25)]);
  }
}
const mids = new Map<string, [number, number]>();
function mid(a: [number, number], b: [number, number], key: string): [number, number] {
  let m = mids.get(key);
  if (!m) {
    const t = 0.35 + rnd() * 0.3;
    // The lattice's outer border stays straight, so every point of the area lies in some cell.
    const outer = (a[0] === b[0] && (a[0] === x0 || a[0] === x0 + w)) || (a[1] === b[1] && (a[1] === y0 || a[1] === y0 + h));
    const jx = outer ? 0 : (rnd() - 0.5) * dx * 0.08;
    const jy = outer ? 0 : (rnd() - 0.5) * dy * 0.08;
    m = [a[0] + (b[0] - a[0]) * t + jx, a[1] + (b[1] - a[1]) * t + jy];
    mids.set(key, m);
  }
  return m;
}
const items: IndexedPolygon[] = [];
let id = 0;
for (let i = 0; i < side && items.length < grids; i++) {
  for (let j = 0; j < side && items.length < grids; j++) {
    const a = corner[i]![j]!;
    const b = corner[i + 1]![j]!;
    const c = corner[i + 1]![j + 1]!;
    const d = corner[i]![j + 1]!;
    const ring = [a, mid(a, b, `h${i},${j}`), b, mid(b, c, `v${i + 1},${j}`), c, mid(d, c, `h${i},${j + 1}`), d, mid(a, d, `v${i},${j}`), a];
    const polygons = [[ring]];
    items.push({ id: ++id, depth: 4, polygons, bbox: boundsOf(polygons) });
  }
}

const t0 = performance.now();
const index = new PointIndex(items);
const buildMs = performance.now() - t0;

const xs = new Float64Array(points);
const ys = new Float64Array(points);
for (let k = 0; k < points; k++) {
  xs[k] = x0 + rnd() * w;
  ys[k] = y0 + rnd() * h;
}
// Warm-up, then the measured pass.
for (let k = 0; k < Math.min(points, 50_000); k++) index.locate(xs[k]!, ys[k]!);
let found = 0;
const t1 = performance.now();
for (let k = 0; k < points; k++) if (index.locate(xs[k]!, ys[k]!)) found++;
const lookMs = performance.now() - t1;

// The same question answered by testing every polygon (what the index avoids), on fewer points.
const scanPoints = Math.min(points, 2_000);
const single = (p: IndexedPolygon) => new PointIndex([p]);
const one = items.map(single);
const t2 = performance.now();
let scanFound = 0;
for (let k = 0; k < scanPoints; k++) {
  for (const p of one) {
    if (p.locate(xs[k]!, ys[k]!)) {
      scanFound++;
      break;
    }
  }
}
const scanMs = performance.now() - t2;

console.log(`${items.length} grid polygons (8 vertices each), index built in ${buildMs.toFixed(0)} ms`);
console.log(`indexed: ${points} points in ${lookMs.toFixed(0)} ms = ${Math.round(points / (lookMs / 1000)).toLocaleString('en')} points/s (${found} inside a polygon)`);
console.log(`linear scan: ${scanPoints} points in ${scanMs.toFixed(0)} ms = ${Math.round(scanPoints / (scanMs / 1000)).toLocaleString('en')} points/s (${scanFound} inside)`);
if (found !== points) throw new Error(`${points - found} points fell outside every polygon of a gap-free tiling`);
