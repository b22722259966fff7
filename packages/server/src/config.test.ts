import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('lists every bad setting at once', () => {
    try {
      loadConfig({ NODE_ENV: 'test', PORT: 'abc', DATABASE_URL: 'mysql://x', HAITANG_ENCRYPTION_KEY: 'c2hvcnQ=', HAITANG_COOKIE_SECURE: 'maybe' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 4, err.message);
      assert.match(err.message, /PORT/);
      assert.match(err.message, /DATABASE_URL/);
      assert.match(err.message, /HAITANG_ENCRYPTION_KEY/);
      assert.match(err.message, /HAITANG_COOKIE_SECURE/);
    }
  });

  it('refuses to start in production without an encryption key', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /HAITANG_ENCRYPTION_KEY is required/);
  });

  it('generates a development key once, with a warning, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-config-'));
    const warnings: string[] = [];
    const a = loadConfig({ NODE_ENV: 'development', HAITANG_DATA_DIR: dir }, { warn: (m) => warnings.push(m) });
    const b = loadConfig({ NODE_ENV: 'development', HAITANG_DATA_DIR: dir }, { warn: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.equal(a.encryptionKey.length, 32);
    assert.deepEqual(a.encryptionKey, b.encryptionKey);
    assert.equal(Buffer.from(readFileSync(path.join(dir, 'dev-encryption.key'), 'utf8').trim(), 'base64').length, 32);
    assert.ok(Object.isFrozen(a));
  });

  it('defaults to the embedded SQLite file and port 3000', () => {
    const c = loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') });
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, null);
    assert.match(c.sqliteFile, /data\/haitang\.db$/);
  });

  it('refuses private webhook targets unless HAITANG_WEBHOOK_ALLOW_PRIVATE is true', () => {
    const key = Buffer.alloc(32).toString('base64');
    assert.equal(loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: key }).webhookAllowPrivate, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', HAITANG_ENCRYPTION_KEY: key }).webhookAllowPrivate, false);
    assert.equal(loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: key, HAITANG_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate, true);
    assert.equal(loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: key, HAITANG_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate, false);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', HAITANG_ENCRYPTION_KEY: key, HAITANG_WEBHOOK_ALLOW_PRIVATE: 'sometimes' }), /HAITANG_WEBHOOK_ALLOW_PRIVATE must be true or false/);
  });
});
