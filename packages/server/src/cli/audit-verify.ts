import { loadConfig } from '../config.js';
import { createDatabase } from '../db/database.js';
import { verifyAuditChain } from '../lib/audit.js';

/** `npm run audit:verify`: recomputes the audit hash chain; exits 1 when anything was changed or removed. */
const config = loadConfig();
const database = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  const result = await verifyAuditChain(database.db);
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} entries checked`);
  } else {
    console.error(`audit chain BROKEN: ${result.problems.length} problem(s) in ${result.checked} entries`);
    for (const p of result.problems.slice(0, 50)) console.error(`  seq ${p.seq}: ${p.problem}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
