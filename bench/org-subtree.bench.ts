// Subtree and ancestor queries on an org tree of 20,000 nodes, on SQLite and PostgreSQL.
// Run: node --import tsx bench/org-subtree.bench.ts [--nodes 20000] [--dialect sqlite|postgres|both]
import { findAncestors, findSubtree } from '../packages/server/src/modules/org/org.repository.js';
import { generateOrgTree } from './generators/org-tree.js';
import { arg, benchDialects, scratchDatabase, timeIt } from './lib.js';

const nodes = Number(arg('nodes', '20000'));
const fmt = (x: number) => x.toFixed(2);
for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const t = await generateOrgTree(s.database.db, nodes);
    const db = s.database.db;
    const cases: [string, () => Promise<unknown>, number][] = [
      ['subtree of the root (all nodes)', () => findSubtree(db, t.root.path), 20],
      ['subtree of a street', () => findSubtree(db, t.street.path), 200],
      ['subtree of a community', () => findSubtree(db, t.community.path), 500],
      ['ancestors of a micro-grid', () => findAncestors(db, t.microGrid.path), 500],
    ];
    console.log(`\n${dialect}: ${t.total} nodes`);
    for (const [name, fn, n] of cases) {
      const rows = ((await fn()) as unknown[]).length;
      const r = await timeIt(n, fn);
      console.log(`  ${name.padEnd(34)} rows=${String(rows).padStart(6)}  median ${fmt(r.median)} ms  p95 ${fmt(r.p95)} ms`);
    }
  } finally {
    await s.drop();
  }
}
