import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Segmented, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { OrderCard } from '../../features/field/order-card';
import { useOpenOrders } from '../../features/field/use-open-orders';
import { useI18n } from '../../i18n';
import '../../features/field/field.css';

type Filter = 'all' | 'late' | 'mine';

/** The grid worker's phone view: the open orders of the grid, most urgent first, and "log a problem". */
export function FieldPage() {
  const { t } = useI18n();
  const { data, loading, error, reload } = useOpenOrders();
  const [filter, setFilter] = useState<Filter>('all');

  const items = useMemo(() => {
    const all = data?.items ?? [];
    if (filter === 'late') return all.filter((o) => o.sla === 'overdue' || o.sla === 'warning');
    // Dispatched to a unit for handling (the grid's own work), as opposed to waiting at the community.
    if (filter === 'mine') return all.filter((o) => o.state === 'dispatched' || o.state === 'in_progress' || o.state === 'accepted');
    return all;
  }, [data, filter]);
  const late = data?.items.filter((o) => o.sla === 'overdue' || o.sla === 'warning').length ?? 0;

  return (
    <div className="ht-field" data-testid="field-page">
      <div className="ht-field-head">
        <h2>{t('field.title')}</h2>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading} aria-label={t('common.refresh')} data-testid="field-reload" />
      </div>
      <Link to="/field/new" data-testid="field-new">
        <Button type="primary" size="large" block icon={<PlusOutlined />}>
          {t('field.new')}
        </Button>
      </Link>
      <Segmented<Filter>
        block
        style={{ margin: '12px 0' }}
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('field.filter.all', { n: data?.items.length ?? 0 }) },
          { value: 'late', label: t('field.filter.late', { n: late }) },
          { value: 'mine', label: t('field.filter.working') },
        ]}
      />
      {error && (
        <Alert
          type="error"
          showIcon
          title={t('field.loadFailed')}
          description={error}
          action={
            <Button size="small" onClick={reload}>
              {t('field.retry')}
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {loading && !data && <Skeleton active paragraph={{ rows: 6 }} />}
      {data && items.length === 0 && <Empty description={filter === 'all' ? t('field.empty') : t('field.emptyFilter')} />}
      <div className="ht-order-list" data-testid="field-orders">
        {items.map((o) => (
          <OrderCard key={o.id} order={o} />
        ))}
      </div>
      {data?.truncated && <div className="ht-hint">{t('field.truncated')}</div>}
    </div>
  );
}
