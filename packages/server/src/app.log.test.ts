import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createContext } from './context.js';
import { createTestDatabase } from '../test/db.js';
import { createAccount, createOrgTree, login } from '../test/helpers.js';

it('never writes a searched ID number or phone into the request log', async () => {
  const testDb = await createTestDatabase('sqlite');
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', HAITANG_ENCRYPTION_KEY: randomBytes(32).toString('base64'), HAITANG_WEB_DIST: '/none' });
  const ctx = createContext(config, testDb.database);
  const app = await buildApp(ctx, { logStream });
  try {
    const org = await createOrgTree(ctx);
    const acc = await createAccount(ctx, 'community_staff', org.community);
    const staff = await login(app, acc.username, acc.password);
    await staff.get('/api/residents?q=11010519491231002X');
    await staff.get('/api/residents/export.xlsx?q=13812341234');
    assert.ok(lines.some((l) => l.includes('"url":"/api/residents"')), 'request lines are logged at info, path only');
    assert.ok(!lines.some((l) => l.includes('11010519491231002X') || l.includes('13812341234')), lines.join(''));
  } finally {
    await app.close();
    await testDb.drop();
  }
});
