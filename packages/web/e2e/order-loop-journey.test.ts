// Browser journey (issue 3 point 14): the whole loop by the people who work it. A resident reports
// a broken street light from the phone page; community staff accept it and dispatch it to the
// street's police station; the station returns it once (not theirs as sent), staff dispatch it
// again, the station signs for it and replies; staff verify and close it; the resident rates it
// on the follow page; the indicators of the month move by exactly this order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, type E2eServer, launchBrowser, login, shot, startServer } from './harness.js';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' } as const;

interface Indicators {
  received: number;
  closed: number;
  callbacks: number;
  satisfiedOrBasically: number;
  returned: number;
}

async function signInApi(baseUrl: string, username: string) {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async <T,>(path: string): Promise<T> => {
    const r = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
    assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
    return (await r.json()) as T;
  };
}

/** Picks a node of the handler tree-select by its visible text (retrying while the dropdown animates). */
async function pickHandler(page: Page, search: string, text: string) {
  const select = page.getByTestId('action-handler');
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    await page.keyboard.type(search);
    const node = page.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: text }).first();
    await node.waitFor();
    await page.waitForTimeout(200);
    await node.click();
    await page.waitForTimeout(100);
    if ((await select.innerText()).includes(text)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`could not pick ${text}`);
}

/** Runs one action from the order page's buttons, with a note when given. */
async function act(page: Page, action: string, note?: string) {
  await page.getByTestId(`action-${action}`).click();
  if (note !== undefined) await page.getByTestId('action-note').fill(note);
  await page.getByTestId('action-submit').click();
}

async function stateOf(page: Page): Promise<string | null> {
  return page.getByTestId('order-state').first().getAttribute('data-state');
}

async function waitState(page: Page, state: string) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=order-state]')?.getAttribute('data-state') === s, state, { timeout: 10_000 });
}

