import {
  ACTION_LABELS,
  CHANNEL_LABELS,
  ORDER_ACTIONS,
  SATISFACTION_LABELS,
  STATE_LABELS,
  URGENCY_LABELS,
  type Channel,
  type Locale,
  type OrderAction,
  type OrderState,
  type Satisfaction,
  type Urgency,
} from '@haitang/contracts';
import dayjs from 'dayjs';

/**
 * The names of the work-order domain in both languages, plus the colours and time formats that go
 * with them: one module for the console, the phone field view and the residents' public pages.
 * Plain functions only (no React), so the small public pages can import it cheaply.
 */

type Labels = { 'zh-CN': string; en: string };
const pick = (l: Labels | undefined, locale: Locale, fallback: string) => l?.[locale] ?? fallback;

/** Domain labels come from contracts, each in both languages. */
export const stateLabel = (s: OrderState, locale: Locale) => pick(STATE_LABELS[s], locale, s);
export const channelLabel = (c: Channel, locale: Locale) => pick(CHANNEL_LABELS[c], locale, c);
export const urgencyLabel = (u: Urgency, locale: Locale) => pick(URGENCY_LABELS[u], locale, u);
export const satisfactionLabel = (s: Satisfaction, locale: Locale) => pick(SATISFACTION_LABELS[s], locale, s);
export const actionLabel = (a: OrderAction, locale: Locale) => pick(ACTION_LABELS[a], locale, a);

export function isOrderAction(action: string): action is OrderAction {
  return (ORDER_ACTIONS as readonly string[]).includes(action);
}

/** Timeline steps that are not transitions of the table (intake, checklist work). */
const EXTRA_STEPS: Record<string, Labels> = {
  submit: { 'zh-CN': '提交', en: 'Submitted' },
  item_add: { 'zh-CN': '添加清单事项', en: 'Checklist item added' },
  item_update: { 'zh-CN': '更新清单事项', en: 'Checklist item updated' },
};

/**
 * The intake step as the reader sees it: residents and grid workers "submitted" the order
 * (phone and public pages), the staff console "registered" it.
 */
const INTAKE: Record<'submitted' | 'registered', Labels> = {
  submitted: EXTRA_STEPS.submit!,
  registered: { 'zh-CN': '登记', en: 'Registered' },
};

/** The name of a timeline step: an action of the transition table or one of the extra steps. */
export function stepLabel(action: string, locale: Locale, intake: keyof typeof INTAKE = 'submitted'): string {
  if (isOrderAction(action)) return actionLabel(action, locale);
  if (action === 'submit') return INTAKE[intake][locale];
  return pick(EXTRA_STEPS[action], locale, action);
}

/**
 * Colours of the state tags on the phone and public pages: waiting (blue), being worked (orange),
 * done (green), ended otherwise (grey). The console's StateTag (order-tags.tsx) has a finer palette.
 */
export function stateColor(s: OrderState): string {
  switch (s) {
    case 'submitted':
    case 'accepted':
      return 'blue';
    case 'dispatched':
    case 'in_progress':
      return 'orange';
    case 'replied':
      return 'purple';
    case 'closed':
    case 'evaluated':
      return 'green';
    default:
      return 'default';
  }
}

/** A date-time in full, for the console: "2026-11-27 09:05". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

/** A date-time in the reader's clock, short for a phone: "11-27 09:05" (with the year when not this year). */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === new Date().getFullYear() ? md : `${d.getFullYear()}-${md}`;
}
