import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { OrderAction, OrderDetail } from '@haitang/contracts';
import { Alert, App, Button, Card, Descriptions, Grid, Result, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { PublicSettings } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { ActionModal } from '../../features/orders/action-modal';
import { AttachmentThumbs } from '../../features/orders/order-attachments';
import { OrderChecklist } from '../../features/orders/order-checklist';
import { actionLabel, channelLabel, formatTime, satisfactionLabel } from '../../features/orders/labels';
import { OrderMap } from '../../features/orders/order-map';
import { SlaTag, StateTag, UrgencyTag } from '../../features/orders/order-tags';
import { OrderTimeline } from '../../features/orders/order-timeline';
import { ordersApi } from '../../features/orders/orders-api';
import { useCategories } from '../../features/orders/use-categories';
import { useI18n } from '../../i18n';

/** Actions that undo or refuse: shown as danger buttons. */
const DANGER_ACTIONS: readonly OrderAction[] = ['reject', 'return', 'send_back', 'deny_extension', 'reopen'];
/** The main step forward of each state: shown as the primary button. */
const PRIMARY_ACTIONS: readonly OrderAction[] = ['accept', 'dispatch', 'sign', 'reply', 'close', 'callback', 'approve_extension'];

/** One order: header with state and deadline, the allowed actions, checklist, timeline, photos, map. */
export function OrderDetailPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const isPhone = !Grid.useBreakpoint().md;
  const org = useOrgTree();
  const categories = useCategories();
  const settings = useLoad(() => api.get<PublicSettings>('/api/settings/public').catch(() => ({ mapTileUrl: null })), []);
  const loaded = useLoad(Number.isInteger(id) && id > 0 ? () => ordersApi.get(id) : null, [id]);
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [action, setAction] = useState<OrderAction | null>(null);

  useEffect(() => setOrder(loaded.data ?? null), [loaded.data]);

  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/orders'));

  if (!order) {
    if (loaded.error) {
      return (
        <Result
          status="404"
          title={loaded.error}
          extra={<Button onClick={() => navigate('/orders')}>{t('orders.backToList')}</Button>}
        />
      );
    }
    return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  }

  const hasPoint = order.lng !== null && order.lat !== null;
  const eventPhotoIds = new Set(order.events.flatMap((e) => e.attachmentIds).concat(order.items.flatMap((i) => i.attachmentIds)));
  // Photos of the intake itself sit on the first event; the rest show in the timeline and checklist.
  const intakePhotos = order.events[0]?.attachmentIds ?? [];
  const loosePhotos = order.attachments.map((a) => a.id).filter((a) => !eventPhotoIds.has(a));
  const mainPhotos = [...intakePhotos, ...loosePhotos];

  const onDone = (next: OrderDetail | null) => {
    setAction(null);
    if (next) setOrder(next);
    else {
      void message.info(t('orders.leftSight'));
      navigate('/orders', { replace: true });
    }
  };

  const header = (
    <Card size="small" data-testid="order-header" styles={{ body: { padding: isPhone ? 12 : 16 } }}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space size={8} wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('common.back')} data-testid="order-back" />
          <Typography.Text copyable strong data-testid="order-number">
            {order.number}
          </Typography.Text>
          <StateTag state={order.state} />
          <UrgencyTag urgency={order.urgency} />
          {order.sla && <SlaTag sla={order.sla} dueAt={order.dueAt} />}
          {order.supervised && (
            <Tag color="volcano" data-testid="order-supervised">
              {t('orders.supervised')}
            </Tag>
          )}
          {order.praise && <Tag color="gold">{t('orders.praise')}</Tag>}
          {order.onTheSpot && <Tag color="green">{t('orders.onTheSpot')}</Tag>}
          <Button type="text" size="small" icon={<ReloadOutlined />} onClick={loaded.reload} aria-label={t('common.refresh')} />
        </Space>
        <Typography.Title level={isPhone ? 5 : 4} style={{ margin: 0 }} data-testid="order-title">
          {order.title}
        </Typography.Title>
        {order.allowedActions.length > 0 && (
          <Space wrap size={8} data-testid="order-actions">
            {order.allowedActions.map((a) => (
              <Button
                key={a}
                type={PRIMARY_ACTIONS.includes(a) ? 'primary' : 'default'}
                danger={DANGER_ACTIONS.includes(a)}
                onClick={() => setAction(a)}
                data-testid={`action-${a}`}
              >
                {actionLabel(a, locale)}
              </Button>
            ))}
          </Space>
        )}
        {order.pendingExtension && (
          <Alert type="warning" showIcon title={t('orders.pendingExtension', { days: order.pendingExtension.days, note: order.pendingExtension.note })} />
        )}
      </Space>
    </Card>
  );

  const description = (
    <Card size="small" title={t('orders.description')} data-testid="order-description-card">
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>{order.description}</Typography.Paragraph>
      {order.originalDescription !== order.description && (
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
          {t('orders.originalDescription')}: {order.originalDescription}
        </Typography.Paragraph>
      )}
      <AttachmentThumbs orderId={order.id} ids={mainPhotos} size={isPhone ? 72 : 88} testId="order-photos" />
    </Card>
  );

  const facts: { label: string; value: ReactNode }[] = [
    { label: t('orders.category'), value: categories.pathName(order.categoryId) || order.categoryName },
    { label: t('orders.channel'), value: channelLabel(order.channel, locale) + (order.hotlineNumber ? ` · ${order.hotlineNumber}` : '') },
    { label: t('orders.grid'), value: order.orgName },
    { label: t('orders.handler'), value: order.handlerOrgName ?? '—' },
    { label: t('common.address'), value: order.address ?? '—' },
    {
      label: t('orders.reporter'),
      value: order.anonymous
        ? `${t('orders.anonymous')}${order.reporterName ? ` · ${order.reporterName}` : ''}`
        : [order.reporterName, order.reporterPhone].filter(Boolean).join(' · ') || '—',
    },
    { label: t('orders.createdAt'), value: formatTime(order.createdAt) },
  ];
  if (order.signDueAt) facts.push({ label: t('orders.signDueAt'), value: formatTime(order.signDueAt) });
  if (order.handleDueAt) facts.push({ label: t('orders.handleDueAt'), value: formatTime(order.handleDueAt) });
  if (order.extensionDays) facts.push({ label: t('orders.extensionDays'), value: t('orders.event.days', { n: order.extensionDays }) });
  if (order.returnCount) facts.push({ label: t('orders.returnCount'), value: order.returnCount });
  if (order.reopenCount) facts.push({ label: t('orders.reopenCount'), value: order.reopenCount });
  if (order.satisfaction) facts.push({ label: t('orders.satisfaction'), value: satisfactionLabel(order.satisfaction, locale) });
  if (order.praisedPerson) facts.push({ label: t('orders.form.praisePerson'), value: order.praisedPerson });
  if (order.mergedIntoId) facts.push({ label: t('orders.mergedInto'), value: <a onClick={() => navigate(`/orders/${order.mergedIntoId}`)}>#{order.mergedIntoId}</a> });
  if (order.mergedOrderIds.length) {
    facts.push({
      label: t('orders.mergedOrders'),
      value: (
        <Space size={4} wrap>
          {order.mergedOrderIds.map((m) => (
            <a key={m} onClick={() => navigate(`/orders/${m}`)}>
              #{m}
            </a>
          ))}
        </Space>
      ),
    });
  }

  const factsCard = (
    <Card size="small" title={t('orders.facts')}>
      <Descriptions size="small" column={1} items={facts.map((f, i) => ({ key: i, label: f.label, children: f.value }))} data-testid="order-facts" />
    </Card>
  );

  const checklist =
    order.items.length > 0 || (can('order.handle') && ['accepted', 'dispatched', 'in_progress'].includes(order.state)) ? (
      <Card size="small" title={t('orders.items')}>
        <OrderChecklist order={order} canWork={can('order.handle')} orgTree={org.tree} onChanged={setOrder} onStale={loaded.reload} />
      </Card>
    ) : null;

  const timeline = (
    <Card size="small" title={t('orders.timeline')}>
      <OrderTimeline order={order} />
    </Card>
  );

  const map = hasPoint ? (
    <Card size="small" title={t('orders.map')}>
      <OrderMap point={{ lng: order.lng!, lat: order.lat! }} units={org.units} tileUrl={settings.data?.mapTileUrl ?? null} height={isPhone ? 200 : 240} />
    </Card>
  ) : null;

  return (
    <div data-testid="order-detail" style={{ maxWidth: 1200 }}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {loaded.error && <Alert type="error" showIcon title={loaded.error} />}
        {header}
        {isPhone ? (
          <>
            {description}
            {factsCard}
            {checklist}
            {timeline}
            {map}
          </>
        ) : (
          <div className="ht-split">
            <div className="ht-split-main">
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {description}
                {checklist}
                {timeline}
              </Space>
            </div>
            <div className="ht-split-side" style={{ flexBasis: 360 }}>
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {factsCard}
                {map}
              </Space>
            </div>
          </div>
        )}
      </Space>
      <ActionModal
        order={order}
        action={action}
        onClose={() => setAction(null)}
        onDone={onDone}
        onStale={loaded.reload}
      />
    </div>
  );
}
