import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, createAccount, createOrgTree, login, testDialects, type TestEnv, type TestOrg } from '../../../test/helpers.js';

for (const dialect of await testDialects()) {
  describe(`auth routes (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    before(async () => {
      env = await buildTestApp(dialect, { HAITANG_LOGIN_MAX_FAILURES: '3' });
      org = await createOrgTree(env.ctx);
    });
    after(() => env.close());

    it('logs in with a session cookie that is HttpOnly and SameSite, and /me answers', async () => {
      const acc = await createAccount(env.ctx, 'community_staff', org.community);
      const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: acc.password } });
      assert.equal(res.statusCode, 200);
      const cookie = res.cookies.find((c) => c.name === 'ht_session')!;
      assert.ok(cookie.httpOnly);
      assert.equal(cookie.sameSite, 'Lax');
      const body = res.json();
      assert.equal(body.account.role, 'community_staff');
      assert.equal(body.account.orgName, '竹辉社区');
      assert.ok(body.permissions.includes('resident.reveal'));
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { ht_session: cookie.value } });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().csrfToken, body.csrfToken);
      // the password hash is argon2id
      const row = await env.ctx.db.selectFrom('accounts').select('password_hash').where('id', '=', acc.id).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$argon2id\$/);
    });

    it('refuses a wrong password with the same answer as an unknown user', async () => {
      const acc = await createAccount(env.ctx, 'grid_worker', org.grid);
      const wrong = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: 'nope' } });
      const unknown = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'nope' } });
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.json().error.code, 'INVALID_CREDENTIALS');
      assert.equal(unknown.json().error.code, 'INVALID_CREDENTIALS');
      assert.equal(wrong.json().error.message, '用户名或密码错误');
    });

    it('locks the account after repeated failures, even for the right password', async () => {
      const acc = await createAccount(env.ctx, 'grid_worker', org.grid);
      for (let i = 0; i < 2; i++) {
        const r = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: 'bad' } });
        assert.equal(r.statusCode, 401);
      }
      const third = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: 'bad' } });
      assert.equal(third.statusCode, 423);
      const right = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: acc.password } });
      assert.equal(right.statusCode, 423);
      assert.equal(right.json().error.code, 'ACCOUNT_LOCKED');
    });

    it('rejects a cookie-authenticated write without the CSRF token', async () => {
      const acc = await createAccount(env.ctx, 'community_staff', org.community);
      const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acc.username, password: acc.password } });
      const cookie = res.cookies.find((c) => c.name === 'ht_session')!;
      const noToken = await env.app.inject({
        method: 'POST',
        url: '/api/org',
        cookies: { ht_session: cookie.value },
        payload: { parentId: org.grid, kind: 'micro_grid', name: 'x' },
      });
      assert.equal(noToken.statusCode, 403);
      assert.equal(noToken.json().error.code, 'CSRF_FAILED');
    });

    it('logs out and changes the password', async () => {
      const acc = await createAccount(env.ctx, 'street_leader', org.street);
      const client = await login(env.app, acc.username, acc.password);
      const short = await client.post('/api/auth/password', { currentPassword: acc.password, newPassword: 'short' });
      assert.equal(short.statusCode, 400);
      const bad = await client.post('/api/auth/password', { currentPassword: 'wrong-one', newPassword: 'a-new-password-1' });
      assert.equal(bad.statusCode, 401);
      const ok = await client.post('/api/auth/password', { currentPassword: acc.password, newPassword: 'a-new-password-1' });
      assert.equal(ok.statusCode, 200);
      await login(env.app, acc.username, 'a-new-password-1');
      await assert.rejects(login(env.app, acc.username, acc.password));
      const out = await client.post('/api/auth/logout');
      assert.equal(out.statusCode, 200);
      assert.equal((await client.get('/api/auth/me')).statusCode, 401);
    });

    it('rate-limits logins per address', async () => {
      const limited = await buildTestApp(dialect, { HAITANG_LOGIN_RATE_PER_MINUTE: '3' });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } });
          codes.push(r.statusCode);
        }
        assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      } finally {
        await limited.close();
      }
    });
  });
}

for (const dialect of await testDialects()) {
  describe(`auth under pressure (${dialect})`, () => {
    let env: TestEnv;
    let org: TestOrg;
    before(async () => {
      env = await buildTestApp(dialect, { HAITANG_LOGIN_MAX_FAILURES: '5', HAITANG_LOGIN_RATE_PER_MINUTE: '3' });
      org = await createOrgTree(env.ctx);
    });
    after(() => env.close());

    it('counts concurrent wrong passwords, so parallel guessing still locks the account', async () => {
      const acc = await createAccount(env.ctx, 'grid_worker', org.grid);
      const tries = Array.from({ length: 5 }, (_, i) =>
        env.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: `10.0.0.${i + 1}`,
          payload: { username: acc.username, password: 'wrong' },
        }),
      );
      const codes = (await Promise.all(tries)).map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [401, 401, 401, 401, 423]);
      const row = await env.ctx.db.selectFrom('accounts').select('locked_until').where('id', '=', acc.id).executeTakeFirstOrThrow();
      assert.ok(row.locked_until);
    });

    it('ignores X-Forwarded-For unless a proxy is trusted: a forged address does not reset the rate limit', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await env.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '10.9.9.9',
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
          payload: { username: 'nobody', password: 'x' },
        });
        codes.push(r.statusCode);
      }
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    });
  });
}
