import type { OrderSummary } from '@haitang/contracts';
import { Grid, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { formatTime } from './labels';
import { SlaTag, StateTag, UrgencyTag } from './order-tags';

interface Props {
  items: OrderSummary[];
  total: number;
  loading: boolean;
  page: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
}

/** The order list: a table on a desk, a list of cards on a phone. */
export function OrderTable({ items, total, loading, page, pageSize, onPage }: Props) {
  const { t } = useI18n();
  const isPhone = !Grid.useBreakpoint().md;
  const pagination = {
    current: page,
    pageSize,
    total,
    showSizeChanger: !isPhone,
    size: isPhone ? ('small' as const) : undefined,
    showTotal: (n: number) => t('common.total', { n }),
    onChange: (p: number, size: number) => onPage(size !== pageSize ? 1 : p, size),
  };

  if (isPhone) {
    return (
      <List<OrderSummary>
        data-testid="order-table"
        loading={loading}
        dataSource={items}
        pagination={{ ...pagination, align: 'center' }}
        renderItem={(o) => (
          <List.Item key={o.id} data-testid={`order-row-${o.id}`}>
            <Link to={`/orders/${o.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space size={4} wrap>
                  <StateTag state={o.state} />
                  {o.urgency !== 'normal' && <UrgencyTag urgency={o.urgency} />}
                  {o.sla && <SlaTag sla={o.sla} dueAt={o.dueAt} />}
                  {o.supervised && <Tag color="volcano">{t('orders.supervised')}</Tag>}
                </Space>
                <Typography.Text strong>{o.title}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {o.number} · {o.categoryName} · {o.orgName}
                  {o.handlerOrgName ? ` → ${o.handlerOrgName}` : ''} · {formatTime(o.createdAt)}
                </Typography.Text>
              </Space>
            </Link>
          </List.Item>
        )}
      />
    );
  }

  const columns: TableColumnsType<OrderSummary> = [
    {
      title: t('orders.number'),
      dataIndex: 'number',
      fixed: 'left',
      render: (number: string, o) => (
        <Link to={`/orders/${o.id}`} data-testid={`order-row-${o.id}`}>
          {number}
        </Link>
      ),
    },
    {
      title: t('orders.title'),
      dataIndex: 'title',
      ellipsis: true,
      width: 260,
      render: (title: string, o) => (
        <Space size={4}>
          {o.supervised && <Tag color="volcano">{t('orders.supervised')}</Tag>}
          {o.praise && <Tag color="gold">{t('orders.praise')}</Tag>}
          <span title={title}>{title}</span>
        </Space>
      ),
    },
    { title: t('orders.category'), dataIndex: 'categoryName' },
    { title: t('common.status'), dataIndex: 'state', render: (_, o) => <StateTag state={o.state} /> },
    { title: t('orders.urgency'), dataIndex: 'urgency', render: (_, o) => <UrgencyTag urgency={o.urgency} /> },
    { title: t('orders.sla'), key: 'sla', render: (_, o) => <SlaTag sla={o.sla} dueAt={o.dueAt} /> },
    { title: t('orders.grid'), dataIndex: 'orgName' },
    { title: t('orders.handler'), dataIndex: 'handlerOrgName', render: (h: string | null) => h ?? '' },
    { title: t('orders.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatTime(at) },
  ];
  return (
    <Table<OrderSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 'max-content' }}
      data-testid="order-table"
      onRow={(o) => ({ style: o.sla === 'overdue' ? { background: '#fff1f0' } : undefined })}
      pagination={pagination}
    />
  );
}
