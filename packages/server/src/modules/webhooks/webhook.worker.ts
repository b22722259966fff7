import type { AppContext } from '../../context.js';
import { signWebhook } from './webhook.service.js';

/** Attempts before a delivery is marked failed (then an admin may retry it by hand). */
export const MAX_ATTEMPTS = 8;
/** How long a claimed delivery is left to its sender before another may take it (a crash). */
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
const BATCH = 20;

/** Wait before attempt n+1 after n failed ones: 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** (failedAttempts - 1), 3_600_000);
}

export interface WorkerOptions {
  pollMs: number;
  fetch?: typeof fetch;
}

/**
 * Sends queued webhook deliveries. Every server instance runs one; a delivery is claimed with a
 * conditional update (status and next_at as read), so two instances never send the same attempt.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: WorkerOptions,
  ) {
    this.fetchFn = opts.fetch ?? fetch;
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

  /** Sends what is due at `now`; returns how many attempts were made. */
  runOnce(now = Date.now()): Promise<number> {
    this.running ??= this.sendDue(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sendDue(now: number): Promise<number> {
    const nowIso = new Date(now).toISOString();
    const due = await this.ctx.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'org_id', 'payload', 'attempts', 'status', 'next_at'])
      .where('status', 'in', ['pending', 'sending'])
      .where('next_at', '<=', nowIso)
      .orderBy('next_at')
      .limit(BATCH)
      .execute();
    let sent = 0;
    for (const d of due) {
      const claimed = await this.ctx.db
        .updateTable('webhook_deliveries')
        .set({ status: 'sending', next_at: new Date(now + LEASE_MS).toISOString() })
        .where('id', '=', d.id)
        .where('status', '=', d.status)
        .where('next_at', '=', d.next_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue; // another instance took it
      sent++;
      const error = await this.attempt(d.org_id, d.id, d.payload, now);
      const attempts = d.attempts + 1;
      const update =
        error === null
          ? { status: 'delivered', attempts, last_error: null }
          : attempts >= MAX_ATTEMPTS
            ? { status: 'failed', attempts, last_error: error }
            : { status: 'pending', attempts, last_error: error, next_at: new Date(now + backoffMs(attempts)).toISOString() };
      await this.ctx.db.updateTable('webhook_deliveries').set(update).where('id', '=', d.id).execute();
    }
    return sent;
  }

  /** One POST; null when the receiver answered 2xx, else what went wrong. */
  private async attempt(orgId: number, deliveryId: number, payload: string, now: number): Promise<string | null> {
    const hook = await this.ctx.db.selectFrom('org_webhooks').select(['url', 'secret']).where('org_id', '=', orgId).executeTakeFirst();
    if (!hook) return 'webhook removed';
    const timestamp = Math.floor(now / 1000);
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
