import type { Locale, OrderDetail } from '@haitang/contracts';
import { Timeline } from 'antd';
import { shortTime, stateLabel, stepLabel } from './labels';

/** The steps of an order, newest first, with who did them and what they wrote. */
export function OrderTimeline({ events, locale, attachmentUrl }: { events: OrderDetail['events']; locale: Locale; attachmentUrl: (id: number) => string }) {
  const items = [...events].reverse().map((e) => ({
    key: e.id,
    color: e.toState === 'closed' || e.toState === 'evaluated' ? 'green' : 'blue',
    content: (
      <div>
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
              <a key={id} href={attachmentUrl(id)} target="_blank" rel="noreferrer" className="ht-photo-thumb">
                <img src={attachmentUrl(id)} alt="" loading="lazy" />
              </a>
            ))}
          </div>
        )}
      </div>
    ),
  }));
  return <Timeline items={items} data-testid="order-timeline" />;
}
