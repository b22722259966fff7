import {
  TRANSITION_BY_ACTION,
  guardHolds,
  type GuardFacts,
  type ItemState,
  type OrderAction,
  type OrderState,
  type Satisfaction,
} from '@haitang/contracts';
import { addWorkingDays, workingMsBetween, withinWorkingDays, type WorkCalendar } from '../lib/working-time.js';
import { deadlinesFrom, type SlaLimits } from '../modules/workorders/order.sla.js';
import { MAX_EXTENSION_DAYS, RETURN_WINDOW_DAYS } from '../modules/workorders/reference-data.js';

/**
 * One work order played forward in memory, step by step, with the effects order.intake.ts and
 * order.transition.ts have on the row (counters, timestamps, deadlines from the real SLA and
 * working-time helpers). Every step is checked against the transition table, its guard and what
 * the action needs: a generator bug throws instead of writing an order the server could not have
 * produced. Steps at or after the demo clock are not taken: the order stays in the state it had.
 */

/** Who acts: a demo account (by username) or someone without one (a unit, a volunteer, a reporter). */
export type ActorRef = { account: string } | { name: string };

export interface PlannedEvent {
  action: string;
  from: OrderState | null;
  to: OrderState | null;
  at: number;
  actor: ActorRef;
  note: string | null;
  data: Record<string, unknown> | null;
  /** Resolved into handlerOrgId/handlerOrgName when written. */
  handlerKey?: string;
  /** The unit that returned the order: resolved into handlerOrgId. */
  returnedKey?: string;
  /** Key of the primary order (merge): resolved into primaryId/primaryNumber. */
  primary?: number;
  /** Index into the order's items: resolved into itemId. */
  item?: number;
}

export interface PlannedItem {
  title: string;
  ownerOrgKey: string | null;
  ownerName: string | null;
  dueDate: string | null;
  state: ItemState;
  note: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface SimEnv {
  cal: WorkCalendar;
  limits: SlaLimits;
  /** Nothing happens at or after this instant. */
  clock: number;
  /** The place of the order (org key): the handler of an on-the-spot resolution and of a reopen without one. */
  orgKey: string;
}

export interface ActOptions {
  note?: string | null;
  handlerKey?: string;
  days?: number;
  satisfaction?: Satisfaction;
  primary?: number;
  data?: Record<string, unknown>;
}

const OPEN_ITEM_STATES: readonly string[] = ['accepted', 'dispatched', 'in_progress'];

export class OrderSim {
  readonly events: PlannedEvent[] = [];
  readonly items: PlannedItem[] = [];
  status: OrderState | null = null;
  /** True once a step fell at or after the clock: the order's story ends there. */
  stopped = false;
  handlerKey: string | null = null;
  mergedInto: number | null = null;
  satisfaction: Satisfaction | null = null;
  onTheSpot = false;
  reopenCount = 0;
  returnCount = 0;
  sendBackCount = 0;
  extensionDays = 0;
  pendingExtension: { days: number; note: string | null } | null = null;
  supervised = false;
  itemsOpen = 0;
  version = 1;
  signDue: number | null = null;
  handleDue: number | null = null;
  acceptedAt: number | null = null;
  dispatchedAt: number | null = null;
  signedAt: number | null = null;
  repliedAt: number | null = null;
  closedAt: number | null = null;
  evaluatedAt: number | null = null;
  closedOnTime: boolean | null = null;
  handlingMs: number | null = null;
  createdAt = 0;
  updatedAt = 0;

  constructor(readonly env: SimEnv) {}

  get last(): number {
    return this.events.length ? this.events[this.events.length - 1]!.at : 0;
  }

  /** Whether a step at `at` may still happen (before the clock); stops the story otherwise. */
  private open(at: number): boolean {
    if (this.stopped) return false;
    if (at >= this.env.clock) {
      this.stopped = true;
      return false;
    }
    if (at < this.last) throw new Error(`demo orders: step at ${new Date(at).toISOString()} before the previous one`);
    return true;
  }

  private push(e: Omit<PlannedEvent, 'note' | 'data'> & { note?: string | null; data?: Record<string, unknown> | null }) {
    this.events.push({ ...e, note: e.note ?? null, data: e.data ?? null });
    this.updatedAt = e.at;
  }

