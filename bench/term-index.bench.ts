// SQLite only: what the search terms of new orders cost to write under two layouts, as groups of
// 40 orders per transaction in WAL mode (as OrderWriter writes them): the present B-tree keyed
// (term, org_id, order_id), one row per term, and an FTS5 contentless table with one document
// per order (its terms and a token of its place), whose rows go into sorted segments merged later.
// Orders as the intake benchmark makes them (generators/order-texts.ts, 500 places). Each round
// writes `--orders` more, so the tables grow. A measurement for choosing the layout; the product
// writes the B-tree (see bench/README.md, intake).
// Run: node --import tsx bench/term-index.bench.ts [--orders 20000] [--rounds 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { mulberry32 } from '../packages/server/src/demo/prng.js';
import { documentTerms } from '../packages/server/src/lib/segment.js';
import { DEFAULT_CATEGORIES } from '../packages/server/src/modules/workorders/reference-data.js';
import { orderTexts } from './generators/order-texts.js';
import { arg } from './lib.js';

const orders = Number(arg('orders', '20000'));
const rounds = Number(arg('rounds', '4'));
const GROUP = 40;

const codes = DEFAULT_CATEGORIES.flatMap((c) => c.children.map((ch) => ch.code));
const rnd = mulberry32(5);
const text = orderTexts(rnd, new Map(codes.map((code, i) => [code, i + 1])));
const kinds = Array.from({ length: 2000 }, () => {
  const t = text();
  return { place: 1 + Math.floor(rnd() * 500), terms: documentTerms(`${t.title} ${t.description}`) };
});

for (const layout of ['btree', 'fts5'] as const) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ht-terms-'));
  const db = new Database(path.join(dir, 'terms.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 16384');
    let write: (id: number, k: (typeof kinds)[number]) => void;
    if (layout === 'btree') {
      db.exec('create table order_terms (term text not null, org_id integer not null, order_id integer not null, primary key (term, org_id, order_id)) without rowid');
      const ins = db.prepare('insert into order_terms (term, org_id, order_id) values (?, ?, ?)');
      write = (id, k) => {
        for (const term of k.terms) ins.run(term, k.place, id);
      };
    } else {
      // Terms separated by spaces only; detail=none keeps no positions (the search needs none).
      db.exec(`create virtual table order_fts using fts5(doc, content='', contentless_delete=1, detail='none', tokenize="unicode61 remove_diacritics 0")`);
      const ins = db.prepare('insert into order_fts (rowid, doc) values (?, ?)');
      write = (id, k) => void ins.run(id, `${k.terms.join(' ')} o${k.place}`);
    }
    console.log(`\n${layout}: groups of ${GROUP} orders, ${orders} orders a round`);
    let id = 0;
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now();
      for (let g = 0; g < orders / GROUP; g++) {
        db.exec('begin immediate');
        for (let o = 0; o < GROUP; o++) {
          id++;
          write(id, kinds[id % kinds.length]!);
        }
        db.exec('commit');
      }
      console.log(`  orders ${String(id).padStart(7)}: ${(((performance.now() - t0) * 1000) / orders).toFixed(1).padStart(6)} µs per order`);
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
