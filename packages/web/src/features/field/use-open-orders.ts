import type { OrderList, OrderSummary } from '@haitang/contracts';
import { api } from '../../api/client';
import { useLoad } from '../common/use-load';
import { bySlaUrgency } from './sla';

/** Open orders asked for; a grid rarely has this many at once. */
const PAGE = 100;

export interface OpenOrders {
  items: OrderSummary[];
  /** Whether there were more open orders than one page shows. */
  truncated: boolean;
}

/** The open orders of the actor's area (for a grid worker: the grid), most urgent first. */
export async function loadOpenOrders(): Promise<OpenOrders> {
  const page = await api.get<OrderList>('/api/orders', { open: true, pageSize: PAGE });
  return { items: [...page.items].sort(bySlaUrgency), truncated: page.total > page.items.length };
}

export function useOpenOrders() {
  return useLoad(loadOpenOrders, []);
}
