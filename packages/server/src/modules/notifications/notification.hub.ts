import type { NotificationView } from '@haitang/contracts';
import type { AppContext } from '../../context.js';
import { toView, unreadCount } from './notification.service.js';

/**
 * How far behind the newest id a late-committing PostgreSQL transaction may land: a group of new
 * orders holds up to 200 reports' notifications (a few each) until it commits.
 */
const LOOK_BACK_IDS = 2_000;
/** Rows read per tick: more than the look-back window, so that new rows always fit after it. */
const READ_LIMIT = 5_000;

export interface StreamListener {
  accountId: number;
  /** Receives the account's new notifications (oldest first) and its unread count after them. */
  deliver(items: NotificationView[], unread: number): void;
  /** Ends the stream's response (the hub is closing: the server is shutting down). */
  end?(): void;
}

export interface HubOptions {
  /** How often the shared poller looks for new rows while somebody listens. */
  pollMs?: number;
}

/**
 * Live delivery of in-app notifications to server-sent-event streams.
 *
 * Notifications are rows written in the same transaction as the change that caused them, by
 * whichever server instance handled it. Each process runs ONE poller (not one per stream) that
 * reads rows past the highest id it has seen and hands them to the listening accounts, so every
 * instance delivers every notification without sharing memory, on SQLite and PostgreSQL alike.
 * The poller runs only while at least one stream is open.
 */
export class NotificationHub {
  private readonly listeners = new Map<number, Set<StreamListener>>();
  private readonly pollMs: number;
  private lastId: number | null = null;
  /** The newest id when the first stream opened: older rows are history, read by GET, not pushed. */
  private baseline = 0;
  /** Ids already delivered within the look-back window (PostgreSQL only, see poll()). */
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly ctx: AppContext,
    opts: HubOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Adds a stream; returns the function that removes it. A closed hub ends the stream at once. */
  async subscribe(listener: StreamListener): Promise<() => void> {
    // Nobody listened meanwhile: start from now (a reconnecting stream replays from its own id).
    if (!this.listeners.size && !this.closed) {
      this.baseline = this.lastId = await this.maxId();
      this.seen.clear();
    }
    if (this.closed) {
      endQuietly(listener);
      return () => {};
    }
    let set = this.listeners.get(listener.accountId);
    if (!set) this.listeners.set(listener.accountId, (set = new Set()));
    set.add(listener);
    this.schedule();
    return () => {
      const s = this.listeners.get(listener.accountId);
      s?.delete(listener);
      if (s && !s.size) this.listeners.delete(listener.accountId);
      if (!this.listeners.size) this.stopTimer();
    };
  }

  /** Looks for new rows now (after a write in this process, or when a test wants no waiting). */
  poke(): Promise<void> {
    if (!this.listeners.size || this.closed) return Promise.resolve();
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Tells an account's open streams its unread count changed (after marking read). */
  async refreshUnread(accountId: number): Promise<void> {
    const set = this.listeners.get(accountId);
    if (!set?.size) return;
    const unread = await unreadCount(this.ctx, accountId);
    for (const l of set) l.deliver([], unread);
  }

  /** Stops polling and ends every open stream, so that the server's close does not wait for them. */
  close(): void {
    this.closed = true;
    this.stopTimer();
    const open = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    for (const l of open) endQuietly(l);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.poke().catch(() => {}), this.pollMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async maxId(): Promise<number> {
    const r = await this.ctx.db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  private async poll(): Promise<void> {
    const accounts = [...this.listeners.keys()];
    if (!accounts.length || this.lastId === null) return;
    // On PostgreSQL a transaction holding a smaller id may commit after a larger one was read:
    // look back a window of ids each tick and skip those already delivered. SQLite commits one
    // writer at a time, so ids appear in order there.
    const floor = this.ctx.dialect === 'postgres' ? Math.max(this.baseline, this.lastId - LOOK_BACK_IDS) : this.lastId;
    const rows = (
      await this.ctx.db.selectFrom('notifications').selectAll().where('id', '>', floor).orderBy('id').limit(READ_LIMIT).execute()
    ).filter((r) => !this.seen.has(r.id));
    if (!rows.length) return;
    this.lastId = Math.max(this.lastId, rows[rows.length - 1]!.id);
    if (this.ctx.dialect === 'postgres') {
      for (const r of rows) this.seen.add(r.id);
      for (const id of this.seen) if (id <= this.lastId - LOOK_BACK_IDS) this.seen.delete(id);
    }
    const byAccount = new Map<number, NotificationView[]>();
    for (const r of rows) {
      if (!this.listeners.has(r.account_id)) continue;
      let list = byAccount.get(r.account_id);
      if (!list) byAccount.set(r.account_id, (list = []));
      list.push(toView(r));
    }
    for (const [accountId, items] of byAccount) {
      const set = this.listeners.get(accountId);
      if (!set?.size) continue;
      const unread = await unreadCount(this.ctx, accountId);
      for (const l of set) l.deliver(items, unread);
    }
  }
}

function endQuietly(listener: StreamListener): void {
  try {
    listener.end?.();
  } catch {
    // The stream's connection is already gone.
  }
}
