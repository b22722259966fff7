// Browser journey (issue 3 point 10, the phone parts): on a 375×812 phone a resident reports a
// problem with a photo from where they stand, keeps the receipt and follows it; a grid worker
// logs a simple problem and resolves it on the spot, then resolves the resident's order from the
// field view; the resident rates the result. Finally the rate limit of public reports shows a
// clear message and the form keeps what was typed.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, shot, startServer, type E2eServer } from './harness.js';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;

/** A small real PNG (a colour gradient), as a phone camera would hand a file to the page. */
function pngBuffer(width = 64, height = 48): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((x / width) * 255);
      row[2 + x * 3] = Math.round((y / height) * 255);
      row[3 + x * 3] = 160;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<{ status: number; json: T }>;
}

/** A signed-in API client for setting up what the journey does not click through. */
async function signIn(baseUrl: string, username: string): Promise<Api> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    get: async (path) => {
      const r = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
      return r.json();
    },
    post: async (path, body) => {
      const r = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, json: r.status === 204 ? (null as never) : await r.json() };
    },
  };
}

interface Unit {
  id: number;
  parentId: number | null;
  kind: string;
  name: string;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | null;
}

/** The middle of a micro-grid of the grid worker's grid (demo polygons are rectangles). */
async function pointInMyGrid(grid: Api, gridOrgId: number): Promise<{ latitude: number; longitude: number; name: string }> {
  const { nodes } = await grid.get<{ nodes: Unit[] }>('/api/org/tree');
  const unit = nodes.find((n) => n.parentId === gridOrgId && n.kind === 'micro_grid' && n.geometry) ?? nodes.find((n) => n.id === gridOrgId && n.geometry);
  assert.ok(unit?.geometry, 'a demo micro-grid of the grid worker with a polygon');
  const ring = unit.geometry.coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return {
    longitude: (Math.min(...xs) + Math.max(...xs)) / 2,
    latitude: (Math.min(...ys) + Math.max(...ys)) / 2,
    name: unit.name,
  };
}

