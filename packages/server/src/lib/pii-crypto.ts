import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * GCM nonces: 96 random bits each, drawn from the CSPRNG 256 at a time (one call per nonce cost
 * more than the encryption of a phone number). A spent pool is replaced, never refilled, so a
 * nonce handed out is never overwritten; with random nonces a key stays far below GCM's 2^32 limit.
 */
const IV_BYTES = 12;
const IV_POOL_BYTES = IV_BYTES * 256;
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/**
 * Encryption at rest for ID numbers and phones (AES-256-GCM) and a keyed hash (HMAC-SHA256 with
 * a key derived from the same secret) for exact lookup without decrypting.
 */
export class PiiCrypto {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('PII master key must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'haitang/pii/enc/v1', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'haitang/pii/hash/v1', 32));
  }

  /** "v1.<iv>.<tag>.<ciphertext>", all base64url. */
  encrypt(plain: string): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(token: string): string {
    const [v, iv, tag, ct] = token.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unknown PII ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalised value, for equality search. */
  lookupHash(normalized: string): string {
    return createHmac('sha256', this.hashKey).update(normalized).digest('base64url');
  }
}
