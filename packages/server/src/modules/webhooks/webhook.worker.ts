import { lookup as dnsLookup } from 'node:dns/promises';
import type { AppContext } from '../../context.js';
import { isPrivateAddress, privateHostReason, signWebhook } from './webhook.service.js';

/** Attempts before a delivery is marked failed (then an admin may retry it by hand). */
export const MAX_ATTEMPTS = 8;
/** How long a claimed delivery is left to its sender before another may take it (a crash). */
export const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
const BATCH = 20;

/** Wait before attempt n+1 after n failed ones: 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** (failedAttempts - 1), 3_600_000);
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface WorkerOptions {
  pollMs: number;
  fetch?: typeof fetch;
  /** The clock (ms since the epoch), read afresh for every claim and every result. Tests inject one. */
  now?: () => number;
  /** Every address of a host name (node:dns lookup by default); tests inject one. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
}

const isoAt = (ms: number) => new Date(ms).toISOString();

/**
 * Sends queued webhook deliveries. Every server instance runs one; a delivery is claimed with a
 * conditional update (status and next_at as read), so two instances never send the same attempt.
 *
 * The claim sets status 'sending' and next_at to the end of the lease; that lease end is the
 * claim's token. Once a lease has run out another instance may re-claim the row, and it can only
 * do so at a time at or after the old lease end, so its own lease end is strictly later: the
 * token of each claim is different. The result of a send is written only while the row still
 * carries this worker's token; otherwise the row belongs to someone else and is left alone.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly lookup: (hostname: string) => Promise<ResolvedAddress[]>;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: WorkerOptions,
  ) {
    this.fetchFn = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.lookup = opts.lookup ?? ((hostname) => dnsLookup(hostname, { all: true, verbatim: true }));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch((err) => console.error(`webhook worker: ${(err as Error).message}`)), this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** Sends what is due now; returns how many attempts were made. */
  runOnce(): Promise<number> {
    this.running ??= this.sendDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sendDue(): Promise<number> {
    const due = await this.ctx.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'org_id', 'payload', 'attempts', 'status', 'next_at'])
      .where('status', 'in', ['pending', 'sending'])
      .where('next_at', '<=', isoAt(this.now()))
      .orderBy('next_at')
      .limit(BATCH)
      .execute();
    let sent = 0;
    for (const d of due) {
      // The clock is read for each claim: the sends before it in this batch may have taken a while,
      // and a lease counted from the start of the batch could already be over.
      const leaseEnd = isoAt(this.now() + LEASE_MS);
      const claimed = await this.ctx.db
        .updateTable('webhook_deliveries')
        .set({ status: 'sending', next_at: leaseEnd })
        .where('id', '=', d.id)
        .where('status', '=', d.status)
        .where('next_at', '=', d.next_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue; // another instance took it
      sent++;
      const error = await this.attempt(d.org_id, d.id, d.payload);
      const attempts = d.attempts + 1;
      const update =
        error === null
          ? { status: 'delivered', attempts, last_error: null }
          : attempts >= MAX_ATTEMPTS
            ? { status: 'failed', attempts, last_error: error }
            : { status: 'pending', attempts, last_error: error, next_at: isoAt(this.now() + backoffMs(attempts)) };
      // Only while our claim still stands: if the lease ran out during the send and another
      // instance re-claimed the row (or an admin removed the webhook), its outcome counts, not ours.
      await this.ctx.db
        .updateTable('webhook_deliveries')
        .set(update)
        .where('id', '=', d.id)
        .where('status', '=', 'sending')
        .where('next_at', '=', leaseEnd)
        .execute();
    }
    return sent;
  }

  /**
   * Why the URL must not be called, or null. Unless HAITANG_WEBHOOK_ALLOW_PRIVATE, the host name
   * is resolved and refused if ANY of its addresses is loopback, private or link-local (a public
   * name may point inside; the URL was checked when saved, but DNS answers change).
   */
  private async refusal(raw: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'refused: not a valid URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return `refused: ${url.protocol} is not http or https`;
    if (this.ctx.config.webhookAllowPrivate) return null;
    const literal = privateHostReason(url);
    if (literal) return `refused: ${literal}`;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: ResolvedAddress[];
    let timer: NodeJS.Timeout | undefined;
    try {
      addresses = await Promise.race([
        this.lookup(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('dns timeout'), { code: 'ETIMEOUT' })), TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      return `dns: ${(err as { code?: string }).code ?? (err as Error).message}`.slice(0, 200);
    } finally {
      clearTimeout(timer);
    }
    if (!addresses.length) return `dns: no address for ${host}`.slice(0, 200);
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) return `refused: ${host} resolves to a loopback, private or link-local address (${inside.address})`.slice(0, 200);
    return null;
  }

  /** One POST; null when the receiver answered 2xx, else what went wrong. */
  private async attempt(orgId: number, deliveryId: number, payload: string): Promise<string | null> {
    const hook = await this.ctx.db.selectFrom('org_webhooks').select(['url', 'secret']).where('org_id', '=', orgId).executeTakeFirst();
    if (!hook) return 'webhook removed';
    const refused = await this.refusal(hook.url);
    if (refused) return refused;
    const timestamp = Math.floor(this.now() / 1000);
    const event = (JSON.parse(payload) as { event: string }).event;
    try {
      const res = await this.fetchFn(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Haitang-Webhook/1',
          'x-haitang-event': event,
          'x-haitang-delivery': String(deliveryId),
          'x-haitang-timestamp': String(timestamp),
          'x-haitang-signature': signWebhook(this.ctx.crypto.decrypt(hook.secret), timestamp, payload),
        },
        body: payload,
        // A redirect is not followed: it could lead to an address the check above would refuse.
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => {});
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return (e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.message)).slice(0, 200);
    }
  }
}
