import type { OrderState, SlaState, Urgency } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { addWorkingDays, workingMsBetween, type WorkCalendar } from '../../lib/working-time.js';

export interface SlaLimits {
  signHours: number;
  handleLimit: number;
  handleUnit: 'working_days' | 'hours';
}

/** The limits for a category and urgency: its own rule, else its parent category's, else the default. */
export async function slaLimits(db: Kysely<DB>, categoryId: number, urgency: Urgency): Promise<SlaLimits> {
  const cat = await db.selectFrom('order_categories').select('parent_id').where('id', '=', categoryId).executeTakeFirst();
  const candidates = [categoryId, cat?.parent_id ?? 0, 0];
  const rows = await db.selectFrom('sla_rules').selectAll().where('urgency', '=', urgency).where('category_id', 'in', candidates).execute();
  for (const id of candidates) {
    const r = rows.find((x) => x.category_id === id);
    if (r) return { signHours: r.sign_hours, handleLimit: r.handle_limit, handleUnit: r.handle_unit as SlaLimits['handleUnit'] };
  }
  // The migration seeds a default for every urgency; an admin removing it falls back to the norm.
  return { signHours: 24, handleLimit: 5, handleUnit: 'working_days' };
}

/** Deadlines of a dispatch made at `from`. */
export function deadlinesFrom(cal: WorkCalendar, limits: SlaLimits, from: number): { signDue: number; handleDue: number } {
  return {
    signDue: from + limits.signHours * 3_600_000,
    handleDue: limits.handleUnit === 'hours' ? from + limits.handleLimit * 3_600_000 : addWorkingDays(cal, from, limits.handleLimit),
  };
}

export const WARNING_SHARE = 0.8;

function position(cal: WorkCalendar, start: number, due: number, now: number, clock = false): SlaState {
  if (now > due) return 'overdue';
  const total = clock ? 0 : workingMsBetween(cal, start, due);
  const share = total > 0 ? workingMsBetween(cal, start, now) / total : (now - start) / Math.max(due - start, 1);
  return share >= WARNING_SHARE ? 'warning' : 'ok';
}

/**
 * The SLA position of an order now, computed from its fixed deadlines (never stored): while
 * dispatched the sign-for deadline counts (and the handling one, if already passed); while in
 * progress the handling deadline. Other states have no running clock.
 */
export function slaOf(
  cal: WorkCalendar,
  o: { status: string; dispatched_at: string | null; sign_due_at: string | null; handle_due_at: string | null },
  now: number,
): { sla: SlaState | null; dueAt: string | null } {
  const state = o.status as OrderState;
  if (!o.dispatched_at || !o.handle_due_at) return { sla: null, dueAt: null };
  const start = Date.parse(o.dispatched_at);
  const handleDue = Date.parse(o.handle_due_at);
  if (state === 'dispatched' && o.sign_due_at) {
    const signDue = Date.parse(o.sign_due_at);
    if (now > handleDue) return { sla: 'overdue', dueAt: o.handle_due_at };
    return { sla: position(cal, start, signDue, now, true), dueAt: o.sign_due_at };
  }
  if (state === 'in_progress') return { sla: position(cal, start, handleDue, now), dueAt: o.handle_due_at };
  return { sla: null, dueAt: null };
}