  /**
   * Intake as order.intake.ts does it: a public report waits as submitted; staff intake is
   * submitted and accepted at once, and closed at once when resolved on the spot (with evidence).
   */
  intake(at: number, actor: ActorRef, o: { channel: string; staff: boolean; onSpotNote?: string | null; items?: Omit<PlannedItem, 'state' | 'note' | 'version' | 'createdAt' | 'updatedAt'>[] }): boolean {
    if (this.events.length) throw new Error('demo orders: intake twice');
    if (at >= this.env.clock) throw new Error('demo orders: an order created after the clock');
    this.createdAt = at;
    this.push({ action: 'submit', from: null, to: 'submitted', at, actor, data: { channel: o.channel } });
    this.status = 'submitted';
    if (!o.staff) return true;
    this.push({ action: 'accept', from: 'submitted', to: 'accepted', at, actor });
    this.status = 'accepted';
    this.acceptedAt = at;
    for (const item of o.items ?? []) {
      this.items.push({ ...item, state: 'open', note: null, version: 1, createdAt: at, updatedAt: at });
      this.itemsOpen++;
    }
    if (o.onSpotNote) {
      if (this.itemsOpen) throw new Error('demo orders: on-the-spot resolution with a checklist');
      this.push({ action: 'resolve_on_spot', from: 'accepted', to: 'closed', at, actor, note: o.onSpotNote });
      this.status = 'closed';
      this.onTheSpot = true;
      this.handlerKey = this.env.orgKey;
      this.closedAt = at;
      this.closedOnTime = true;
      this.handlingMs = 0;
    }
    return true;
  }

  facts(at: number): GuardFacts {
    return {
      pendingExtension: this.pendingExtension !== null,
      itemsOpen: this.itemsOpen,
      satisfaction: this.satisfaction,
      supervised: this.supervised,
      returnAllowed: this.dispatchedAt !== null && withinWorkingDays(this.env.cal, this.dispatchedAt, RETURN_WINDOW_DAYS, at),
    };
  }

  /** Ends the story here: the next step has not happened yet at the clock. */
  halt(): false {
    this.stopped = true;
    return false;
  }

  /** Whether the action is legal now (state and guard), without taking it. */
  can(action: OrderAction, at: number): boolean {
    const t = TRANSITION_BY_ACTION[action];
    return this.status !== null && t.from.includes(this.status) && guardHolds(t.guard, this.facts(at));
  }

