import { ClockCircleOutlined, EnvironmentOutlined, RightOutlined } from '@ant-design/icons';
import type { OrderSummary } from '@haitang/contracts';
import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { shortTime, stateColor, stateLabel, urgencyLabel } from '../orders/labels';
import { hoursLeft } from './sla';

/** The SLA mark of an open order: overdue (red), close to its deadline (orange), or nothing. */
export function SlaTag({ order }: { order: Pick<OrderSummary, 'sla' | 'dueAt'> }) {
  const { t } = useI18n();
  if (!order.sla || order.sla === 'ok' || !order.dueAt) return null;
  const h = hoursLeft(order.dueAt);
  if (order.sla === 'overdue') {
    return (
      <Tag color="red" data-testid="sla-overdue">
        {t('field.sla.overdue', { h: Math.max(1, -h) })}
      </Tag>
    );
  }
  return (
    <Tag color="orange" data-testid="sla-warning">
      {t('field.sla.warning', { h: Math.max(0, h) })}
    </Tag>
  );
}

/** One order in the field list: big enough to tap, the deadline and place at a glance. */
export function OrderCard({ order }: { order: OrderSummary }) {
  const { t, locale } = useI18n();
  const edge = order.sla === 'overdue' ? 'ht-card-overdue' : order.sla === 'warning' ? 'ht-card-warning' : '';
  return (
    <Link to={`/field/orders/${order.id}`} className={`ht-order-card ${edge}`} data-testid="field-order" data-number={order.number}>
      <div className="ht-order-card-top">
        <Tag color={stateColor(order.state)}>{stateLabel(order.state, locale)}</Tag>
        <SlaTag order={order} />
        {order.urgency !== 'normal' && <Tag color="volcano">{urgencyLabel(order.urgency, locale)}</Tag>}
        {order.supervised && <Tag color="magenta">{t('field.supervised')}</Tag>}
        <span className="ht-order-card-number">{order.number}</span>
      </div>
      <div className="ht-order-card-title">{order.title}</div>
      <div className="ht-order-card-meta">
        <span>{order.categoryName}</span>
        <span>
          <EnvironmentOutlined /> {order.address || order.orgName}
        </span>
        {order.dueAt && (
          <span>
            <ClockCircleOutlined /> {t('field.dueAt', { at: shortTime(order.dueAt) })}
          </span>
        )}
      </div>
      <RightOutlined className="ht-order-card-arrow" />
    </Link>
  );
}
