import type { OrderSummary, SlaState, Urgency } from '@haitang/contracts';

const SLA_RANK: Record<SlaState, number> = { overdue: 0, warning: 1, ok: 2 };
const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, urgent: 1, normal: 2 };

/**
 * Most urgent first: overdue, then close to the deadline, then on time, then orders without a
 * running deadline; within a group the nearest deadline, then the higher urgency, then the oldest.
 */
export function bySlaUrgency(a: OrderSummary, b: OrderSummary): number {
  const sa = a.sla ? SLA_RANK[a.sla] : 3;
  const sb = b.sla ? SLA_RANK[b.sla] : 3;
  if (sa !== sb) return sa - sb;
  const da = a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY;
  const db = b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const ua = URGENCY_RANK[a.urgency] ?? 3;
  const ub = URGENCY_RANK[b.urgency] ?? 3;
  if (ua !== ub) return ua - ub;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
}

/** Whole hours from now to the deadline (negative when past). */
export function hoursLeft(dueAt: string, now = Date.now()): number {
  return Math.round((Date.parse(dueAt) - now) / 3_600_000);
}
