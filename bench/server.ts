import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../packages/server/test/free-port.js';

const repoRoot = path.resolve(import.meta.dirname, '..');


/** Starts the real server (packages/server/src/main.ts) in its own process on a bench database. */
export async function startBenchServer(o: {
  databaseUrl: string | null;
  sqliteFile: string;
  encryptionKey: Buffer;
  workers?: number;
}): Promise<{ base: string; stop(): Promise<void> }> {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    NODE_ENV: 'production',
    HAITANG_COOKIE_SECURE: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: o.databaseUrl ?? '',
    HAITANG_DATA_DIR: o.sqliteFile ? path.dirname(o.sqliteFile) : '/tmp',
    HAITANG_SQLITE_FILE: o.sqliteFile ? path.basename(o.sqliteFile) : 'unused.db',
    HAITANG_ENCRYPTION_KEY: o.encryptionKey.toString('base64'),
    HAITANG_WORKERS: String(o.workers ?? 1),
    HAITANG_WEB_DIST: '/nonexistent',
    HAITANG_LOGIN_RATE_PER_MINUTE: '10000',
  };
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), '--import', 'tsx', 'packages/server/src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 200 || child.exitCode !== null) throw new Error(`bench server did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // with several workers, give every worker time to listen
  if ((o.workers ?? 1) > 1) await new Promise((r) => setTimeout(r, 1500));
  return {
    base,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function loginCookie(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A session cookie and its CSRF token, for benchmarks that write. */
export async function loginSession(base: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf };
}
