import { ACTIVITY_KINDS, type ActivityFigures, type FigureRow } from '@haitang/contracts';
import { Alert, Card, Col, DatePicker, Row, Select, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { beijingToday } from '../common/beijing-today';
import { useLoad } from '../common/use-load';
import { kindLabel } from './labels';

/** The figures of a period: services held, people served, volunteers, hours (by team and by unit). */
export function ActivityFiguresPanel() {
  const { t, locale } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [beijingToday().startOf('year'), beijingToday()]);
  const [kind, setKind] = useState<string | undefined>('service');
  const figures = useLoad(
    () => api.get<ActivityFigures>('/api/activities/figures', { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), kind }),
    [range[0].valueOf(), range[1].valueOf(), kind],
  );
  const f = figures.data;
  const columns = (first: string) => [
    { title: first, dataIndex: 'name', render: (n: string) => n || t('common.none') },
    { title: t('fig.services'), dataIndex: 'services' },
    { title: t('fig.served'), dataIndex: 'served' },
    { title: t('fig.volunteers'), dataIndex: 'volunteers' },
    { title: t('fig.hours'), dataIndex: 'hours' },
    { title: t('fig.perVolunteer'), dataIndex: 'hoursPerVolunteer' },
  ];
  return (
    <div data-testid="activity-figures">
      <div className="ht-toolbar">
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])} />
        <Select allowClear placeholder={t('activity.kind')} value={kind} onChange={setKind} style={{ width: 140 }} options={ACTIVITY_KINDS.map((k) => ({ value: k, label: kindLabel(k, locale) }))} />
      </div>
      {figures.error && <Alert type="error" showIcon title={figures.error} />}
      {f && (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={5}><Card size="small"><Statistic title={t('fig.services')} value={f.total.services} data-testid="fig-services" /></Card></Col>
            <Col xs={12} md={5}><Card size="small"><Statistic title={t('fig.hours')} value={f.total.hours} precision={1} data-testid="fig-hours" /></Card></Col>
            <Col xs={12} md={5}><Card size="small"><Statistic title={t('fig.volunteers')} value={f.total.volunteers} /></Card></Col>
            <Col xs={12} md={5}><Card size="small"><Statistic title={t('fig.served')} value={f.total.served} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('fig.perVolunteer')} value={f.total.hoursPerVolunteer} precision={1} /></Card></Col>
          </Row>
          <Table<FigureRow> rowKey={(r) => `t${r.key}`} size="small" pagination={false} dataSource={f.byTeam} columns={columns(t('activity.team'))} style={{ marginBottom: 16 }} />
          <Table<FigureRow> rowKey={(r) => `o${r.key}`} size="small" pagination={false} dataSource={f.byOrg} columns={columns(t('activity.org'))} />
        </>
      )}
    </div>
  );
}
