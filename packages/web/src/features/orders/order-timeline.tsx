import type { OrderDetail, OrderEventView, Satisfaction } from '@haitang/contracts';
import { Space, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { formatTime, satisfactionLabel, shortTime, stateLabel, stepLabel } from './labels';
import { AttachmentThumbs } from './order-attachments';
import { attachmentUrl } from './orders-api';

/** Console colours, by what a step did: refusals grey, setbacks red, endings green, the rest blue. */
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

/** Phone colours, by where a step led: done green, the rest blue. */
const compactColor = (e: OrderEventView) => (e.toState === 'closed' || e.toState === 'evaluated' ? 'green' : 'blue');

interface Props {
  order: OrderDetail;
  /**
   * The phone field view's layout (needs field.css): the step and the state it led to, short time
   * before the actor, no event details, and every step's photos (the intake ones included, since the
   * phone page shows them nowhere else) as thumbnails that open in a new tab.
   */
  compact?: boolean;
}

/** The append-only history of an order, newest first: who did what when, the state change, the note, the photos. */
export function OrderTimeline({ order, compact = false }: Props) {
  const { t, td, locale } = useI18n();

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

  const compactEvent = (e: OrderEventView): ReactNode => (
    <>
      <div>
        <b>{stepLabel(e.action, locale)}</b>
        {e.toState && e.fromState !== e.toState && <span className="ht-hint"> → {stateLabel(e.toState, locale)}</span>}
      </div>
      <div className="ht-hint">
        {shortTime(e.createdAt)} · {e.actorName}
      </div>
      {e.note && <div className="ht-note">{e.note}</div>}
      {e.attachmentIds.length > 0 && (
        <div className="ht-photo-grid" style={{ marginTop: 4 }}>
          {e.attachmentIds.map((id) => (
            <a key={id} href={attachmentUrl(order.id, id)} target="_blank" rel="noreferrer" className="ht-photo-thumb">
              <img src={attachmentUrl(order.id, id)} alt="" loading="lazy" />
            </a>
          ))}
        </div>
      )}
    </>
  );

  const consoleEvent = (e: OrderEventView): ReactNode => {
    const more = details(e);
    return (
      <>
        <Space size={6} wrap>
          <Typography.Text strong>{stepLabel(e.action, locale, 'registered')}</Typography.Text>
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
        {more.length > 0 && <div style={{ fontSize: 13 }}>{more.join(' · ')}</div>}
        {e.note && <div style={{ whiteSpace: 'pre-wrap', fontSize: 13, marginTop: 2 }}>{e.note}</div>}
        {/* The intake photos are shown with the description. */}
        {e.action !== 'submit' && e.attachmentIds.length > 0 && (
          <div style={{ marginTop: 4 }}>
            <AttachmentThumbs orderId={order.id} ids={e.attachmentIds} size={48} />
          </div>
        )}
      </>
    );
  };

  // Newest first: the latest step is what a reader wants.
  const events = [...order.events].reverse();
  return (
    <Timeline
      data-testid="order-timeline"
      items={events.map((e) => ({
        key: e.id,
        color: compact ? compactColor(e) : (EVENT_COLORS[e.action] ?? 'blue'),
        content: (
          <div data-testid="order-event" data-action={e.action}>
            {compact ? compactEvent(e) : consoleEvent(e)}
          </div>
        ),
      }))}
    />
  );
}
