// Hours totals for 100,000 volunteers (issue 4 point 10): a street whose 100,000 residents each
// have three certified services in the year (300,000 records over 3,000 activities). Measured
// through the real server, one request at a time: the figures of the whole street and of one
// community for the year (totals, by team and by unit), and one volunteer's record.
// Run: node --import tsx bench/volunteer-hours.bench.ts [--volunteers 100000] [--requests 20]
//      [--dialect sqlite|postgres|both]
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PiiCrypto } from '../packages/server/src/lib/pii-crypto.js';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { generateOrgTree } from './generators/org-tree.js';
import { generateResidents } from './generators/residents.js';
import { arg, benchDialects, insertBenchAccounts, scratchDatabase, timeIt } from './lib.js';
import { loginSession, startBenchServer } from './server.js';

const volunteers = Number(arg('volunteers', '100000'));
const requests = Number(arg('requests', '20'));
const ACTIVITIES = 3_000;
const PER_VOLUNTEER = 3;

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const key = randomBytes(32);
    const db = s.database.db;
    const tree = await generateOrgTree(db, 20_000);
    const street = tree.street;
    const units = await db.selectFrom('org_units').select(['id', 'kind', 'path']).where('path', 'like', `${street.path}%`).execute();
    const micro = units.filter((u) => u.kind === 'micro_grid').map((u) => u.id);
    const communities = units.filter((u) => u.kind === 'community');
    const t0 = Date.now();
    await generateResidents(db, new PiiCrypto(key), micro, volunteers);
    const now = new Date();
    const iso = now.toISOString();
    const hash = await hashPassword('bench-password');
    const [leaderId] = await insertBenchAccounts(db, hash, [{ username: 'leader', role: 'street_leader', orgId: street.id }]);
    // 3,000 finished services spread over the communities and the last 300 days, 2 hours each.
    const activityRows = Array.from({ length: ACTIVITIES }, (_, i) => {
      const start = now.getTime() - (1 + (i % 300)) * 86_400_000;
      return {
        org_id: communities[i % communities.length]!.id, team_id: null, organiser: `队伍${i % 30}`, kind: 'service', title: `服务${i}`, description: null,
        place: '社区', starts_at: new Date(start).toISOString(), ends_at: new Date(start + 7_200_000).toISOString(), capacity: null, cap_minutes: null,
        status: 'finished', served_count: 20, confirmed_count: 0, created_by: leaderId!, created_at: iso, updated_at: iso,
      };
    });
    for (let i = 0; i < activityRows.length; i += 500) await db.insertInto('activities').values(activityRows.slice(i, i + 500)).execute();
    const activityIds = (await db.selectFrom('activities').select('id').orderBy('id').execute()).map((r) => r.id);
    const residentIds = (await db.selectFrom('residents').select('id').orderBy('id').execute()).map((r) => r.id);
    let batch: object[] = [];
    const flush = async () => {
      if (batch.length) await db.insertInto('activity_signups').values(batch as never).execute();
      batch = [];
    };
    for (const [i, rid] of residentIds.entries()) {
      for (let k = 0; k < PER_VOLUNTEER; k++) {
        const minutes = 72 + ((i * 7 + k * 13) % 49);
        batch.push({
          activity_id: activityIds[(i * 7 + k * 131) % ACTIVITIES]!, resident_id: rid, status: 'confirmed', queued_at: iso, proxy_account_id: null,
          checked_in_at: iso, checked_out_at: iso, computed_minutes: minutes, confirmed_minutes: minutes, confirmed_by: leaderId!, confirmed_at: iso,
          created_at: iso, updated_at: iso,
        });
      }
      if (batch.length >= 2000) await flush();
    }
    await flush();
    await sql`analyze`.execute(db);
    await s.database.close();
    console.log(`\n${dialect}: ${volunteers} volunteers, ${volunteers * PER_VOLUNTEER} certified records over ${ACTIVITIES} activities, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key });
    try {
      const leader = await loginSession(server.base, 'leader', 'bench-password');
      const year = new Date(now.getTime() + 8 * 3_600_000);
      const from = new Date(year.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
      const to = year.toISOString().slice(0, 10);
      const get = async (url: string) => {
        const res = await fetch(`${server.base}${url}`, { headers: { cookie: leader.cookie } });
        if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<any>;
      };
      const street = await get(`/api/activities/figures?from=${from}&to=${to}`);
      console.log(`  check: ${street.total.services} services, ${street.total.volunteers} volunteers, ${street.total.hours} hours`);
      const cases: [string, string][] = [
        ['figures of the street (100,000 volunteers)', `/api/activities/figures?from=${from}&to=${to}`],
        ['figures of one community', `/api/activities/figures?from=${from}&to=${to}&orgId=${communities[0]!.id}`],
        ['one volunteer record', `/api/volunteers/${residentIds[12345 % residentIds.length]}`],
      ];
      for (const [name, url] of cases) {
        const t = await timeIt(requests, () => get(url));
        console.log(`  ${name.padEnd(44)} median ${t.median.toFixed(1)} ms  p95 ${t.p95.toFixed(1)} ms`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await s.drop();
  }
}
