import type {
  ActionBody,
  CategoryView,
  CreateItemBody,
  CreateOrderBody,
  DuplicateQuery,
  NotificationList,
  OrderAction,
  OrderDetail,
  OrderIndicators,
  OrderList,
  OrderListQuery,
  OrderSummary,
  UpdateItemBody,
} from '@haitang/contracts';
import { api, type Query } from '../../api/client';

/** A duplicate suggestion: an open order like the one being written (DuplicateList in contracts). */
export type DuplicateItem = OrderSummary & { similarity: number; distanceM: number | null };

/** The work-order calls of the console, typed by the contracts. */
export const ordersApi = {
  list: (q: OrderListQuery) => api.get<OrderList>('/api/orders', q as Query),
  get: (id: number) => api.get<OrderDetail>(`/api/orders/${id}`),
  create: (body: CreateOrderBody) => api.post<OrderDetail>('/api/orders', body),
  /** undefined: 204, the order left the actor's sight (e.g. a unit returned it). */
  act: (id: number, action: OrderAction, body: ActionBody) => api.post<OrderDetail | undefined>(`/api/orders/${id}/actions/${action}`, body),
  addItem: (id: number, body: CreateItemBody) => api.post<OrderDetail>(`/api/orders/${id}/items`, body),
  updateItem: (id: number, itemId: number, body: UpdateItemBody) => api.patch<OrderDetail>(`/api/orders/${id}/items/${itemId}`, body),
  duplicates: (q: DuplicateQuery) => api.get<{ items: DuplicateItem[] }>('/api/orders/duplicates', q as Query),
  indicators: (q: { orgId?: number; from: string; to: string }) => api.get<OrderIndicators>('/api/orders/indicators', q),
  categories: () => api.get<{ items: CategoryView[] }>('/api/order-categories'),
  notifications: (q: { unread?: boolean; limit?: number } = {}) => api.get<NotificationList>('/api/notifications', q),
  markRead: (body: { ids: number[] } | { all: true }) => api.post<{ updated: number }>('/api/notifications/read', body),
};

export function attachmentUrl(orderId: number, attachmentId: number): string {
  return `/api/orders/${orderId}/attachments/${attachmentId}`;
}
