// Browser journey (issue 4 point 11, as far as it is built): community staff create and publish a
// class in the console; a resident signs up on the phone page; she checks in by opening the QR code
// of the organiser's screen; the organiser records the attendance and certifies the minutes; the
// hours and points appear on her phone page; staff issue her certificate and the PDF renders.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type E2eServer, launchBrowser, login, pickTreeNode, shot, startServer } from './harness.js';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;
const MIN = 60_000;

/** "2026-11-27 14:05" in Beijing time (what the pickers show and accept). */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Types both ends of the range picker of the open dialog (start, Enter, end, Enter). */
async function typeRange(page: Page, start: string, end: string) {
  const inputs = page.locator('.ant-modal-wrap:visible .ant-picker-range input');
  await inputs.nth(0).click();
  await inputs.nth(0).fill(start);
  await page.keyboard.press('Enter');
  await inputs.nth(1).fill(end);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  assert.equal(await inputs.nth(0).inputValue(), start);
  assert.equal(await inputs.nth(1).inputValue(), end);
}

describe('journey: a class from publishing to certified minutes (chromium)', () => {
  let server: E2eServer;
  let browser: Browser;
  let staffCtx: BrowserContext;
  let residentCtx: BrowserContext;
  let staff: Page;
  let resident: Page;
  let activityId = 0;
  let pointsBefore = 0;
  const title = `垃圾分类微课堂 ${Date.now() % 100000}`;
  // Began 100 minutes ago and ends in 20: the class is under way when she checks in.
  const startsAt = Math.floor((Date.now() - 100 * MIN) / MIN) * MIN;
  const endsAt = startsAt + 120 * MIN;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    staffCtx = await browser.newContext(DESK);
    residentCtx = await browser.newContext(PHONE);
    staff = await staffCtx.newPage();
    resident = await residentCtx.newPage();
    for (const p of [staff, resident]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('staff create a class in the console and publish it', async () => {
    await login(staff, server.baseUrl, 'staff');
    await staff.getByTestId('nav-activities').click();
    await staff.getByTestId('activity-table').waitFor();
    await staff.getByTestId('activity-create').click();
    await staff.getByTestId('activity-title').fill(title);
    await staff.getByTestId('activity-kind').click();
    await staff.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '微课堂' }).click();
    await pickTreeNode(staff, 'activity-org', '竹辉社区', '竹辉社区');
    await typeRange(staff, beijing(startsAt), beijing(endsAt));
    await staff.getByTestId('activity-place').fill('竹辉社区党群服务中心');
    await staff.locator('input[data-testid=activity-capacity], [data-testid=activity-capacity] input').fill('20');
    await staff.getByTestId('activity-save').click();
    const drawer = staff.getByTestId('activity-drawer');
    await drawer.getByTestId('activity-publish').click();
    await staff.waitForFunction(() => document.querySelector('[data-testid=activity-status]')?.textContent === '报名中');
    await shot(staff, 'activity-01-published');
  });

  it('a resident finds it on her phone and signs up', async () => {
    await login(resident, server.baseUrl, 'resident');
    pointsBefore = (await (await resident.request.get(`${server.baseUrl}/api/points/me`)).json()).balance;
    await resident.getByTestId('home-activities').click();
    const card = resident.locator('[data-testid^=m-activity-]', { hasText: title });
    await card.click();
    activityId = Number(new URL(resident.url()).pathname.split('/').pop());
    assert.ok(activityId > 0);
    await resident.getByTestId('m-signup').click();
    await resident.getByTestId('m-my-signup').getByText('您已报名').waitFor();
    await shot(resident, 'activity-02-signed-up');
  });

  it('she checks in by the QR code on the organiser’s screen, once', async () => {
    const screen = await staffCtx.newPage();
    await screen.goto(`${server.baseUrl}/activities/${activityId}/qr`);
    const qr = screen.getByTestId('qr-code');
    await qr.waitFor();
    const url = await qr.getAttribute('data-url');
    assert.match(url ?? '', new RegExp(`^/m/activities/${activityId}/scan\\?d=in&t=`));
    await shot(screen, 'activity-03-qr');
    await resident.goto(`${server.baseUrl}${url}`);
    await resident.getByTestId('m-scan-result').getByText('签到成功').waitFor();
    // Scanning the same code again does not count twice.
    await resident.goto(`${server.baseUrl}${url}`);
    await resident.getByTestId('m-scan-result').getByText('签到成功').waitFor();
    await resident.getByRole('button', { name: '查看活动' }).click();
    await resident.getByTestId('m-my-signup').getByText(/已签到/).waitFor();
    await screen.close();
  });

  it('the organiser records when she came and left, and certifies the minutes', async () => {
    await staff.reload();
    await staff.locator('[data-testid^=activity-row-]', { hasText: title }).click();
    const drawer = staff.getByTestId('activity-drawer');
    const row = drawer.locator('.ant-table-row', { hasText: '刘香梅' });
    await row.locator('[data-testid^=signup-mark-]').click();
    // She came on time (the scan was late) and left 5 minutes ago: 95 minutes of the 120.
    await typeRange(staff, beijing(startsAt), beijing(startsAt + 95 * MIN));
    await staff.getByTestId('attendance-save').click();
    await row.getByText('95 分钟').waitFor();
    await row.locator('[data-testid^=signup-confirm-]').click();
    const minutes = staff.locator('input[data-testid=confirm-minutes], [data-testid=confirm-minutes] input');
    await staff.waitForFunction((el) => (el as HTMLInputElement).value === '95', await minutes.elementHandle());
    await staff.getByTestId('confirm-save').click();
    await row.locator('[data-testid^=signup-confirmed-]').getByText('95 分钟').waitFor();
    await shot(staff, 'activity-04-certified');
  });

  it('she sees the certified minutes, her hours and her points on her page', async () => {
    await resident.reload();
    await resident.getByTestId('m-confirmed-minutes').getByText('已确认服务时长 95 分钟').waitFor();
    await shot(resident, 'activity-05-minutes');
    await resident.getByTestId('public-nav-me').click();
    const profile = resident.getByTestId('volunteer-profile');
    await profile.getByText(title).waitFor();
    // 95 minutes of a class: 95/60 h × 10 points × 0.5 = 7 points more than before.
    const points = Number((await profile.getByTestId('vol-points').locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
    assert.equal(points, pointsBefore + 7);
    await shot(resident, 'activity-06-my-record');
  });

  it('staff issue her certificate and the PDF renders', async () => {
    await staff.goto(`${server.baseUrl}/volunteers`);
    await staff.getByTestId('vol-resident').click();
    await staff.keyboard.type('刘香梅');
    await staff.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '刘香梅' }).first().click();
    await staff.getByTestId('volunteer-profile').waitFor();
    await staff.getByTestId('vol-issue').click();
    const link = staff.locator('[data-testid^=vol-cert-]').first();
    await link.waitFor();
    const pdf = await staff.request.get(`${server.baseUrl}${await link.getAttribute('href')}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const body = await pdf.body();
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    assert.ok(body.length > 10_000, 'the Chinese font is embedded');
    await shot(staff, 'activity-07-certificate');
    assert.deepEqual(pageErrors, []);
  });
});
