import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { PiiCrypto } from './pii-crypto.js';

describe('PiiCrypto', () => {
  const crypto = new PiiCrypto(randomBytes(32));
  it('round-trips with a fresh IV each time', () => {
    const a = crypto.encrypt('11010519491231002X');
    const b = crypto.encrypt('11010519491231002X');
    assert.notEqual(a, b);
    assert.ok(!a.includes('1101'));
    assert.equal(crypto.decrypt(a), '11010519491231002X');
  });
  it('never repeats a nonce, across pools of them, and every token still decrypts', () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => crypto.encrypt(`1381234${String(i).padStart(4, '0')}`));
    assert.equal(new Set(tokens.map((t) => t.split('.')[1])).size, 1000);
    tokens.forEach((t, i) => assert.equal(crypto.decrypt(t), `1381234${String(i).padStart(4, '0')}`));
  });
  it('detects tampering and a wrong key', () => {
    const token = crypto.encrypt('13812341234');
    const parts = token.split('.');
    parts[3] = Buffer.from('00000000000', 'utf8').toString('base64url');
    assert.throws(() => crypto.decrypt(parts.join('.')));
    assert.throws(() => new PiiCrypto(randomBytes(32)).decrypt(token));
  });
  it('hashes deterministically per key', () => {
    assert.equal(crypto.lookupHash('x'), crypto.lookupHash('x'));
    assert.notEqual(crypto.lookupHash('x'), new PiiCrypto(randomBytes(32)).lookupHash('x'));
  });
});
