import { createHmac, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { findOrgUnit } from '../org/org.repository.js';

/**
 * Webhooks (issue 3 point 8): a handler unit (派出所, 物业, 城管…) may name a URL of its own system;
 * the orders that concern it are POSTed there, signed with HMAC-SHA256 under a secret shown once.
 * Deliveries are an outbox: written in the same transaction as the change, sent by a worker
 * (webhook.worker.ts) with retries, so nothing is lost when the outside system is down.
 */

export const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 500 }),
    /** Makes a new secret (the old one stops working at once). A new webhook always gets one. */
    rotateSecret: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WebhookBody = Static<typeof WebhookBody>;

export const WebhookView = Type.Object({
  orgId: Type.Integer(),
  orgName: Type.String(),
  url: Type.String(),
  /** Only in the answer that created or rotated it: keep it, it is not shown again. */
  secret: Type.Optional(Type.String()),
  updatedAt: Type.String(),
  pending: Type.Integer(),
  failed: Type.Integer(),
});
export type WebhookView = Static<typeof WebhookView>;

export const DeliveryView = Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type DeliveryView = Static<typeof DeliveryView>;

/** The order fields an outside system receives: no reporter name, phone or access code. */
export interface WebhookOrder {
  id: number;
  number: string;
  hotlineNumber: string | null;
  status: string;
  categoryId: number;
  urgency: string;
  title: string;
  description: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  handlerOrgId: number | null;
  signDueAt: string | null;
  handleDueAt: string | null;
  supervised: boolean;
}

export interface WebhookPayload {
  event: string;
  occurredAt: string;
  note: string | null;
  order: WebhookOrder;
}

/** Signature over "<unix seconds>.<body>": the receiver recomputes it with its secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Queues a delivery to the unit's webhook, if it has one, in the caller's transaction. */
export async function enqueueWebhook(trx: Transaction<DB> | Kysely<DB>, orgId: number | null, payload: WebhookPayload): Promise<void> {
  if (orgId === null) return;
  const hook = await trx.selectFrom('org_webhooks').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
  if (!hook) return;
  await trx
    .insertInto('webhook_deliveries')
    .values({ org_id: orgId, payload: JSON.stringify(payload), attempts: 0, next_at: payload.occurredAt, status: 'pending', last_error: null, created_at: payload.occurredAt })
    .execute();
}

/**
 * Addresses a webhook must not reach (server-side request forgery: the server would call into its
 * own network on an admin's say-so): "this network" 0/8 (incl. 0.0.0.0), 10/8, shared 100.64/10,
 * loopback 127/8, link-local 169.254/16 (incl. the cloud metadata address 169.254.169.254),
 * 172.16/12, 192.168/16; IPv6 ::, ::1, unique-local fc00::/7 and link-local fe80::/10.
 * IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked against the IPv4 ranges by BlockList.
 */
const PRIVATE_RANGES = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_RANGES.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE_RANGES.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local or unique-local (see PRIVATE_RANGES). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return false;
  return PRIVATE_RANGES.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why the URL's host, as written, is not an acceptable webhook target (English, for the delivery
 * log), or null. Host names other than localhost are judged by their DNS answer at send time.
 * The WHATWG URL parser has already normalised odd IPv4 spellings (2130706433, 0x7f.1 → 127.0.0.1).
 */
export function privateHostReason(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  if (isIP(host) && isPrivateAddress(host)) return `${host} is a loopback, private or link-local address`;
  return null;
}

function checkUrl(raw: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('VALIDATION_FAILED', { detail: '请填写完整的网址,例如 https://example.gov.cn/hook' }, { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('VALIDATION_FAILED', { detail: '只支持 http 或 https 网址' }, { field: 'url' });
  }
  // HAITANG_WEBHOOK_ALLOW_PRIVATE lets an intranet deployment call systems on its own network.
  if (!allowPrivate && privateHostReason(url)) {
    throw new AppError(
      'VALIDATION_FAILED',
      { detail: '网址不能指向本机、内网或链路本地地址(如 localhost、127.0.0.1、10.x、172.16–31.x、192.168.x、169.254.x),请填写对方系统的外部地址' },
      { field: 'url', reason: 'private_target' },
    );
  }
  return url.toString();
}

async function orgInScope(ctx: AppContext, actor: Actor, orgId: number) {
  const org = await findOrgUnit(ctx.db, orgId);
  if (!org || !org.path.startsWith(actor.orgPath)) throw new AppError('NOT_FOUND');
  return org;
}

async function counts(db: Kysely<DB>, orgId: number) {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('status', 'in', ['pending', 'sending', 'failed'])
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: n('pending') + n('sending'), failed: n('failed') };
}

