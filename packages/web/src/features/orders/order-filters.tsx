import { FilterOutlined } from '@ant-design/icons';
import { CHANNELS, ORDER_STATES, type Channel, type OrderListQuery, type OrderState } from '@haitang/contracts';
import { Button, Checkbox, DatePicker, Grid, Input, Select, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { channelLabel, stateLabel } from './labels';
import type { CategoryNode } from './use-categories';

export type OrderFilterValues = Pick<OrderListQuery, 'q' | 'state' | 'categoryId' | 'orgId' | 'handlerOrgId' | 'channel' | 'overdue' | 'from' | 'to'>;

const INT_KEYS = ['categoryId', 'orgId', 'handlerOrgId'] as const;

/** The filters kept in the address bar, so that going back from an order restores the list. */
export function filtersFromParams(params: URLSearchParams): OrderFilterValues {
  const f: OrderFilterValues = {};
  const q = params.get('q');
  if (q) f.q = q;
  const state = params.get('state');
  if (state && (ORDER_STATES as readonly string[]).includes(state)) f.state = state as OrderState;
  const channel = params.get('channel');
  if (channel && (CHANNELS as readonly string[]).includes(channel)) f.channel = channel as Channel;
  for (const key of INT_KEYS) {
    const n = Number(params.get(key));
    if (Number.isInteger(n) && n > 0) f[key] = n;
  }
  if (params.get('overdue') === 'true') f.overdue = true;
  const from = params.get('from');
  const to = params.get('to');
  if (from && /^\d{4}-\d{2}-\d{2}$/.test(from)) f.from = from;
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(to)) f.to = to;
  return f;
}

interface Props {
  value: OrderFilterValues;
  onChange: (next: OrderFilterValues) => void;
  orgTree: OrgTreeNode[];
  categories: CategoryNode[];
}

/** Keyword search (the server segments Chinese words) and the list filters. */
export function OrderFilters({ value, onChange, orgTree, categories }: Props) {
  const { t, locale } = useI18n();
  const isPhone = !Grid.useBreakpoint().md;
  const [text, setText] = useState(value.q ?? '');
  const [more, setMore] = useState(false);
  useEffect(() => setText(value.q ?? ''), [value.q]);
  const set = (patch: Partial<OrderFilterValues>) => onChange({ ...value, ...patch });
  const active = Object.keys(value).filter((k) => k !== 'q').length;
  const showAll = !isPhone || more;

  return (
    <div className="ht-toolbar" data-testid="order-filters">
      <Input.Search
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        placeholder={t('orders.searchPlaceholder')}
        enterButton
        data-testid="order-search"
        style={{ flex: '1 1 240px' }}
      />
      {isPhone && (
        <Button icon={<FilterOutlined />} onClick={() => setMore((m) => !m)} type={active ? 'primary' : 'default'} ghost={!!active}>
          {t('orders.filters')}
          {active ? ` (${active})` : ''}
        </Button>
      )}
      {showAll && (
        <>
          <Select
            allowClear
            placeholder={t('common.status')}
            value={value.state}
            onChange={(state?: OrderState) => set({ state })}
            options={ORDER_STATES.map((s) => ({ value: s, label: stateLabel(s, locale) }))}
            style={{ width: 120 }}
            data-testid="order-filter-state"
          />
          <TreeSelect
            allowClear
            placeholder={t('orders.category')}
            value={value.categoryId}
            onChange={(categoryId?: number) => set({ categoryId })}
            treeData={categories}
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: 160 }}
            popupMatchSelectWidth={false}
            data-testid="order-filter-category"
          />
          <OrgTreeSelect tree={orgTree} value={value.orgId} onChange={(orgId) => set({ orgId })} allowClear placeholder={t('orders.grid')} testId="order-filter-org" style={{ width: 160 }} />
          <Select
            allowClear
            placeholder={t('orders.channel')}
            value={value.channel}
            onChange={(channel?: Channel) => set({ channel })}
            options={CHANNELS.map((c) => ({ value: c, label: channelLabel(c, locale) }))}
            style={{ width: 130 }}
            data-testid="order-filter-channel"
          />
          <OrgTreeSelect
            tree={orgTree}
            value={value.handlerOrgId}
            onChange={(handlerOrgId) => set({ handlerOrgId })}
            allowClear
            placeholder={t('orders.handler')}
            testId="order-filter-handler"
            style={{ width: 160 }}
          />
          <DatePicker.RangePicker
            value={value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null}
            onChange={(range) =>
              set({ from: range?.[0]?.format('YYYY-MM-DD') ?? undefined, to: range?.[1]?.format('YYYY-MM-DD') ?? undefined })
            }
            style={{ width: 240 }}
            data-testid="order-filter-dates"
          />
          <Checkbox checked={!!value.overdue} onChange={(e) => set({ overdue: e.target.checked || undefined })} data-testid="order-filter-overdue">
            {t('orders.sla.overdue')}
          </Checkbox>
          {active > 0 && (
            <Button type="link" onClick={() => onChange(value.q ? { q: value.q } : {})}>
              {t('common.reset')}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
