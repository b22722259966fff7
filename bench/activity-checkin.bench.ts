// Check-in burst (issue 4 point 10): 2,000 volunteers of one event scan the organiser's QR code
// within one minute, against the real server in its own process. Each volunteer has a resident
// account and a session (written straight into the database: logging 2,000 people in would only
// measure argon2); a tenth of them scan twice. Reported: latency percentiles of the scans, and the
// check: every volunteer checked in exactly once, none lost.
// Run: node --import tsx bench/activity-checkin.bench.ts [--volunteers 2000] [--seconds 60]
//      [--dialect sqlite|postgres|both] [--workers 1]
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PiiCrypto } from '../packages/server/src/lib/pii-crypto.js';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { generateOrgTree } from './generators/org-tree.js';
import { generateResidents } from './generators/residents.js';
import { arg, benchDialects, insertBenchAccounts, percentile, scratchDatabase } from './lib.js';
import { loginSession, startBenchServer } from './server.js';

const volunteers = Number(arg('volunteers', '2000'));
const seconds = Number(arg('seconds', '60'));
const workers = Number(arg('workers', '1'));
const REPEAT_SHARE = 0.1;

for (const dialect of await benchDialects()) {
  const s = await scratchDatabase(dialect);
  try {
    const key = randomBytes(32);
    const db = s.database.db;
    const tree = await generateOrgTree(db, 20_000);
    const community = tree.community;
    const micro = (await db.selectFrom('org_units').select('id').where('kind', '=', 'micro_grid').where('path', 'like', `${community.path}%`).execute()).map((r) => r.id);
    await generateResidents(db, new PiiCrypto(key), micro, volunteers);
    const residents = await db.selectFrom('residents').select(['id', 'org_id']).orderBy('id').execute();
    const now = new Date();
    const iso = now.toISOString();
    const hash = await hashPassword('bench-password');
    const [staffId] = await insertBenchAccounts(db, hash, [{ username: 'staff', role: 'community_staff', orgId: community.id }]);
    // One resident account and one session per volunteer.
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < residents.length; i += 500) {
      const chunk = residents.slice(i, i + 500);
      const ids = await insertBenchAccounts(db, hash, chunk.map((r) => ({ username: `v${r.id}`, role: 'resident', orgId: r.org_id, residentId: r.id })));
      const rows = ids.map((accountId) => {
        const id = randomBytes(32).toString('base64url');
        const csrf = randomBytes(24).toString('base64url');
        sessions.push({ cookie: `ht_session=${id}`, csrf });
        return { id_hash: createHash('sha256').update(id).digest('hex'), account_id: accountId, csrf_token: csrf, created_at: iso, expires_at: new Date(now.getTime() + 86_400_000).toISOString(), ip: null, user_agent: null };
      });
      await db.insertInto('sessions').values(rows).execute();
    }
    // The event: under way, everyone signed up.
    const { id: activityId } = await db
      .insertInto('activities')
      .values({
        org_id: community.id, team_id: null, organiser: null, kind: 'event', title: '宪法宣传周主题活动', description: null, place: '广场',
        starts_at: new Date(now.getTime() - 5 * 60_000).toISOString(), ends_at: new Date(now.getTime() + 2 * 3_600_000).toISOString(),
        capacity: null, cap_minutes: null, status: 'published', confirmed_count: residents.length, created_by: staffId!, created_at: iso, updated_at: iso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < residents.length; i += 1000) {
      await db
        .insertInto('activity_signups')
        .values(residents.slice(i, i + 1000).map((r) => ({ activity_id: activityId, resident_id: r.id, status: 'confirmed', queued_at: iso, proxy_account_id: null, created_at: iso, updated_at: iso })))
        .execute();
    }
    if (dialect === 'sqlite') await sql`analyze`.execute(db);
    await s.database.close();

    const server = await startBenchServer({ databaseUrl: s.url, sqliteFile: s.sqliteFile, encryptionKey: key, workers });
    try {
      const staff = await loginSession(server.base, 'staff', 'bench-password');
      // The organiser's screen: a fresh code every 20 s (it changes every 30 s).
      let token = '';
      const refresh = async () => {
        const res = await fetch(`${server.base}/api/activities/${activityId}/check-in-code?direction=in`, { headers: { cookie: staff.cookie } });
        if (!res.ok) throw new Error(`code: ${res.status} ${await res.text()}`);
        token = ((await res.json()) as { token: string }).token;
      };
      await refresh();
      const screen = setInterval(() => void refresh(), 20_000);
      // Arrivals spread at random over the minute; a tenth scan a second time a few seconds later.
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const scans = sessions.map((session, i) => ({ session, at: rand() * seconds * 1000, i }));
      for (const sc of scans.filter(() => rand() < REPEAT_SHARE)) scans.push({ ...sc, at: Math.min(seconds * 1000, sc.at + 2000 + rand() * 5000) });
      scans.sort((a, b) => a.at - b.at);
      const latencies: number[] = [];
      const checkedAt = new Map<number, string>();
      let errors = 0;
      let changedOnRescan = 0;
      const t0 = performance.now();
      await Promise.all(
        scans.map(
          (sc) =>
            new Promise<void>((resolve) => {
              setTimeout(async () => {
                const start = performance.now();
                try {
                  const res = await fetch(`${server.base}/api/activities/${activityId}/scan/in`, {
                    method: 'POST',
                    headers: { cookie: sc.session.cookie, 'x-csrf-token': sc.session.csrf, 'content-type': 'application/json' },
                    body: JSON.stringify({ token }),
                  });
                  const body = (await res.json()) as { checkedInAt?: string };
                  latencies.push(performance.now() - start);
                  if (!res.ok || !body.checkedInAt) errors++;
                  else if (checkedAt.has(sc.i) && checkedAt.get(sc.i) !== body.checkedInAt) changedOnRescan++;
                  else checkedAt.set(sc.i, body.checkedInAt);
                } catch {
                  errors++;
                }
                resolve();
              }, Math.max(0, sc.at - (performance.now() - t0)));
            }),
        ),
      );
      clearInterval(screen);
      const elapsed = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      const check = await fetch(`${server.base}/api/activities/${activityId}/signups`, { headers: { cookie: staff.cookie } });
      const items = ((await check.json()) as { items: { checkedInAt: string | null }[] }).items;
      const inCount = items.filter((x) => x.checkedInAt).length;
      console.log(
        `${dialect}: ${scans.length} scans (${volunteers} volunteers, ${scans.length - volunteers} second scans) in ${elapsed.toFixed(1)} s, ${workers} worker(s): ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms; ` +
          `errors ${errors}; checked in ${inCount} of ${volunteers} (lost ${volunteers - inCount}); a second scan changed the time ${changedOnRescan} times`,
      );
      if (errors || inCount !== volunteers || changedOnRescan) process.exitCode = 1;
    } finally {
      await server.stop();
    }
  } finally {
    await s.drop();
  }
}
