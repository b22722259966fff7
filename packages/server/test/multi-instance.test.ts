// Two server processes on one database (the HAITANG_WORKERS / several-instances set-up): concurrent
// writes through both must keep every row and one intact audit chain, and a session opened on one
// instance must work on the other.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../src/lib/audit.js';
import { createTestDatabase, testDialects, type TestDatabase } from './db.js';
import { createAccount, createOrgTree } from './helpers.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { freePort } from './free-port.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');


async function startInstance(t: TestDatabase, key: Buffer): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: repoRoot,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: t.databaseUrl ?? '',
      HAITANG_DATA_DIR: t.sqliteFile ? path.dirname(t.sqliteFile) : '/tmp',
      HAITANG_SQLITE_FILE: t.sqliteFile ? path.basename(t.sqliteFile) : 'unused.db',
      HAITANG_ENCRYPTION_KEY: key.toString('base64'),
      HAITANG_WEB_DIST: '/nonexistent',
      HAITANG_LOGIN_RATE_PER_MINUTE: '1000',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { base, child };
    } catch {
      /* starting */
    }
    if (i > 150) throw new Error('instance did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const dialect of await testDialects()) {
  describe(`two server instances on one ${dialect} database`, () => {
    let t: TestDatabase;
    const key = randomBytes(32);
    const instances: { base: string; child: ChildProcess }[] = [];
    let username = '';
    let password = '';
    let gridId = 0;
    before(async () => {
      t = await createTestDatabase(dialect);
      const ctx = createContext(loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: key.toString('base64') }), t.database);
      const org = await createOrgTree(ctx);
      gridId = org.grid;
      const acc = await createAccount(ctx, 'community_staff', org.community);
      username = acc.username;
      password = acc.password;
      instances.push(await startInstance(t, key), await startInstance(t, key));
    });
    after(async () => {
      for (const i of instances) {
        i.child.kill('SIGTERM');
        await new Promise((r) => i.child.once('exit', r));
      }
      await t.drop();
    });

    it('shares sessions and keeps every concurrent write and one audit chain', async () => {
      const login = await fetch(`${instances[0]!.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      // the session opened on instance 0 works on instance 1
      const me = await fetch(`${instances[1]!.base}/api/auth/me`, { headers: { cookie } });
      assert.equal(me.status, 200);

      const writes = Array.from({ length: 40 }, (_, i) =>
        fetch(`${instances[i % 2]!.base}/api/org`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ parentId: gridId, kind: 'micro_grid', name: `并发微网格${i}` }),
        }).then((r) => r.status),
      );
      assert.deepEqual(await Promise.all(writes), Array(40).fill(201));
      const created = await t.database.db.selectFrom('org_units').select('id').where('name', 'like', '并发微网格%').execute();
      assert.equal(created.length, 40);
      // Logins read and then bump a shared rate-limit counter: a read-then-write transaction.
      const logins = Array.from({ length: 20 }, (_, i) =>
        fetch(`${instances[i % 2]!.base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        }).then((r) => r.status),
      );
      assert.deepEqual(await Promise.all(logins), Array(20).fill(200));
      const chain = await verifyAuditChain(t.database.db);
      assert.deepEqual(chain.problems, []);
      const creates = await t.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'org.create').execute();
      assert.equal(creates.length, 40);
    });
  });
}
