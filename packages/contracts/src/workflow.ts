import type { Permission } from './roles.js';

/**
 * The work-order loop (design.md §3, after GB/T 30428 and the 12345 hotline norms): its states,
 * its actions and the one transition table that both the server (what is allowed) and the web
 * (which buttons to show) read.
 */
export const ORDER_STATES = [
  'submitted',
  'accepted',
  'dispatched',
  'in_progress',
  'replied',
  'closed',
  'evaluated',
  'rejected',
  'merged',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** States in which an order still needs work (counted as open, can be merged into, can go overdue). */
export const OPEN_STATES: readonly OrderState[] = ['submitted', 'accepted', 'dispatched', 'in_progress', 'replied'];
export const FINAL_STATES: readonly OrderState[] = ['closed', 'evaluated', 'rejected', 'merged'];

export const ORDER_ACTIONS = [
  'accept',
  'reject',
  'dispatch',
  'sign',
  'return',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'reply',
  'close',
  'send_back',
  'resolve_on_spot',
  'callback',
  'reopen',
  'merge',
  'supervise',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/**
 * Whose action it is, besides the permission:
 * - `dispatcher`: the place of the order lies in the actor's area (the community or street that
 *   owns the order: accepts, dispatches, verifies, calls back);
 * - `handler`: the handler unit the order is dispatched to lies in the actor's area.
 */
export type ActorSide = 'dispatcher' | 'handler';

/** What the request body of an action must carry. */
export interface ActionNeeds {
  /** A note (reason, reply text) is required. */
  note?: true;
  handler?: true;
  evidence?: true;
  days?: true;
  satisfaction?: true;
  primary?: true;
}

export interface Transition {
  action: OrderAction;
  from: readonly OrderState[];
  /** Target state; `null` when the action leaves the state as it is (extension, supervision). */
  to: OrderState | null;
  permission: Permission;
  side: ActorSide;
  needs: ActionNeeds;
  /** Extra condition on the order, checked on the server and mirrored in the UI. */
  guard?: OrderGuard;
}

export type OrderGuard =
  | 'no_pending_extension'
  | 'pending_extension'
  | 'items_settled'
  | 'dissatisfied'
  | 'return_window'
  | 'not_supervised';

/** The transition table. One row per action; `from` lists where it may start. */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', permission: 'order.dispatch', side: 'dispatcher', needs: {} },
  { action: 'reject', from: ['submitted'], to: 'rejected', permission: 'order.dispatch', side: 'dispatcher', needs: { note: true } },
  { action: 'dispatch', from: ['accepted'], to: 'dispatched', permission: 'order.dispatch', side: 'dispatcher', needs: { handler: true } },
  { action: 'sign', from: ['dispatched'], to: 'in_progress', permission: 'order.handle', side: 'handler', needs: {} },
  {
    action: 'return',
    from: ['dispatched', 'in_progress'],
    to: 'accepted',
    permission: 'order.handle',
    side: 'handler',
    needs: { note: true },
    guard: 'return_window',
  },
  {
    action: 'request_extension',
    from: ['in_progress'],
    to: null,
    permission: 'order.handle',
    side: 'handler',
    needs: { note: true, days: true },
    guard: 'no_pending_extension',
  },
  {
    action: 'approve_extension',
    from: ['in_progress'],
    to: null,
    permission: 'order.dispatch',
    side: 'dispatcher',
    needs: {},
    guard: 'pending_extension',
  },
  {
    action: 'deny_extension',
    from: ['in_progress'],
    to: null,
    permission: 'order.dispatch',
    side: 'dispatcher',
    needs: { note: true },
    guard: 'pending_extension',
  },
  {
    action: 'reply',
    from: ['in_progress'],
    to: 'replied',
    permission: 'order.handle',
    side: 'handler',
    needs: { note: true },
    guard: 'items_settled',
  },
  { action: 'close', from: ['replied'], to: 'closed', permission: 'order.dispatch', side: 'dispatcher', needs: {} },
  { action: 'send_back', from: ['replied'], to: 'in_progress', permission: 'order.dispatch', side: 'dispatcher', needs: { note: true } },
  {
    action: 'resolve_on_spot',
    from: ['accepted'],
    to: 'closed',
    permission: 'order.resolve',
    side: 'dispatcher',
    needs: { evidence: true },
    guard: 'items_settled',
  },
  { action: 'callback', from: ['closed'], to: 'evaluated', permission: 'order.dispatch', side: 'dispatcher', needs: { satisfaction: true } },
  {
    action: 'reopen',
    from: ['evaluated'],
    to: 'in_progress',
    permission: 'order.dispatch',
    side: 'dispatcher',
    needs: { note: true },
    guard: 'dissatisfied',
  },
  {
    action: 'merge',
    from: ['submitted', 'accepted'],
    to: 'merged',
    permission: 'order.dispatch',
    side: 'dispatcher',
    needs: { primary: true },
  },
  {
    action: 'supervise',
    from: ['accepted', 'dispatched', 'in_progress', 'replied'],
    to: null,
    permission: 'order.supervise',
    side: 'dispatcher',
    needs: { note: true },
    guard: 'not_supervised',
  },
];

export const TRANSITION_BY_ACTION: Readonly<Record<OrderAction, Transition>> = Object.fromEntries(
  TRANSITIONS.map((t) => [t.action, t]),
) as Record<OrderAction, Transition>;

/** What the guards look at. */
export interface GuardFacts {
  pendingExtension: boolean;
  itemsOpen: number;
  satisfaction: Satisfaction | null;
  supervised: boolean;
  /** Whether a return is still allowed (within the working days after dispatch). */
  returnAllowed: boolean;
}

export function guardHolds(guard: OrderGuard | undefined, f: GuardFacts): boolean {
  switch (guard) {
    case undefined:
      return true;
    case 'no_pending_extension':
      return !f.pendingExtension;
    case 'pending_extension':
      return f.pendingExtension;
    case 'items_settled':
      return f.itemsOpen === 0;
    case 'dissatisfied':
      return f.satisfaction === 'dissatisfied';
    case 'return_window':
      return f.returnAllowed;
    case 'not_supervised':
      return !f.supervised;
  }
}

/**
 * The actions an actor may take on an order now: the state must be a `from` of the action, the
 * role must hold its permission, the actor must stand on the action's side, and its guard must hold.
 */
export function allowedActions(
  state: OrderState,
  o: { permissions: readonly Permission[]; sides: readonly ActorSide[]; facts: GuardFacts },
): OrderAction[] {
  return TRANSITIONS.filter(
    (t) => t.from.includes(state) && o.permissions.includes(t.permission) && o.sides.includes(t.side) && guardHolds(t.guard, o.facts),
  ).map((t) => t.action);
}

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Where a problem came from (design.md §2 channel). */
export const CHANNELS = ['visit', 'patrol', 'hotline', 'wish_box', 'web', 'walk_in', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ITEM_STATES = ['open', 'done', 'waived'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** SLA position of an open order: computed from its deadlines and the working-day calendar. */
export const SLA_STATES = ['ok', 'warning', 'overdue'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const STATE_LABELS: Record<OrderState, { 'zh-CN': string; en: string }> = {
  submitted: { 'zh-CN': '待受理', en: 'Submitted' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  dispatched: { 'zh-CN': '已派遣', en: 'Dispatched' },
  in_progress: { 'zh-CN': '办理中', en: 'In progress' },
  replied: { 'zh-CN': '待核查', en: 'Replied' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  evaluated: { 'zh-CN': '已回访', en: 'Evaluated' },
  rejected: { 'zh-CN': '不予受理', en: 'Rejected' },
  merged: { 'zh-CN': '已合并', en: 'Merged' },
};

export const ACTION_LABELS: Record<OrderAction, { 'zh-CN': string; en: string }> = {
  accept: { 'zh-CN': '受理', en: 'Accept' },
  reject: { 'zh-CN': '不予受理', en: 'Reject' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  sign: { 'zh-CN': '签收', en: 'Sign for' },
  return: { 'zh-CN': '退单', en: 'Return' },
  request_extension: { 'zh-CN': '申请延期', en: 'Request extension' },
  approve_extension: { 'zh-CN': '批准延期', en: 'Approve extension' },
  deny_extension: { 'zh-CN': '驳回延期', en: 'Deny extension' },
  reply: { 'zh-CN': '办结回复', en: 'Reply' },
  close: { 'zh-CN': '核查结案', en: 'Verify and close' },
  send_back: { 'zh-CN': '核查不通过', en: 'Send back' },
  resolve_on_spot: { 'zh-CN': '现场处置', en: 'Resolve on the spot' },
  callback: { 'zh-CN': '回访', en: 'Callback' },
  reopen: { 'zh-CN': '重办', en: 'Reopen' },
  merge: { 'zh-CN': '合并', en: 'Merge' },
  supervise: { 'zh-CN': '督办', en: 'Supervise' },
};

export const CHANNEL_LABELS: Record<Channel, { 'zh-CN': string; en: string }> = {
  visit: { 'zh-CN': '走访', en: 'Visit' },
  patrol: { 'zh-CN': '巡查', en: 'Patrol' },
  hotline: { 'zh-CN': '12345热线', en: '12345 hotline' },
  wish_box: { 'zh-CN': '心愿箱', en: 'Wish box' },
  web: { 'zh-CN': '网上/H5', en: 'Web/H5' },
  walk_in: { 'zh-CN': '来访', en: 'Walk-in' },
  open311: { 'zh-CN': 'Open311接口', en: 'Open311 API' },
};

export const URGENCY_LABELS: Record<Urgency, { 'zh-CN': string; en: string }> = {
  normal: { 'zh-CN': '一般', en: 'Normal' },
  urgent: { 'zh-CN': '紧急', en: 'Urgent' },
  emergency: { 'zh-CN': '特急', en: 'Emergency' },
};

export const SATISFACTION_LABELS: Record<Satisfaction, { 'zh-CN': string; en: string }> = {
  satisfied: { 'zh-CN': '满意', en: 'Satisfied' },
  basically_satisfied: { 'zh-CN': '基本满意', en: 'Basically satisfied' },
  dissatisfied: { 'zh-CN': '不满意', en: 'Dissatisfied' },
};

/** Why a guard stops an action, for error messages and disabled buttons. */
export const GUARD_LABELS: Record<OrderGuard, { 'zh-CN': string; en: string }> = {
  no_pending_extension: { 'zh-CN': '已有延期申请待审批', en: 'an extension request is pending' },
  pending_extension: { 'zh-CN': '没有待审批的延期申请', en: 'no extension request is pending' },
  items_settled: { 'zh-CN': '清单中还有未完成的事项', en: 'checklist items are still open' },
  dissatisfied: { 'zh-CN': '只有回访不满意的工单可以重办', en: 'only an order rated dissatisfied can be reopened' },
  return_window: { 'zh-CN': '已超过退单时限(派遣后2个工作日内)', en: 'the return window (2 working days after dispatch) has passed' },
  not_supervised: { 'zh-CN': '该工单已在督办中', en: 'the order is already supervised' },
};