export async function listWebhooks(ctx: AppContext, actor: Actor): Promise<{ items: WebhookView[] }> {
  requirePermission(actor, 'settings.manage');
  const rows = await ctx.db
    .selectFrom('org_webhooks as h')
    .innerJoin('org_units as o', 'o.id', 'h.org_id')
    .select(['h.org_id', 'h.url', 'h.updated_at', 'o.name', 'o.path'])
    .orderBy('h.org_id')
    .execute();
  const items: WebhookView[] = [];
  for (const r of rows) {
    if (!r.path.startsWith(actor.orgPath)) continue;
    items.push({ orgId: r.org_id, orgName: r.name, url: r.url, updatedAt: r.updated_at, ...(await counts(ctx.db, r.org_id)) });
  }
  return { items };
}

export async function getWebhook(ctx: AppContext, actor: Actor, orgId: number): Promise<WebhookView> {
  requirePermission(actor, 'settings.manage');
  const org = await orgInScope(ctx, actor, orgId);
  const hook = await ctx.db.selectFrom('org_webhooks').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!hook) throw new AppError('NOT_FOUND');
  return { orgId, orgName: org.name, url: hook.url, updatedAt: hook.updated_at, ...(await counts(ctx.db, orgId)) };
}

/** Sets a unit's webhook URL; a new webhook, or `rotateSecret`, returns a fresh secret once. */
export async function putWebhook(ctx: AppContext, actor: Actor, orgId: number, body: WebhookBody): Promise<WebhookView> {
  requirePermission(actor, 'settings.manage');
  const org = await orgInScope(ctx, actor, orgId);
  const url = checkUrl(body.url, ctx.config.webhookAllowPrivate);
  const now = new Date().toISOString();
  let secret: string | undefined;
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('org_webhooks').select(['url']).where('org_id', '=', orgId).executeTakeFirst();
    if (!before || body.rotateSecret) secret = randomBytes(24).toString('base64url');
    if (before) {
      await trx
        .updateTable('org_webhooks')
        .set({ url, updated_at: now, ...(secret ? { secret: ctx.crypto.encrypt(secret) } : {}) })
        .where('org_id', '=', orgId)
        .execute();
    } else {
      await trx.insertInto('org_webhooks').values({ org_id: orgId, url, secret: ctx.crypto.encrypt(secret!), updated_at: now }).execute();
    }
    // The secret itself never reaches the audit log.
    await writeAudit(trx, ctx.dialect, actor, {
      action: before ? 'webhook.update' : 'webhook.create',
      entityType: 'org_webhook',
      entityId: orgId,
      before: before ?? null,
      after: { url, secretRotated: !!secret },
    });
  });
  return { orgId, orgName: org.name, url, updatedAt: now, ...(secret ? { secret } : {}), ...(await counts(ctx.db, orgId)) };
}

export async function deleteWebhook(ctx: AppContext, actor: Actor, orgId: number): Promise<void> {
  requirePermission(actor, 'settings.manage');
  await orgInScope(ctx, actor, orgId);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('org_webhooks').select(['url']).where('org_id', '=', orgId).executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND');
    await trx.deleteFrom('org_webhooks').where('org_id', '=', orgId).execute();
    // What was still queued can no longer be sent anywhere.
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: 'webhook removed' })
      .where('org_id', '=', orgId)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
    await writeAudit(trx, ctx.dialect, actor, { action: 'webhook.delete', entityType: 'org_webhook', entityId: orgId, before, after: null });
  });
}

export async function listDeliveries(ctx: AppContext, actor: Actor, orgId: number): Promise<{ items: DeliveryView[] }> {
  requirePermission(actor, 'settings.manage');
  await orgInScope(ctx, actor, orgId);
  const rows = await ctx.db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).orderBy('id', 'desc').limit(100).execute();
  return {
    items: rows.map((r) => {
      const p = JSON.parse(r.payload) as WebhookPayload;
      return { id: r.id, event: p.event, orderNumber: p.order?.number ?? null, status: r.status, attempts: r.attempts, nextAt: r.next_at, lastError: r.last_error, createdAt: r.created_at };
    }),
  };
}

/** Sends a failed delivery again (after the outside system is fixed). */
export async function retryDelivery(ctx: AppContext, actor: Actor, orgId: number, deliveryId: number): Promise<void> {
  requirePermission(actor, 'settings.manage');
  await orgInScope(ctx, actor, orgId);
  const r = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_at: new Date().toISOString(), last_error: null })
    .where('id', '=', deliveryId)
    .where('org_id', '=', orgId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND');
}
