// Browser journey (issue 2 point 14): community staff log in, open the tree and map, add a
// resident, import a spreadsheet with one bad row and read the report, see a masked ID, reveal
// it, and find the reveal in the audit log.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, shot, startServer, type E2eServer, pickTreeNode } from './harness.js';

/** A valid ID number that the demo data does not use (check digit computed by hand: X). */
const NEW_ID = '11010519491231002X';

describe('journey: community staff (chromium)', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in as community staff', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-username').fill('staff');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-welcome').waitFor();
    assert.match(await page.getByTestId('user-role').innerText(), /社区工作者/);
    await shot(page, 'journey-01-home');
  });

  it('opens the org tree beside the map with the grid polygons drawn', async () => {
    await page.getByTestId('nav-org').click();
    await page.getByTestId('org-tree').waitFor();
    await page.locator('[data-testid^=org-node-]', { hasText: '竹辉第一网格' }).first().click();
    await page.getByTestId('org-detail').waitFor();
    assert.match(await page.getByTestId('org-detail').innerText(), /竹辉第一网格/);
    // Leaflet draws each polygon as an SVG path: the community's 4 grids and 16 micro-grids at least.
    const polygons = await page.locator('[data-testid=org-map] path.leaflet-interactive').count();
    assert.ok(polygons >= 20, `expected the grid polygons on the map, found ${polygons}`);
    await page.waitForTimeout(800); // let Leaflet's zoom animation finish before the picture
    await shot(page, 'journey-02-org-map');
  });

  it('adds a resident and sees the ID number masked in the list', async () => {
    await page.getByTestId('nav-residents').click();
    await page.getByTestId('resident-add').click();
    await page.getByTestId('resident-name').fill('海棠测试');
    await pickTreeNode(page, 'resident-org', '第2微网格', '第一网格第2微网格');
    await page.getByTestId('resident-id-number-input').fill(NEW_ID);
    await page.getByTestId('resident-id-number-input').blur();
    await page.getByTestId('resident-phone-input').fill('13912345678');
    await page.getByTestId('resident-save').click();
    await page.locator('.ant-message-notice').first().waitFor();
    // The form closes on success; wait until its mask has gone so the next clicks reach the page.
    await page.getByTestId('resident-save').waitFor({ state: 'hidden' });
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    await page.getByTestId('resident-search').locator('input').fill('海棠测试');
    await page.getByTestId('resident-search').locator('input').press('Enter');
    const row = page.locator('[data-testid=resident-table] tr.ant-table-row', { hasText: '海棠测试' });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /1101\*{10}002X/);
    assert.match(text, /139\*{4}5678/);
    assert.ok(!text.includes(NEW_ID), 'the full ID number must not be in the list');
    await shot(page, 'journey-03-resident-added');
  });

  it('imports a spreadsheet with one bad row: the report names it, then the valid rows import', async () => {
    await page.getByTestId('resident-import').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    const dir = mkdtempSync(path.join(tmpdir(), 'ht-e2e-xlsx-'));
    const templatePath = path.join(dir, 'template.xlsx');
    await (await download).saveAs(templatePath);
    // Fill the downloaded template the way a user would: keep its header row, replace the example.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(templatePath);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map((h) => String(h ?? '').replace('*', '').trim());
    for (let r = ws.rowCount; r > 1; r--) ws.spliceRows(r, 1);
    const rows = [
      { 姓名: '导入甲', 身份证号: '320508198001010011', 手机号: '13800001111', 微网格: '第一网格第1微网格', 标签: '志愿者' },
      { 姓名: '导入乙', 身份证号: '320508198001010012', 手机号: '13800002222', 微网格: '第一网格第1微网格' },
      { 姓名: '导入丙', 身份证号: '320508199002020023', 手机号: '13800003333', 微网格: '第一网格第2微网格' },
    ];
    // Make rows 1 and 3 valid by computing their check digits; row 2 keeps a wrong one.
    const { idNumberCheckDigit } = await import('@haitang/contracts');
    rows[0]!.身份证号 = rows[0]!.身份证号.slice(0, 17) + idNumberCheckDigit(rows[0]!.身份证号.slice(0, 17));
    rows[2]!.身份证号 = rows[2]!.身份证号.slice(0, 17) + idNumberCheckDigit(rows[2]!.身份证号.slice(0, 17));
    const good = idNumberCheckDigit(rows[1]!.身份证号.slice(0, 17));
    rows[1]!.身份证号 = rows[1]!.身份证号.slice(0, 17) + (good === '1' ? '2' : '1');
    for (const r of rows) ws.addRow(headers.map((h) => (r as Record<string, string>)[h] ?? null));
    const filePath = path.join(dir, 'residents.xlsx');
    await wb.xlsx.writeFile(filePath);

    await page.getByTestId('import-file-input').setInputFiles(filePath);
    await page.getByTestId('import-only-valid').waitFor({ timeout: 30_000 });
    const report = await page.getByTestId('import-errors').innerText();
    assert.match(report, /3/, 'the bad row is the spreadsheet row 3');
    assert.match(report, /身份证号/);
    assert.match(report, /校验位/);
    await shot(page, 'journey-04-import-report');
    await page.getByTestId('import-only-valid').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('import-done').innerText(), /2/);
    await shot(page, 'journey-05-import-done');
  });

  it('reveals the full ID number, and the reveal is in the audit log', async () => {
    await page.goto(`${server.baseUrl}/residents`);
    await page.getByTestId('resident-search').locator('input').fill('海棠测试');
    await page.getByTestId('resident-search').locator('input').press('Enter');
    const row = page.locator('[data-testid=resident-table] tr.ant-table-row', { hasText: '海棠测试' });
    await row.locator('[data-testid^=resident-row-]').first().click();
    await page.getByTestId('resident-detail').waitFor();
    assert.match(await page.getByTestId('resident-id-number').innerText(), /1101\*{10}002X/);
    await page.getByTestId('resident-reveal').click();
    await page.getByTestId('resident-reveal-note').waitFor();
    assert.match(await page.getByTestId('resident-id-number').innerText(), new RegExp(NEW_ID));
    assert.match(await page.getByTestId('resident-phone').innerText(), /13912345678/);
    await shot(page, 'journey-06-revealed');

    await page.keyboard.press('Escape');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-filter-action').fill('resident.reveal');
    await page.getByTestId('audit-search').click();
    const entry = page.locator('[data-testid=audit-table] tr.ant-table-row', { hasText: 'resident.reveal' }).first();
    await entry.waitFor();
    assert.match(await entry.innerText(), /staff|社区/);
    await shot(page, 'journey-07-audit');
    assert.deepEqual(pageErrors, []);
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(`${server.baseUrl}/login`);
    await p.getByTestId('login-username').fill('grid1');
    await p.getByTestId('login-password').fill(DEMO_PASSWORD);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('home-welcome').waitFor();
    await p.getByTestId('nav-toggle').click();
    await p.getByTestId('nav-residents').click();
    await p.locator('[data-testid=resident-table] tr.ant-table-row').first().waitFor();
    await p.waitForTimeout(500); // the drawer's closing animation
    await shot(p, 'journey-08-phone');
    // a grid worker may not see the audit log: the menu does not offer it
    await p.getByTestId('nav-toggle').click();
    assert.equal(await p.getByTestId('nav-audit').count(), 0);
    assert.equal(await p.getByTestId('nav-residents').count(), 1);
    await phone.close();
  });
});
