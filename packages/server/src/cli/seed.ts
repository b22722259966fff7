import { ConfigError, loadConfig } from '../config.js';
import { createContext } from '../context.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { formatAccountsTable, seedDemo } from '../demo/seed.js';

/**
 * `npm run seed`: migrates, then loads the demo world (once; a second run changes nothing) and
 * prints the demo accounts. Exits non-zero on any failure.
 */
let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(78);
}
const database = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  await migrateToLatest(database);
  const started = Date.now();
  const result = await seedDemo(createContext(config, database));
  if (result.created && result.counts) {
    const c = result.counts;
    const tags = Object.entries(c.tags).map(([t, n]) => `${t} ${n}`).join(', ');
    console.log(`demo data loaded on ${database.dialect} in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    console.log(`  ${c.orgUnits} org units, ${c.buildings} buildings, ${c.households} households, ${c.residents} residents`);
    console.log(`  tags: ${tags}`);
    console.log(`  ${c.partyOrgs} party organisations (${c.partyMembers} memberships), ${c.teams} teams (${c.teamMembers} members), ${c.allianceMembers} alliance members`);
  } else {
    console.log('demo data already present');
  }
  console.log('\nDemo accounts:\n' + formatAccountsTable(result.accounts));
} catch (err) {
  console.error(`seed failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
