import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { ORDER_VIEWS, type OrderViewName } from '@haitang/contracts';
import { Alert, Button, Space, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { PublicSettings } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { CreateOrderDrawer } from '../../features/orders/create-order-drawer';
import { IndicatorsCard } from '../../features/orders/indicators-card';
import { filtersFromParams, OrderFilters, type OrderFilterValues } from '../../features/orders/order-filters';
import { OrderTable } from '../../features/orders/order-table';
import { ordersApi } from '../../features/orders/orders-api';
import { useCategories } from '../../features/orders/use-categories';
import { useI18n } from '../../i18n';

type Tab = OrderViewName | 'indicators';
const TABS: readonly Tab[] = [...ORDER_VIEWS, 'indicators'];

/** Work orders: saved views as tabs, search and filters, the list, intake, and the indicators. */
export function OrdersPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const org = useOrgTree();
  const categories = useCategories();
  const settings = useLoad(() => api.get<PublicSettings>('/api/settings/public').catch(() => ({ mapTileUrl: null })), []);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const tabParam = params.get('view') as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'all';
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));

  const list = useLoad(
    tab === 'indicators' ? null : () => ordersApi.list({ ...filters, view: tab, page, pageSize }),
    [tab, filters, page, pageSize],
  );

  /** Writes the list state to the address bar (replace: typing a filter is not a history step). */
  const update = (next: { tab?: Tab; filters?: OrderFilterValues; page?: number; pageSize?: number }) => {
    const p = new URLSearchParams();
    const nextTab = next.tab ?? tab;
    if (nextTab !== 'all') p.set('view', nextTab);
    for (const [k, v] of Object.entries(next.filters ?? filters)) if (v !== undefined && v !== '') p.set(k, String(v));
    const nextPage = next.page ?? (next.filters || next.tab ? 1 : page);
    if (nextPage > 1) p.set('page', String(nextPage));
    const size = next.pageSize ?? pageSize;
    if (size !== 20) p.set('pageSize', String(size));
    setParams(p, { replace: true });
  };

  return (
    <div>
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key as Tab })}
        data-testid="order-views"
        items={TABS.map((key) => ({ key, label: <span data-testid={`order-view-${key}`}>{t(`orders.view.${key}`)}</span> }))}
        tabBarExtraContent={
          <Space>
            {tab !== 'indicators' && <Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={list.reload} />}
            {can('order.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="order-create">
                {t('orders.create')}
              </Button>
            )}
          </Space>
        }
      />
      {tab === 'indicators' ? (
        <IndicatorsCard orgTree={org.tree} />
      ) : (
        <>
          <OrderFilters value={filters} onChange={(f) => update({ filters: f })} orgTree={org.tree} categories={categories.tree} />
          {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
          <OrderTable
            items={list.data?.items ?? []}
            total={list.data?.total ?? 0}
            loading={list.loading}
            page={page}
            pageSize={pageSize}
            onPage={(p, size) => update({ page: p, pageSize: size })}
          />
        </>
      )}
      <CreateOrderDrawer
        open={creating}
        onClose={() => setCreating(false)}
        orgTree={org.tree}
        orgUnits={org.units}
        categories={categories.tree}
        tileUrl={settings.data?.mapTileUrl ?? null}
      />
    </div>
  );
}
