import {
  ACTION_LABELS,
  SATISFACTION_LABELS,
  STATE_LABELS,
  URGENCY_LABELS,
  type Locale,
  type OrderAction,
  type OrderState,
  type Satisfaction,
  type Urgency,
} from '@haitang/contracts';

/** Timeline steps that are not transitions of the table (intake, checklist work). */
const EXTRA_STEPS: Record<string, { 'zh-CN': string; en: string }> = {
  submit: { 'zh-CN': '提交', en: 'Submitted' },
  item_add: { 'zh-CN': '添加清单事项', en: 'Checklist item added' },
  item_update: { 'zh-CN': '更新清单事项', en: 'Checklist item updated' },
};

export const stateLabel = (s: OrderState, locale: Locale) => STATE_LABELS[s]?.[locale] ?? s;
export const satisfactionLabel = (s: Satisfaction, locale: Locale) => SATISFACTION_LABELS[s]?.[locale] ?? s;
export const urgencyLabel = (u: Urgency, locale: Locale) => URGENCY_LABELS[u]?.[locale] ?? u;

/** The name of a timeline step: an action of the transition table or one of the extra steps. */
export function stepLabel(action: string, locale: Locale): string {
  return (ACTION_LABELS as Record<string, { 'zh-CN': string; en: string }>)[action]?.[locale] ?? EXTRA_STEPS[action]?.[locale] ?? action;
}
export const actionLabel = (a: OrderAction, locale: Locale) => ACTION_LABELS[a]?.[locale] ?? a;

/** Colours of the state tags: waiting (blue), being worked (orange), done (green), ended otherwise (grey). */
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

/** A date-time in the reader's clock, short: "11-27 09:05" (with the year when not this year). */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === new Date().getFullYear() ? md : `${d.getFullYear()}-${md}`;
}