describe('journey: one problem through the whole loop (chromium)', () => {
  let server: E2eServer;
  let browser: Browser;
  let residentCtx: BrowserContext;
  let staffCtx: BrowserContext;
  let policeCtx: BrowserContext;
  let resident: Page;
  let staff: Page;
  let police: Page;
  let receipt = { number: '', code: '' };
  let orderPath = '';
  let before0: Indicators;
  let staffApi: Awaited<ReturnType<typeof signInApi>>;
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const pageErrors: string[] = [];

  const indicators = async () => {
    const to = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    return staffApi<Indicators>(`/api/orders/indicators?from=${month}-01&to=${to}`);
  };

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    staffApi = await signInApi(server.baseUrl, 'staff');
    // Where the resident stands: the middle of a micro-grid of 竹辉社区's first grid.
    const { nodes } = await staffApi<{ nodes: { id: number; parentId: number | null; kind: string; name: string; geometry: { coordinates: number[][][] } | null }[] }>('/api/org/tree');
    const grid = nodes.find((n) => n.kind === 'grid' && n.name.includes('第一网格'))!;
    const micro = nodes.find((n) => n.parentId === grid.id && n.kind === 'micro_grid' && n.geometry)!;
    const ring = micro.geometry!.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    const geolocation = { longitude: (Math.min(...xs) + Math.max(...xs)) / 2, latitude: (Math.min(...ys) + Math.max(...ys)) / 2, accuracy: 10 };
    residentCtx = await browser.newContext({ ...PHONE, geolocation, permissions: ['geolocation'] });
    // Staff's browser is eight hours behind UTC: for sixteen hours a day its date is not Beijing's,
    // and the console's "this month" must still be the server's (Beijing) days.
    staffCtx = await browser.newContext({ ...DESK, timezoneId: 'America/Los_Angeles' });
    policeCtx = await browser.newContext(DESK);
    resident = await residentCtx.newPage();
    staff = await staffCtx.newPage();
    police = await policeCtx.newPage();
    for (const p of [resident, staff, police]) p.on('pageerror', (e) => pageErrors.push(e.message));
    before0 = await indicators();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a resident reports a broken street light from the phone page', async () => {
    await resident.goto(`${server.baseUrl}/report`);
    await resident.getByTestId('cat-municipal').click();
    await resident.getByTestId('cat-street_light').click();
    await resident.getByTestId('report-description').fill('竹辉路17幢对面的路灯坏了一个星期,晚上路过很黑,老人不敢出门');
    await resident.getByTestId('location-ok').waitFor();
    await resident.getByTestId('report-name').fill('钱阿姨');
    await resident.getByTestId('report-phone').fill('13951112222');
    await resident.getByTestId('report-submit').click();
    await resident.getByTestId('report-receipt').waitFor();
    receipt = { number: (await resident.getByTestId('receipt-number').innerText()).trim(), code: (await resident.getByTestId('receipt-code').innerText()).trim() };
    assert.match(receipt.number, /^HT\d{14}$/);
    await shot(resident, 'loop-01-receipt');
  });

  it('staff find it, accept it and dispatch it to the street’s police station', async () => {
    await login(staff, server.baseUrl, 'staff');
    await staff.goto(`${server.baseUrl}/orders?q=${receipt.number}`);
    await staff.locator('[data-testid^=order-row-]', { hasText: receipt.number }).click();
    await staff.getByTestId('order-detail').waitFor();
    orderPath = new URL(staff.url()).pathname;
    assert.equal(await stateOf(staff), 'submitted');
    await act(staff, 'accept');
    await waitState(staff, 'accepted');
    await staff.getByTestId('action-dispatch').click();
    // 沧浪派出所 hangs under the street, outside the community's own tree, and is offered all the same.
    await pickHandler(staff, '派出所', '沧浪派出所');
    await staff.getByTestId('action-submit').click();
    await waitState(staff, 'dispatched');
    await shot(staff, 'loop-02-dispatched');
  });

  it('the police station returns it once with a reason; it leaves their list', async () => {
    await login(police, server.baseUrl, 'police');
    await police.goto(`${server.baseUrl}${orderPath}`);
    await police.getByTestId('order-detail').waitFor();
    assert.equal(await stateOf(police), 'dispatched');
    await act(police, 'return', '路灯不属派出所职责,请派城管或街道维修');
    // The order is no longer the station's: the page goes back to the list.
    await police.getByTestId('order-table').waitFor();
    await staff.reload();
    await waitState(staff, 'accepted');
    assert.match(await staff.getByTestId('order-timeline').innerText(), /路灯不属派出所职责/);
  });

  it('staff dispatch it again; the station signs for it and replies', async () => {
    await staff.getByTestId('action-dispatch').click();
    await pickHandler(staff, '派出所', '沧浪派出所');
    await staff.getByTestId('action-submit').click();
    await waitState(staff, 'dispatched');
    await police.goto(`${server.baseUrl}${orderPath}`);
    await waitState(police, 'dispatched');
    await act(police, 'sign');
    await waitState(police, 'in_progress');
    await act(police, 'reply', '已联系路灯所更换灯具,当晚恢复照明;夜间加强巡逻');
    await waitState(police, 'replied');
    await shot(police, 'loop-03-replied');
  });

  it('staff verify and close it from the “to verify” view', async () => {
    await staff.goto(`${server.baseUrl}/orders?view=to_verify`);
    await staff.locator('[data-testid^=order-row-]', { hasText: receipt.number }).click();
    await staff.getByTestId('order-detail').waitFor();
    await waitState(staff, 'replied');
    await act(staff, 'close', '核实路灯已亮');
    await waitState(staff, 'closed');
    const actions = await staff.getByTestId('order-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['submit', 'accept', 'dispatch', 'return', 'sign', 'reply', 'close']) assert.ok(actions.includes(a), `${a} on the timeline`);
    await shot(staff, 'loop-04-closed');
  });

  it('the resident follows it by number and rates it', async () => {
    await resident.goto(`${server.baseUrl}/track?number=${receipt.number}&code=${receipt.code}`);
    await resident.getByTestId('rate-form').waitFor();
    assert.equal(await resident.getByTestId('track-state').innerText(), '已结案');
    await resident.locator('label:has([data-testid=rate-satisfied])').click();
    await resident.getByTestId('rate-submit').click();
    await resident.getByTestId('rate-form').waitFor({ state: 'detached' });
    assert.equal(await resident.getByTestId('track-state').innerText(), '已回访');
    await shot(resident, 'loop-05-rated');
  });

  it('the month’s indicators moved by exactly this order, and the console shows them', async () => {
    const now = await indicators();
    assert.equal(now.received, before0.received + 1);
    assert.equal(now.closed, before0.closed + 1);
    assert.equal(now.callbacks, before0.callbacks + 1);
    assert.equal(now.satisfiedOrBasically, before0.satisfiedOrBasically + 1);
    assert.equal(now.returned, before0.returned + 1);
    await staff.goto(`${server.baseUrl}/orders?view=indicators`);
    await staff.getByTestId('order-indicators').waitFor();
    await staff.waitForFunction((n) => document.querySelector('[data-testid=indicator-received]')?.textContent?.includes(String(n)), now.received);
    await shot(staff, 'loop-06-indicators');
    assert.deepEqual(pageErrors, []);
  });
});
