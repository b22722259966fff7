import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../server/test/free-port.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const screenshotDir = path.join(repoRoot, 'test-results');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';


function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}

export interface E2eServer {
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A real server with demo data on a scratch SQLite database (the packaged console must be built:
 * `npm run build`).
 */
export async function startServer(): Promise<E2eServer> {
  if (!existsSync(path.join(repoRoot, 'packages/web/dist/index.html'))) {
    throw new Error('packages/web/dist is missing: run `npm run build` before the browser journeys');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ht-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HAITANG_DATA_DIR: dataDir,
    HAITANG_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATABASE_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  await runNode(['packages/server/src/cli/seed.ts'], env);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 150 || child.exitCode !== null) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export const DEMO_PASSWORD = 'Haitang@2026';

/** Signs a demo account in through the login page and waits for the home page. */
export async function login(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-welcome').waitFor();
}

/**
 * Picks a node of a searchable tree-select by its visible text: types the search, waits out the
 * dropdown's animation, clicks, and checks that the value shows it (retrying up to three times:
 * on a loaded machine a click during the animation can miss).
 */
export async function pickTreeNode(page: Page, testId: string, search: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    await page.keyboard.type(search);
    const node = page.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: text }).first();
    await node.waitFor();
    await page.waitForTimeout(200); // the dropdown's opening animation moves the nodes
    await node.click();
    await page.waitForTimeout(300);
    // A pick closes the dropdown and shows the node as the value.
    const closed = (await page.locator('.ant-select-dropdown:visible').count()) === 0;
    if (closed && (await select.innerText()).includes(text)) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
  throw new Error(`could not pick ${text} in ${testId}`);
}
