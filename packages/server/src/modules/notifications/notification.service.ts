import type { NotificationList, NotificationView } from '@haitang/contracts';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, NotificationsTable } from '../../db/schema.js';
import type { Actor } from '../../lib/actor.js';

export interface NewNotification {
  kind: string;
  orderId?: number | null;
  activityId?: number | null;
  wishId?: number | null;
  title: string;
  body?: string | null;
}

/** Writes in-app notifications in the caller's transaction (delivered live by the SSE stream). */
export async function notify(trx: Transaction<DB> | Kysely<DB>, accountIds: Iterable<number>, n: NewNotification, at: string): Promise<void> {
  const ids = [...new Set(accountIds)];
  if (!ids.length) return;
  await trx
    .insertInto('notifications')
    .values(ids.map((account_id) => ({ account_id, kind: n.kind, order_id: n.orderId ?? null, activity_id: n.activityId ?? null, wish_id: n.wishId ?? null, title: n.title, body: n.body ?? null, created_at: at })))
    .execute();
}

export function toView(r: Selectable<NotificationsTable>): NotificationView {
  return { id: r.id, kind: r.kind, orderId: r.order_id, activityId: r.activity_id, wishId: r.wish_id, title: r.title, body: r.body, readAt: r.read_at, createdAt: r.created_at };
}

export async function unreadCount(ctx: AppContext, accountId: number): Promise<number> {
  const r = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listNotifications(ctx: AppContext, actor: Actor, q: { unread?: boolean; afterId?: number; limit?: number }): Promise<NotificationList> {
  let query = ctx.db.selectFrom('notifications').selectAll().where('account_id', '=', actor.id);
  if (q.unread) query = query.where('read_at', 'is', null);
  if (q.afterId !== undefined) query = query.where('id', '>', q.afterId);
  const rows = await query.orderBy('id', 'desc').limit(q.limit ?? 50).execute();
  return { items: rows.map(toView), unread: await unreadCount(ctx, actor.id) };
}

/** Marks the given notifications (or all) of the actor read; returns how many changed. */
export async function markRead(ctx: AppContext, actor: Actor, ids: number[] | 'all'): Promise<number> {
  let q = ctx.db.updateTable('notifications').set({ read_at: new Date().toISOString() }).where('account_id', '=', actor.id).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (!ids.length) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
