import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { OrderAction, OrderDetail } from '@haitang/contracts';
import { Alert, App, Button, Descriptions, Skeleton, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useLoad } from '../../features/common/use-load';
import { ActionSheet } from '../../features/field/action-sheet';
import { SlaTag } from '../../features/field/order-card';
import { actionLabel, shortTime, stateColor, stateLabel, urgencyLabel } from '../../features/orders/labels';
import { OrderTimeline } from '../../features/orders/order-timeline';
import { useI18n } from '../../i18n';
import '../../features/field/field.css';

/** Actions that end or hand over the work come first; warnings (reject, return) last. */
const DANGER: readonly OrderAction[] = ['reject', 'return', 'send_back', 'deny_extension'];

/** One order on the phone: what, where, how late, its steps, and the actions the worker may take. */
export function FieldOrderPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const loaded = useLoad(() => api.get<OrderDetail>(`/api/orders/${id}`), [id]);
  const [fresh, setFresh] = useState<OrderDetail | null>(null);
  const [action, setAction] = useState<OrderAction | null>(null);
  const order = fresh && fresh.id === id && (!loaded.data || fresh.version >= loaded.data.version) ? fresh : loaded.data;

  const reload = useCallback(() => {
    setFresh(null);
    loaded.reload();
  }, [loaded]);

  const done = (next: OrderDetail | null, did: OrderAction) => {
    setAction(null);
    if (!next) {
      message.success(t('field.action.doneGone', { action: actionLabel(did, locale) }));
      navigate('/field', { replace: true });
      return;
    }
    setFresh(next);
    message.success(t('field.action.done', { action: actionLabel(did, locale) }));
  };

  return (
    <div className="ht-field" data-testid="field-order-page">
      <div className="ht-field-head">
        <Link to="/field">
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} data-testid="field-back" />
        </Link>
        <h2>{order?.number ?? t('field.order')}</h2>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loaded.loading} aria-label={t('common.refresh')} />
      </div>
      {loaded.error && !order && (
        <Alert
          type="error"
          showIcon
          title={t('field.loadFailed')}
          description={loaded.error}
          action={
            <Button size="small" onClick={reload}>
              {t('field.retry')}
            </Button>
          }
        />
      )}
      {!order && loaded.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {order && (
        <>
          <div className="ht-order-head">
            <div className="ht-order-card-top">
              <Tag color={stateColor(order.state)} data-testid="field-order-state">
                {stateLabel(order.state, locale)}
              </Tag>
              <SlaTag order={order} />
              {order.urgency !== 'normal' && <Tag color="volcano">{urgencyLabel(order.urgency, locale)}</Tag>}
              {order.onTheSpot && <Tag color="green">{t('field.onTheSpot')}</Tag>}
              {order.supervised && <Tag color="magenta">{t('field.supervised')}</Tag>}
            </div>
            <div className="ht-order-title" data-testid="field-order-title">
              {order.title}
            </div>
            {order.description.trim() !== order.title.trim() && <div className="ht-note">{order.description}</div>}
          </div>
          <Descriptions
            size="small"
            column={1}
            bordered
            className="ht-order-facts"
            items={[
              { key: 'cat', label: t('field.cat.label'), children: order.categoryName },
              { key: 'place', label: t('field.place'), children: [order.orgName, order.address].filter(Boolean).join(' · ') },
              ...(order.handlerOrgName ? [{ key: 'handler', label: t('field.handler'), children: order.handlerOrgName }] : []),
              ...(order.dueAt ? [{ key: 'due', label: t('field.due'), children: shortTime(order.dueAt) }] : []),
              ...(order.reporterName || order.reporterPhone
                ? [{ key: 'reporter', label: t('field.reporter'), children: [order.anonymous ? t('field.anonymous') : order.reporterName, order.reporterPhone].filter(Boolean).join(' · ') }]
                : []),
              { key: 'created', label: t('field.created'), children: shortTime(order.createdAt) },
            ]}
          />
          {order.pendingExtension && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 12 }}
              title={t('field.pendingExtension', { days: order.pendingExtension.days })}
              description={order.pendingExtension.note}
            />
          )}
          {order.items.length > 0 && (
            <div className="ht-section">
              <h3>{t('field.items')}</h3>
              {order.items.map((item) => (
                <div key={item.id} className="ht-item">
                  <Tag color={item.state === 'done' ? 'green' : item.state === 'waived' ? 'default' : item.overdue ? 'red' : 'blue'}>{t(`field.item.${item.state}`)}</Tag>
                  <span>{item.title}</span>
                  {item.ownerOrgName || item.ownerName ? <span className="ht-hint"> · {item.ownerOrgName ?? item.ownerName}</span> : null}
                </div>
              ))}
            </div>
          )}
          {order.items.some((i) => i.state === 'open') && (
            <div className="ht-hint" style={{ marginTop: 8 }}>
              {t('field.itemsOpenHint')} <Link to={`/orders/${order.id}`}>{t('field.fullView')}</Link>
            </div>
          )}
          <div className="ht-section">
            <h3>{t('field.timeline')}</h3>
            <OrderTimeline order={order} compact />
          </div>
          <div className={order.allowedActions.length ? 'ht-action-bar' : 'ht-action-none'} data-testid="field-actions">
            {order.allowedActions.length === 0 ? (
              <div className="ht-hint" data-testid="field-no-actions">
                {t('field.noActions')}
              </div>
            ) : (
              [...order.allowedActions]
                .sort((a, b) => Number(DANGER.includes(a)) - Number(DANGER.includes(b)))
                .map((a, i) => (
                  <Button
                    key={a}
                    size="large"
                    type={i === 0 && !DANGER.includes(a) ? 'primary' : 'default'}
                    danger={DANGER.includes(a)}
                    onClick={() => setAction(a)}
                    data-testid={`action-${a}`}
                  >
                    {actionLabel(a, locale)}
                  </Button>
                ))
            )}
          </div>
          <div style={{ textAlign: 'center', marginTop: 8 }}>
            <Link to={`/orders/${order.id}`} className="ht-hint" data-testid="field-full-view">
              {t('field.fullView')}
            </Link>
          </div>
          <ActionSheet order={order} action={action} onClose={() => setAction(null)} onDone={done} onConflict={reload} />
        </>
      )}
    </div>
  );
}
