import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every setting the server reads, validated once at start-up and frozen. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite file under dataDir is used. */
  readonly databaseUrl: string | null;
  readonly sqliteFile: string;
  /** 32-byte key for AES-256-GCM of personal data. */
  readonly encryptionKey: Buffer;
  readonly sessionTtlHours: number;
  readonly cookieSecure: boolean;
  readonly loginMaxFailures: number;
  readonly lockoutMinutes: number;
  readonly loginRateLimitPerMinute: number;
  /** Public problem reports per phone number and hour (four times as many per IP address). */
  readonly publicReportsPerHour: number;
  readonly mapTileUrl: string | null;
  readonly webDistDir: string;
  readonly maxUploadMb: number;
  /** How often each server process looks for new notifications to push to open streams. */
  readonly notificationPollMs: number;
  /** How often each server process sends queued webhook deliveries. */
  readonly webhookPollMs: number;
  /**
   * Whether webhook URLs may point at loopback, private or link-local addresses (localhost,
   * 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7 …). Off by default: such a URL would let
   * an admin make the server call into its own network. Turn on for intranet-only deployments.
   */
  readonly webhookAllowPrivate: boolean;
  readonly logLevel: string;
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): false (default: the
   * socket address counts), a hop count, or comma-separated addresses/CIDRs of the real proxies.
   */
  readonly trustProxy: boolean | number | string;
  /** HTTP worker processes on this machine (node:cluster); 1 = the process itself serves. */
  readonly workers: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

interface LoadOptions {
  /** Called with a warning line (e.g. the generated development key). */
  warn?: (msg: string) => void;
}

/**
 * Reads the environment once. Collects every problem before failing so that an operator
 * sees the whole list at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): Config {
  const problems: string[] = [];
  const warn = opts.warn ?? ((m: string) => console.warn(m));

  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };

  const port = int('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(repoRoot, env.HAITANG_DATA_DIR ?? 'data');
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const sqliteFile = path.resolve(dataDir, env.HAITANG_SQLITE_FILE ?? 'haitang.db');

  let encryptionKey: Buffer = Buffer.alloc(0);
  const rawKey = env.HAITANG_ENCRYPTION_KEY?.trim();
  if (rawKey) {
    encryptionKey = Buffer.from(rawKey, 'base64');
    if (encryptionKey.length !== 32) {
      problems.push('HAITANG_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
    }
  } else if (nodeEnv === 'production') {
    problems.push('HAITANG_ENCRYPTION_KEY is required in production (openssl rand -base64 32)');
  } else if (problems.length === 0) {
    encryptionKey = loadOrCreateDevKey(dataDir, warn);
  }

  const mapTileUrl = env.HAITANG_MAP_TILE_URL?.trim() || null;
  if (mapTileUrl && !/^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(mapTileUrl)) {
    problems.push('HAITANG_MAP_TILE_URL must be an http(s) URL template containing {z}, {x} and {y}');
  }

  const config: Config = {
    env: nodeEnv as Config['env'],
    host: env.HOST ?? '0.0.0.0',
    port,
    dataDir,
    databaseUrl,
    sqliteFile,
    encryptionKey,
    sessionTtlHours: int('HAITANG_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: bool('HAITANG_COOKIE_SECURE', nodeEnv === 'production'),
    loginMaxFailures: int('HAITANG_LOGIN_MAX_FAILURES', 5, 1, 100),
    lockoutMinutes: int('HAITANG_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    loginRateLimitPerMinute: int('HAITANG_LOGIN_RATE_PER_MINUTE', 20, 1, 10000),
    publicReportsPerHour: int('HAITANG_PUBLIC_REPORTS_PER_HOUR', 10, 1, 100000),
    mapTileUrl,
    webDistDir: path.resolve(repoRoot, env.HAITANG_WEB_DIST ?? 'packages/web/dist'),
    maxUploadMb: int('HAITANG_MAX_UPLOAD_MB', 50, 1, 1024),
    notificationPollMs: int('HAITANG_NOTIFICATION_POLL_MS', 1000, 50, 60000),
    webhookPollMs: int('HAITANG_WEBHOOK_POLL_MS', 2000, 50, 600000),
    webhookAllowPrivate: bool('HAITANG_WEBHOOK_ALLOW_PRIVATE', false),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    workers: int('HAITANG_WORKERS', 1, 1, 64),
    trustProxy: parseTrustProxy(env.HAITANG_TRUST_PROXY, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

function loadOrCreateDevKey(dataDir: string, warn: (m: string) => void): Buffer {
  const file = path.join(dataDir, 'dev-encryption.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  warn(
    `WARNING: HAITANG_ENCRYPTION_KEY is not set; generated a development key in ${file}. ` +
      'Set HAITANG_ENCRYPTION_KEY in production and keep it safe: without it the encrypted ID numbers and phones cannot be read.',
  );
  return key;
}

function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^[0-9a-fA-F:.,/\s]+$/.test(v)) return v;
  problems.push('HAITANG_TRUST_PROXY must be false, a hop count, or comma-separated proxy addresses/CIDRs');
  return false;
}
