import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PiiCrypto } from '../../packages/server/src/lib/pii-crypto.js';
import { generateOrgTree } from '../generators/org-tree.js';
import { generateResidents } from '../generators/residents.js';
import { scratchDatabase } from '../lib.js';

for (const disable of [[], ['residents_stats'], ['residents_grams_ai'], ['residents_stats', 'residents_grams_ai', 'resident_tags_stats']]) {
  const s = await scratchDatabase('postgres');
  const db = s.database.db;
  const tree = await generateOrgTree(db, 20_000);
  const micro = (await db.selectFrom('org_units').select('id').where('kind', '=', 'micro_grid').where('path', 'like', `${tree.street.path}%`).execute()).map((r) => r.id);
  const triggers = (await sql<{ tgname: string; rel: string }>`select tgname, tgrelid::regclass::text as rel from pg_trigger where not tgisinternal`.execute(db)).rows;
  for (const t of triggers) if (disable.some((d) => t.tgname.startsWith(d))) await sql.raw(`alter table ${t.rel} disable trigger ${t.tgname}`).execute(db);
  const t0 = Date.now();
  await generateResidents(db, new PiiCrypto(randomBytes(32)), micro, 50_000);
  console.log(`disabled ${JSON.stringify(disable)} (${triggers.map((t) => t.tgname).join(',')}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await s.drop();
}