  /** One action of the transition table at `at`; false when the clock has been reached. */
  act(action: OrderAction, at: number, actor: ActorRef, opt: ActOptions = {}): boolean {
    if (!this.open(at)) return false;
    const t = TRANSITION_BY_ACTION[action];
    const state = this.status!;
    if (!t.from.includes(state)) throw new Error(`demo orders: ${action} from ${state}`);
    if (!guardHolds(t.guard, this.facts(at))) throw new Error(`demo orders: ${action} from ${state}: guard ${t.guard}`);
    const note = opt.note?.trim() || null;
    if (t.needs.note && !note) throw new Error(`demo orders: ${action} needs a note`);
    if (t.needs.handler && !opt.handlerKey) throw new Error('demo orders: dispatch needs a handler');
    if (t.needs.days && !opt.days) throw new Error('demo orders: extension needs days');
    if (t.needs.satisfaction && !opt.satisfaction) throw new Error('demo orders: callback needs a satisfaction');
    if (t.needs.evidence && !note) throw new Error('demo orders: on-the-spot needs evidence');
    if (t.needs.primary && opt.primary === undefined) throw new Error('demo orders: merge needs a primary');
    const data: Record<string, unknown> = { ...opt.data };
    const extra: Pick<PlannedEvent, 'handlerKey' | 'returnedKey' | 'primary'> = {};
    const { cal, limits } = this.env;
    const close = () => {
      this.closedAt = at;
      this.closedOnTime = this.handleDue === null || at <= this.handleDue;
      this.handlingMs = workingMsBetween(cal, this.acceptedAt ?? this.createdAt, at);
    };

    switch (action) {
      case 'accept':
        this.acceptedAt = at;
        break;
      case 'reject':
        break;
      case 'dispatch': {
        const due = deadlinesFrom(cal, limits, at);
        this.handlerKey = opt.handlerKey!;
        this.dispatchedAt = at;
        this.signedAt = null;
        this.signDue = due.signDue;
        this.handleDue = due.handleDue;
        this.extensionDays = 0;
        this.pendingExtension = null;
        extra.handlerKey = opt.handlerKey!;
        Object.assign(data, { signDueAt: new Date(due.signDue).toISOString(), handleDueAt: new Date(due.handleDue).toISOString() });
        break;
      }
      case 'sign':
        this.signedAt = at;
        break;
      case 'return':
        extra.returnedKey = this.handlerKey!;
        this.handlerKey = null;
        this.signDue = null;
        this.handleDue = null;
        this.dispatchedAt = null;
        this.signedAt = null;
        this.returnCount++;
        this.supervised = false;
        break;
      case 'request_extension': {
        const days = opt.days!;
        if (this.extensionDays + days > MAX_EXTENSION_DAYS) throw new Error('demo orders: extension over the limit');
        this.pendingExtension = { days, note };
        data.days = days;
        break;
      }
      case 'approve_extension': {
        const days = this.pendingExtension!.days;
        this.handleDue = addWorkingDays(cal, this.handleDue ?? at, days);
        this.extensionDays += days;
        this.pendingExtension = null;
        Object.assign(data, { days, handleDueAt: new Date(this.handleDue).toISOString() });
        break;
      }
      case 'deny_extension':
        data.days = this.pendingExtension!.days;
        this.pendingExtension = null;
        break;
      case 'reply':
        this.repliedAt = at;
        break;
      case 'close':
        close();
        break;
      case 'send_back':
        this.sendBackCount++;
        break;
      case 'resolve_on_spot':
        close();
        this.onTheSpot = true;
        this.handlerKey = this.env.orgKey;
        this.closedOnTime = true;
        break;
      case 'callback':
        this.satisfaction = opt.satisfaction!;
        this.evaluatedAt = at;
        data.satisfaction = opt.satisfaction;
        break;
      case 'reopen': {
        const due = deadlinesFrom(cal, limits, at);
        this.reopenCount++;
        this.handlerKey ??= this.env.orgKey;
        this.dispatchedAt = at;
        this.signedAt = at;
        this.handleDue = due.handleDue;
        this.signDue = null;
        this.closedAt = null;
        this.closedOnTime = null;
        this.handlingMs = null;
        this.evaluatedAt = null;
        this.repliedAt = null;
        this.satisfaction = null;
        this.extensionDays = 0;
        break;
      }
      case 'merge':
        this.mergedInto = opt.primary!;
        extra.primary = opt.primary!;
        break;
      case 'supervise':
        this.supervised = true;
        break;
    }
    const to = t.to ?? state;
    this.status = to;
    this.version++;
    this.push({ action, from: state, to, at, actor, note, data: Object.keys(data).length ? data : null, ...extra });
    return true;
  }

  /** A checklist item added while the order is being worked (order.service.ts addItem). */
  addItem(at: number, actor: ActorRef, item: Omit<PlannedItem, 'state' | 'note' | 'version' | 'createdAt' | 'updatedAt'>): number | null {
    if (!this.open(at)) return null;
    if (!OPEN_ITEM_STATES.includes(this.status!)) throw new Error(`demo orders: item added in ${this.status}`);
    const index = this.items.push({ ...item, state: 'open', note: null, version: 1, createdAt: at, updatedAt: at }) - 1;
    this.itemsOpen++;
    this.version++;
    this.push({ action: 'item_add', from: this.status, to: this.status, at, actor, note: item.title, item: index });
    return index;
  }

  /** An item marked done (with a note as evidence) or waived (with a reason). */
  updateItem(at: number, actor: ActorRef, index: number, state: 'done' | 'waived', note: string): boolean {
    if (!this.open(at)) return false;
    if (!OPEN_ITEM_STATES.includes(this.status!)) throw new Error(`demo orders: item updated in ${this.status}`);
    const item = this.items[index]!;
    if (item.state !== 'open') throw new Error('demo orders: item settled twice');
    item.state = state;
    item.note = note;
    item.version++;
    item.updatedAt = at;
    this.itemsOpen--;
    this.version++;
    this.push({ action: 'item_update', from: this.status, to: this.status, at, actor, note, data: { title: item.title, state }, item: index });
    return true;
  }
}
