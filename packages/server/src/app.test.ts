import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestEnv } from '../test/helpers.js';

describe('app shell', () => {
  let env: TestEnv;
  before(async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'ht-dist-'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>海棠</title>');
    env = await buildTestApp('sqlite', { HAITANG_WEB_DIST: dist });
  });
  after(() => env.close());

  it('serves OpenAPI docs at /docs describing the API', async () => {
    const ui = await env.app.inject({ method: 'GET', url: '/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
    const spec = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
    assert.equal(spec.openapi.slice(0, 1), '3');
    for (const p of ['/api/auth/login', '/api/org/tree', '/api/residents/', '/api/imports/residents', '/api/audit/']) {
      assert.ok(Object.keys(spec.paths).some((k) => k === p || k === p.replace(/\/$/, '')), `${p} documented`);
    }
  });

  it('serves the console for client-side routes and JSON 404s for unknown API paths', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/residents' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /海棠/);
    const api = await env.app.inject({ method: 'GET', url: '/api/nope', headers: { 'accept-language': 'en' } });
    assert.equal(api.statusCode, 404);
    assert.deepEqual(api.json(), { error: { code: 'NOT_FOUND', message: 'Not found, or outside your area' } });
  });

  it('answers errors in Chinese by default', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/org/tree' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.message, '请先登录');
  });
});