describe('journey: resident and grid worker on a phone (chromium)', () => {
  let server: E2eServer;
  let browser: Browser;
  let resident: BrowserContext;
  let worker: BrowserContext;
  let rp: Page;
  let wp: Page;
  let staff: Api;
  let here: { latitude: number; longitude: number; name: string };
  let receipt: { number: string; code: string };
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const grid = await signIn(server.baseUrl, 'grid1');
    const me = await grid.get<{ account: { orgId: number } }>('/api/auth/me');
    here = await pointInMyGrid(grid, me.account.orgId);
    staff = await signIn(server.baseUrl, 'staff');
    const geo = { geolocation: { latitude: here.latitude, longitude: here.longitude, accuracy: 12 }, permissions: ['geolocation'] };
    resident = await browser.newContext({ ...PHONE, ...geo });
    worker = await browser.newContext({ ...PHONE, ...geo });
    rp = await resident.newPage();
    wp = await worker.newPage();
    for (const p of [rp, wp]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a resident reports a problem with a photo from where they stand and gets a receipt', async () => {
    await rp.goto(`${server.baseUrl}/report`);
    await rp.getByTestId('cat-municipal').click();
    await rp.getByTestId('cat-street_light').click();
    await rp.getByTestId('report-description').fill('竹辉新村17幢门口的路灯坏了三天,晚上很黑');
    await rp.getByTestId('report-photos-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: pngBuffer() });
    await rp.getByTestId('report-photos-thumb').waitFor();
    // The photo was resized on the phone into a JPEG.
    assert.match((await rp.getByTestId('report-photos-thumb').locator('img').getAttribute('src')) ?? '', /^data:image\/jpeg;base64,/);
    await rp.getByTestId('location-ok').waitFor();
    await rp.getByTestId('report-name').fill('王阿姨');
    await rp.getByTestId('report-phone').fill('13912345678');
    await shot(rp, 'phone-01-report-form');
    await rp.getByTestId('report-submit').click();
    await rp.getByTestId('report-receipt').waitFor();
    receipt = { number: (await rp.getByTestId('receipt-number').innerText()).trim(), code: (await rp.getByTestId('receipt-code').innerText()).trim() };
    assert.match(receipt.number, /^HT/);
    assert.match(receipt.code, /^[A-Z0-9]{8}$/);
    await shot(rp, 'phone-02-receipt');
  });

  it('follows the report from the receipt link', async () => {
    await rp.getByTestId('receipt-track').click();
    await rp.getByTestId('track-result').waitFor();
    assert.equal(await rp.getByTestId('track-state').innerText(), '待受理');
    assert.equal(await rp.getByTestId('track-number').inputValue(), receipt.number);
    assert.match(await rp.getByTestId('track-timeline').innerText(), /提交/);
    await shot(rp, 'phone-03-track');
    // A wrong code reads as "not found" (no hint that the number exists).
    await rp.goto(`${server.baseUrl}/track?number=${receipt.number}&code=WRONG234`);
    assert.match(await rp.getByTestId('track-error').innerText(), /没有找到该工单/);
  });

  it('a grid worker opens the field view from the console menu and sees the accepted report', async () => {
    // Community staff accept the report (the dispatcher's desk is not part of this journey).
    const found = await staff.get<{ items: { id: number; number: string; version: number }[] }>(`/api/orders?q=${receipt.number}`);
    const order = found.items.find((o) => o.number === receipt.number);
    assert.ok(order, 'staff find the resident report');
    const accepted = await staff.post(`/api/orders/${order.id}/actions/accept`, { version: order.version });
    assert.equal(accepted.status, 200);

    await wp.goto(`${server.baseUrl}/login`);
    await wp.getByTestId('login-username').fill('grid1');
    await wp.getByTestId('login-password').fill(DEMO_PASSWORD);
    await wp.getByTestId('login-submit').click();
    await wp.getByTestId('home-welcome').waitFor();
    await wp.getByTestId('nav-toggle').click();
    await wp.getByTestId('nav-field').click();
    await wp.getByTestId('field-page').waitFor();
    await wp.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    const card = wp.locator(`[data-testid=field-order][data-number="${receipt.number}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /已受理/);
    await shot(wp, 'phone-04-field-list');
  });

  it('logs a simple problem and resolves it on the spot in one step', async () => {
    await wp.getByTestId('field-new').click();
    await wp.getByTestId('field-new-page').waitFor();
    await wp.getByTestId('cat-sanitation').click();
    await wp.getByTestId('cat-corridor_clutter').click();
    await wp.getByTestId('field-description').fill('3幢2单元楼道堆放纸箱,堵住通道');
    await wp.getByTestId('field-photos-input').setInputFiles({ name: 'corridor.png', mimeType: 'image/png', buffer: pngBuffer(80, 60) });
    await wp.getByTestId('field-photos-thumb').waitFor();
    await wp.getByTestId('location-ok').waitFor();
    await wp.getByTestId('field-onspot').click();
    await wp.getByTestId('field-onspot-note').fill('已联系住户当场清理完毕');
    await shot(wp, 'phone-05-field-new');
    await wp.getByTestId('field-submit').click();
    await wp.getByTestId('field-order-page').waitFor();
    await wp.getByTestId('field-order-state').waitFor();
    assert.equal(await wp.getByTestId('field-order-state').innerText(), '已结案');
    assert.match(await wp.getByTestId('field-order-title').innerText(), /楼道堆放纸箱/);
    assert.match(await wp.getByTestId('order-timeline').innerText(), /现场处置/);
    assert.equal(await wp.getByTestId('field-no-actions').count(), 1);
    // The order was routed by the phone's position to the micro-grid under the worker's grid.
    assert.match(await wp.locator('.ht-order-facts').innerText(), new RegExp(here.name));
    await shot(wp, 'phone-06-field-resolved');
  });

  it("resolves the resident's order on the spot from the field view", async () => {
    await wp.getByTestId('field-back').click();
    await wp.locator(`[data-testid=field-order][data-number="${receipt.number}"]`).click();
    await wp.getByTestId('action-resolve_on_spot').click();
    await wp.getByTestId('action-form-resolve_on_spot').waitFor();
    await wp.getByTestId('action-note').fill('已更换灯泡,路灯恢复照明');
    await wp.getByTestId('action-photos-input').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: pngBuffer(40, 40) });
    await wp.getByTestId('action-photos-thumb').waitFor();
    await shot(wp, 'phone-07-action-sheet');
    await wp.getByTestId('action-submit').click();
    await wp.getByTestId('field-no-actions').waitFor();
    assert.equal(await wp.getByTestId('field-order-state').innerText(), '已结案');
    await wp.getByTestId('action-form-resolve_on_spot').waitFor({ state: 'hidden' });
    await wp.locator('.ant-message-notice').last().waitFor({ state: 'detached' });
    await shot(wp, 'phone-08-resident-order-closed');
    // It has left the open list.
    await wp.getByTestId('field-back').click();
    await wp.getByTestId('field-page').waitFor();
    await wp.getByTestId('field-reload').click();
    await wp.waitForLoadState('networkidle');
    assert.equal(await wp.locator(`[data-testid=field-order][data-number="${receipt.number}"]`).count(), 0);
  });

  it('a change made meanwhile by someone else answers 409: the message shows, the order reloads, the note stays', async () => {
    const me = await staff.get<{ account: { orgId: number } }>('/api/auth/me');
    const { nodes } = await staff.get<{ nodes: Unit[] }>('/api/org/tree');
    const grid = nodes.find((n) => n.kind === 'grid' && n.parentId === me.account.orgId && n.name.includes('第一网格'))!;
    const categories = await staff.get<{ items: { id: number; code: string }[] }>('/api/order-categories');
    const created = await staff.post<{ id: number; version: number }>('/api/orders', {
      channel: 'visit',
      categoryId: categories.items.find((c) => c.code === 'garbage')!.id,
      title: '垃圾桶满溢',
      description: '小区东门垃圾桶满溢,无人清运',
      orgId: grid.id,
    });
    assert.equal(created.status, 201);
    await wp.goto(`${server.baseUrl}/field/orders/${created.json.id}`);
    await wp.getByTestId('action-resolve_on_spot').click();
    await wp.getByTestId('action-note').fill('已通知保洁清运');
    // Meanwhile the community dispatches the order to the grid.
    const dispatched = await staff.post(`/api/orders/${created.json.id}/actions/dispatch`, { version: created.json.version, handlerOrgId: grid.id });
    assert.equal(dispatched.status, 200);
    await wp.getByTestId('action-submit').click();
    await wp.getByTestId('action-error').waitFor();
    assert.match(await wp.getByTestId('action-error').innerText(), /已被他人修改|不能/);
    assert.equal(await wp.getByTestId('action-note').inputValue(), '已通知保洁清运');
    await wp.getByTestId('action-form-resolve_on_spot').getByText('该操作当前已不可用').waitFor();
    assert.equal(await wp.getByTestId('action-submit').isDisabled(), true);
    await shot(wp, 'phone-09a-conflict');
    await wp.locator('.ht-sheet .ant-drawer-close').click();
    // The reloaded order is now the grid's to sign for.
    assert.equal(await wp.getByTestId('field-order-state').innerText(), '已派遣');
    await wp.getByTestId('action-sign').waitFor();
  });

  it('the resident sees the result and rates it', async () => {
    await rp.goto(`${server.baseUrl}/track?number=${receipt.number}&code=${receipt.code}`);
    await rp.getByTestId('rate-form').waitFor();
    assert.equal(await rp.getByTestId('track-state').innerText(), '已结案');
    await rp.locator('label:has([data-testid=rate-satisfied])').click();
    await rp.getByTestId('rate-note').fill('修得很快,谢谢');
    await shot(rp, 'phone-09-rate');
    await rp.getByTestId('rate-submit').click();
    await rp.getByTestId('rate-form').waitFor({ state: 'detached' });
    assert.equal(await rp.getByTestId('track-state').innerText(), '已回访');
    assert.match(await rp.getByTestId('track-result').innerText(), /满意/);
    await shot(rp, 'phone-10-rated');
  });

  it('without location access a resident types the address; the community comes from the poster QR code', async () => {
    const { id: gridOrgId } = (await staff.get<{ items: { orgId: number; number: string }[] }>(`/api/orders?q=${receipt.number}`)).items.map((o) => ({ id: o.orgId }))[0]!;
    // No geolocation permission: the phone refuses the position.
    const denied = await browser.newContext({ ...PHONE });
    const page = await denied.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${server.baseUrl}/report`);
      await page.getByTestId('location-failed').waitFor();
      assert.match(await page.getByTestId('location-failed').innerText(), /未获得定位权限/);
      await page.getByTestId('cat-property').click();
      await page.getByTestId('cat-elevator').click();
      await page.getByTestId('report-description').fill('5幢电梯停在三楼不动了');
      await page.getByTestId('location-address').fill('竹辉新村5幢');
      await page.getByTestId('report-name').fill('赵');
      await page.getByTestId('report-phone').fill('13600000002');
      await page.getByTestId('report-submit').click();
      // Without a point or a community the report cannot be placed: said before sending, input kept.
      await page.getByTestId('report-error').waitFor();
      assert.match(await page.getByTestId('report-error').innerText(), /无法确定问题所在的社区/);
      await shot(page, 'phone-12-no-location');
      // Opened from the community's QR code: the typed address is enough. The draft survives the reload.
      await page.goto(`${server.baseUrl}/report?org=${gridOrgId}`);
      assert.equal(await page.getByTestId('report-description').inputValue(), '5幢电梯停在三楼不动了');
      assert.equal(await page.getByTestId('location-address').inputValue(), '竹辉新村5幢');
      await page.getByTestId('cat-property').click();
      await page.getByTestId('cat-elevator').click();
      await page.getByTestId('report-submit').click();
      await page.getByTestId('report-receipt').waitFor();
      assert.match(await page.getByTestId('receipt-number').innerText(), /^HT/);
    } finally {
      await denied.close();
    }
  });

  it('shows the rate limit clearly and keeps the form filled', async () => {
    const categories = await staff.get<{ items: { id: number; code: string }[] }>('/api/order-categories');
    const noise = categories.items.find((c) => c.code === 'noise')!;
    // The default limit is 10 reports per phone number an hour: use them up.
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${server.baseUrl}/api/public/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ categoryId: noise.id, description: `楼上夜里噪音第${i + 1}次`, contactName: '李', contactPhone: '13700000001', lng: here.longitude, lat: here.latitude }),
      });
      assert.equal(r.status, 201);
    }
    await rp.goto(`${server.baseUrl}/report`);
    await rp.getByTestId('cat-neighbour_dispute').click();
    await rp.getByTestId('cat-noise').click();
    await rp.getByTestId('report-description').fill('楼上夜里又在装修,吵得睡不着');
    await rp.getByTestId('location-ok').waitFor();
    await rp.getByTestId('report-name').fill('李先生');
    await rp.getByTestId('report-phone').fill('13700000001');
    await rp.getByTestId('report-submit').click();
    await rp.getByTestId('report-error').waitFor();
    assert.match(await rp.getByTestId('report-error').innerText(), /提交太频繁/);
    assert.equal(await rp.getByTestId('report-description').inputValue(), '楼上夜里又在装修,吵得睡不着');
    assert.equal(await rp.getByTestId('report-phone').inputValue(), '13700000001');
    await shot(rp, 'phone-11-rate-limited');
    assert.deepEqual(pageErrors, []);
  });
});
