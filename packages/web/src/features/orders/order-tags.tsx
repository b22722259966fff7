import { ClockCircleOutlined, ExclamationCircleOutlined, WarningOutlined } from '@ant-design/icons';
import type { Locale, OrderState, SlaState, Urgency } from '@haitang/contracts';
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { formatTime, stateLabel, urgencyLabel } from './labels';

// The console's tags of an order (state, urgency, deadline); their names come from labels.ts.

const STATE_COLORS: Record<OrderState, string> = {
  submitted: 'gold',
  accepted: 'blue',
  dispatched: 'geekblue',
  in_progress: 'processing',
  replied: 'purple',
  closed: 'green',
  evaluated: 'cyan',
  rejected: 'default',
  merged: 'default',
};

export function StateTag({ state }: { state: OrderState }) {
  const { locale } = useI18n();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="order-state" data-state={state}>
      {stateLabel(state, locale)}
    </Tag>
  );
}

const URGENCY_COLORS: Record<Urgency, string | undefined> = { normal: undefined, urgent: 'orange', emergency: 'red' };

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { locale } = useI18n();
  return <Tag color={URGENCY_COLORS[urgency]}>{urgencyLabel(urgency, locale)}</Tag>;
}

/** Re-renders every `ms` so that countdowns stay current. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** "2天3小时" / "2d 3h": a duration in calendar time, coarse enough for a deadline. */
export function formatSpan(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const zh = locale !== 'en';
  const parts: string[] = [];
  if (d) parts.push(zh ? `${d}天` : `${d}d`);
  if (h) parts.push(zh ? `${h}小时` : `${h}h`);
  if (!d && (m || !h)) parts.push(zh ? `${m}分钟` : `${m}m`);
  return parts.join(zh ? '' : ' ');
}

/**
 * The SLA position of an open order: the server computes the state (warning from 80 % of the
 * working time); the countdown to the current step's deadline is shown beside it.
 */
export function SlaTag({ sla, dueAt }: { sla: SlaState | null; dueAt: string | null }) {
  const { t, locale } = useI18n();
  const now = useNow();
  if (!sla) return <span style={{ color: '#bbb' }}>—</span>;
  const due = dueAt ? Date.parse(dueAt) : null;
  const left = due === null ? null : due - now;
  const span = left === null ? '' : formatSpan(left, locale);
  const text =
    sla === 'overdue'
      ? left !== null && left < 0
        ? t('orders.sla.overdueBy', { span })
        : t('orders.sla.overdue')
      : left !== null
        ? t('orders.sla.left', { span })
        : t(`orders.sla.${sla}`);
  const color = sla === 'overdue' ? 'red' : sla === 'warning' ? 'orange' : 'green';
  const icon = sla === 'overdue' ? <ExclamationCircleOutlined /> : sla === 'warning' ? <WarningOutlined /> : <ClockCircleOutlined />;
  const tag = (
    <Tag color={color} icon={icon} data-testid="order-sla" data-sla={sla}>
      {text}
    </Tag>
  );
  return dueAt ? <Tooltip title={`${t('orders.dueAt')} ${formatTime(dueAt)}`}>{tag}</Tooltip> : tag;
}
