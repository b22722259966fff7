import type { OrderIndicators } from '@haitang/contracts';
import { Alert, Card, Col, DatePicker, Row, Segmented, Space, Spin, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { beijingToday } from '../common/beijing-today';
import { useLoad } from '../common/use-load';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { ordersApi } from './orders-api';

type Preset = 'month' | 'lastMonth' | 'quarter' | 'year' | 'custom';

function presetRange(preset: Exclude<Preset, 'custom'>, today: Dayjs): [Dayjs, Dayjs] {
  switch (preset) {
    case 'month':
      return [today.startOf('month'), today];
    case 'lastMonth': {
      const last = today.subtract(1, 'month');
      return [last.startOf('month'), last.endOf('month')];
    }
    case 'quarter': {
      const start = today.month(Math.floor(today.month() / 3) * 3).startOf('month');
      return [start, today];
    }
    case 'year':
      return [today.startOf('year'), today];
  }
}

interface Rate {
  key: MessageKey;
  value: number | null;
  /** numerator / denominator, to show what the rate is made of */
  detail: string;
  testId: string;
}

/** The work-order indicators of an org unit over a period (GET /api/orders/indicators). */
export function IndicatorsCard({ orgTree }: { orgTree: OrgTreeNode[] }) {
  const { t } = useI18n();
  const [preset, setPreset] = useState<Preset>('month');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  const [from, to] = useMemo(() => {
    const range = preset === 'custom' && custom ? custom : presetRange(preset === 'custom' ? 'month' : preset, beijingToday());
    return [range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')];
  }, [preset, custom]);
  const loaded = useLoad(() => ordersApi.indicators({ orgId, from, to }), [orgId, from, to]);
  const data = loaded.data;

  const rates: Rate[] = data ? rateList(data) : [];
  const pct = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));

  return (
    <Card
      data-testid="order-indicators"
      title={t('orders.indicators.title')}
      extra={loaded.loading ? <Spin size="small" /> : undefined}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<Preset>
          value={preset}
          onChange={setPreset}
          data-testid="indicators-period"
          options={[
            { value: 'month', label: t('orders.indicators.month') },
            { value: 'lastMonth', label: t('orders.indicators.lastMonth') },
            { value: 'quarter', label: t('orders.indicators.quarter') },
            { value: 'year', label: t('orders.indicators.year') },
            { value: 'custom', label: t('orders.indicators.custom') },
          ]}
        />
        {preset === 'custom' && (
          <DatePicker.RangePicker value={custom ?? [dayjs(from), dayjs(to)]} onChange={(r) => r?.[0] && r[1] && setCustom([r[0], r[1]])} allowClear={false} />
        )}
        <OrgTreeSelect tree={orgTree} value={orgId} onChange={setOrgId} allowClear placeholder={t('orders.indicators.org')} style={{ width: 200 }} />
        <Typography.Text type="secondary">
          {from} ~ {to}
        </Typography.Text>
      </Space>
      {loaded.error && (
<Alert type="error" showIcon title={loaded.error} />
      )}
      {data && (
        <Row gutter={[16, 16]}>
          {rates.map((r) => (
            <Col key={r.key} xs={12} sm={8} lg={6} xl={4}>
              <Statistic
                title={t(r.key)}
                value={pct(r.value)}
                suffix={r.value === null ? undefined : '%'}
                data-testid={r.testId}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.detail}
              </Typography.Text>
            </Col>
          ))}
          <Col xs={12} sm={8} lg={6} xl={4}>
            <Statistic
              title={t('orders.indicators.avgHours')}
              value={data.avgHandlingWorkHours === null ? '—' : data.avgHandlingWorkHours.toFixed(1)}
              suffix={data.avgHandlingWorkHours === null ? undefined : t('orders.indicators.hours')}
              data-testid="indicator-avg-hours"
            />
          </Col>
          <Col xs={12} sm={8} lg={6} xl={4}>
            <Statistic title={t('orders.indicators.praise')} value={data.praise} data-testid="indicator-praise" />
          </Col>
          <Col xs={12} sm={8} lg={6} xl={4}>
            <Statistic title={t('orders.indicators.received')} value={data.received} data-testid="indicator-received" />
          </Col>
        </Row>
      )}
    </Card>
  );
}

function rateList(d: OrderIndicators): Rate[] {
  return [
    { key: 'orders.indicators.closureRate', value: d.closureRate, detail: `${d.closed} / ${d.dueToClose}`, testId: 'indicator-closure' },
    { key: 'orders.indicators.onTimeRate', value: d.onTimeClosureRate, detail: `${d.closedOnTime} / ${d.dueToClose}`, testId: 'indicator-on-time' },
    { key: 'orders.indicators.satisfactionRate', value: d.satisfactionRate, detail: `${d.satisfiedOrBasically} / ${d.callbacks}`, testId: 'indicator-satisfaction' },
    { key: 'orders.indicators.onTheSpotRate', value: d.onTheSpotRate, detail: `${d.onTheSpot} / ${d.accepted}`, testId: 'indicator-on-the-spot' },
    { key: 'orders.indicators.reopenRate', value: d.reopenRate, detail: `${d.reopened} / ${d.everClosed}`, testId: 'indicator-reopen' },
    { key: 'orders.indicators.reworkRate', value: d.reworkRate, detail: `${d.sentBack} / ${d.handled}`, testId: 'indicator-rework' },
    { key: 'orders.indicators.accurateDispatchRate', value: d.accurateDispatchRate, detail: `${d.dispatched - d.returned} / ${d.dispatched}`, testId: 'indicator-accurate-dispatch' },
  ];
}
