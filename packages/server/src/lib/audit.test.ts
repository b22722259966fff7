import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { buildTestApp, clientAs, createOrgTree, testDialects, type TestEnv, type TestOrg } from '../../test/helpers.js';
import { verifyAuditChain, writeAudit } from './audit.js';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/** Tampering needs the append-only trigger out of the way, as an attacker with DB access would do. */
async function disableGuard(env: TestEnv) {
  if (env.dialect === 'postgres') await sql`alter table audit_log disable trigger audit_log_no_update`.execute(env.ctx.db);
  else {
    await sql`drop trigger audit_log_no_update`.execute(env.ctx.db);
    await sql`drop trigger audit_log_no_delete`.execute(env.ctx.db);
  }
}

async function runVerifyCli(env: TestEnv) {
  const envVars = {
    ...process.env,
    NODE_ENV: 'test',
    HAITANG_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    DATABASE_URL: env.testDb.databaseUrl ?? '',
    HAITANG_DATA_DIR: path.dirname(env.testDb.sqliteFile || '/tmp/x'),
    HAITANG_SQLITE_FILE: env.testDb.sqliteFile ? path.basename(env.testDb.sqliteFile) : 'unused.db',
  };
  try {
    const { stdout } = await run('node', ['--import', 'tsx', 'packages/server/src/cli/audit-verify.ts'], { cwd: repoRoot, env: envVars });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

for (const dialect of await testDialects()) {
  describe(`audit chain (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    before(async () => {
      env = await buildTestApp(dialect);
      org = await createOrgTree(env.ctx);
      const staff = await clientAs(env, 'community_staff', org.community);
      for (let i = 0; i < 5; i++) await staff.post('/api/org', { parentId: org.grid, kind: 'micro_grid', name: `微网格${i}` });
    });
    after(() => env.close());

    it('links each entry to the previous one and verifies intact', async () => {
      const rows = await env.ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      assert.ok(rows.length >= 6);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
      const res = await verifyAuditChain(env.ctx.db, 2);
      assert.deepEqual(res.problems, []);
      assert.equal(res.checked, rows.length);
      const cli = await runVerifyCli(env);
      assert.equal(cli.code, 0, cli.out);
      assert.match(cli.out, /intact/);
    });

    it('refuses updates and deletes at the database level', async () => {
      await assert.rejects(env.ctx.db.updateTable('audit_log').set({ action: 'x' }).where('seq', '=', 1).execute());
      await assert.rejects(env.ctx.db.deleteFrom('audit_log').where('seq', '=', 1).execute());
    });

    it('rolls back with the change it records', async () => {
      const before = await env.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await assert.rejects(
        env.ctx.db.transaction().execute(async (trx) => {
          await writeAudit(trx, env.dialect, null, { action: 'test.rollback', entityType: 'test' });
          throw new Error('boom');
        }),
      );
      const after = await env.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('detects a changed row and a deleted row, and the CLI exits non-zero', async () => {
      await disableGuard(env);
      await env.ctx.db.updateTable('audit_log').set({ after: '{"name":"forged"}' }).where('seq', '=', 3).execute();
      let res = await verifyAuditChain(env.ctx.db);
      assert.ok(res.problems.some((p) => p.seq === 3 && p.problem === 'hash_mismatch'));
      await env.ctx.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
      res = await verifyAuditChain(env.ctx.db);
      assert.ok(res.problems.some((p) => p.seq === 5 && p.problem === 'missing_rows'));
      const cli = await runVerifyCli(env);
      assert.equal(cli.code, 1);
      assert.match(cli.out, /BROKEN/);
    });
  });
}
