import type { OrderDetail, OrderEventView, Satisfaction } from '@haitang/contracts';
import { Space, Timeline, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n';
import { AttachmentThumbs } from './order-attachments';
import { actionLabel, formatTime, isOrderAction, satisfactionLabel, stateLabel } from './order-labels';

const OTHER_EVENTS: Record<string, MessageKey> = {
  submit: 'orders.event.submit',
  item_add: 'orders.event.item_add',
  item_update: 'orders.event.item_update',
};

const EVENT_COLORS: Record<string, string> = {
  reject: 'gray',
  return: 'red',
  send_back: 'red',
  reopen: 'red',
  deny_extension: 'red',
  supervise: 'red',
  close: 'green',
  resolve_on_spot: 'green',
  callback: 'green',
};

/** The append-only history of an order: who did what when, the state change, the note, the photos. */
export function OrderTimeline({ order }: { order: OrderDetail }) {
  const { t, td, locale } = useI18n();
  const label = (e: OrderEventView) => (isOrderAction(e.action) ? actionLabel(e.action, locale) : OTHER_EVENTS[e.action] ? t(OTHER_EVENTS[e.action]!) : e.action);

  const details = (e: OrderEventView): string[] => {
    const d = e.data ?? {};
    const out: string[] = [];
    if (typeof d.handlerOrgName === 'string' && e.action === 'dispatch') out.push(t('orders.event.to', { name: d.handlerOrgName }));
    if (typeof d.days === 'number') out.push(t('orders.event.days', { n: d.days }));
    if (typeof d.satisfaction === 'string') out.push(satisfactionLabel(d.satisfaction as Satisfaction, locale));
    if (typeof d.primaryNumber === 'string') out.push(t('orders.event.mergedInto', { number: d.primaryNumber }));
    if (typeof d.title === 'string' && e.action === 'item_update') out.push(d.title);
    if (typeof d.state === 'string' && e.action === 'item_update') out.push(td(`orders.item.state.${d.state}`));
    return out;
  };

  // Newest first: the latest step is what a reader wants.
  const events = [...order.events].reverse();
  return (
    <Timeline
      data-testid="order-timeline"
      items={events.map((e) => ({
        key: e.id,
        color: EVENT_COLORS[e.action] ?? 'blue',
        content: (
          <div data-testid="order-event" data-action={e.action}>
            <Space size={6} wrap>
              <Typography.Text strong>{label(e)}</Typography.Text>
              {e.fromState && e.toState && e.fromState !== e.toState && (
                <Typography.Text type="secondary">
                  {stateLabel(e.fromState, locale)} → {stateLabel(e.toState, locale)}
                </Typography.Text>
              )}
              {!e.fromState && e.toState && <Typography.Text type="secondary">→ {stateLabel(e.toState, locale)}</Typography.Text>}
            </Space>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {e.actorName} · {formatTime(e.createdAt)}
              </Typography.Text>
            </div>
            {details(e).length > 0 && <div style={{ fontSize: 13 }}>{details(e).join(' · ')}</div>}
            {e.note && <div style={{ whiteSpace: 'pre-wrap', fontSize: 13, marginTop: 2 }}>{e.note}</div>}
            {/* The intake photos are shown with the description. */}
            {e.action !== 'submit' && e.attachmentIds.length > 0 && (
              <div style={{ marginTop: 4 }}>
                <AttachmentThumbs orderId={order.id} ids={e.attachmentIds} size={48} />
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}
