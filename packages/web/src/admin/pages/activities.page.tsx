import { PlusOutlined } from '@ant-design/icons';
import { ACTIVITY_KINDS, ACTIVITY_STATUSES, type ActivityList, type ActivityView } from '@haitang/contracts';
import { Alert, Button, Checkbox, Select, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { ActivityDrawer } from '../../features/activities/activity-drawer';
import { ActivityModal } from '../../features/activities/activity-modal';
import { ActivityFiguresPanel } from '../../features/activities/activity-figures';
import { ClassSeriesPanel } from '../../features/activities/class-series';
import { kindLabel, STATUS_COLOR, statusLabel, timeRange } from '../../features/activities/labels';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { useI18n } from '../../i18n';

/** Activities of the area: services, classes, study sessions and events, with their sign-ups. */
export function ActivitiesPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const org = useOrgTree();
  const [status, setStatus] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [upcoming, setUpcoming] = useState(true);
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<ActivityList>('/api/activities', { status, kind, upcoming: upcoming || undefined, page, pageSize: 20 }), [status, kind, upcoming, page]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ activity: ActivityView | null } | null>(null);
  const canWrite = can('activity.write');

  const listTab = (
    <div>
      <div className="ht-toolbar">
        <Select allowClear placeholder={t('common.status')} value={status} onChange={(v) => { setStatus(v); setPage(1); }} style={{ width: 130 }}
          options={ACTIVITY_STATUSES.map((s) => ({ value: s, label: statusLabel(s, locale) }))} data-testid="activity-filter-status" />
        <Select allowClear placeholder={t('activity.kind')} value={kind} onChange={(v) => { setKind(v); setPage(1); }} style={{ width: 130 }}
          options={ACTIVITY_KINDS.map((k) => ({ value: k, label: kindLabel(k, locale) }))} />
        <Checkbox checked={upcoming} onChange={(e) => { setUpcoming(e.target.checked); setPage(1); }} data-testid="activity-filter-upcoming">{t('activity.upcoming')}</Checkbox>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ activity: null })} data-testid="activity-create">
            {t('common.create')}
          </Button>
        )}
      </div>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<ActivityView>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }) }}
        data-testid="activity-table"
        columns={[
          { title: t('activity.title'), dataIndex: 'title', render: (title: string, a) => <a onClick={() => setOpenId(a.id)} data-testid={`activity-row-${a.id}`}>{title}</a> },
          { title: t('activity.kind'), dataIndex: 'kind', render: (k: ActivityView['kind']) => kindLabel(k, locale) },
          { title: t('activity.time'), key: 'time', render: (_, a) => timeRange(a.startsAt, a.endsAt) },
          { title: t('activity.place'), dataIndex: 'place' },
          { title: t('activity.org'), key: 'org', render: (_, a) => a.teamName ?? a.orgName },
          { title: t('activity.capacity'), key: 'seats', render: (_, a) => `${a.confirmedCount} / ${a.capacity ?? t('activity.unlimited')}${a.waitingCount ? ` (+${a.waitingCount})` : ''}` },
          { title: t('common.status'), dataIndex: 'status', render: (s: ActivityView['status']) => <Tag color={STATUS_COLOR[s]}>{statusLabel(s, locale)}</Tag> },
        ]}
      />
      <ActivityDrawer activityId={openId} canWrite={canWrite} onClose={() => setOpenId(null)} onEdit={(a) => setEditing({ activity: a })} onChanged={list.reload} />
      <ActivityModal
        open={!!editing}
        editing={editing?.activity ?? null}
        tree={org.tree}
        onClose={() => setEditing(null)}
        onStale={() => { list.reload(); setEditing(null); }}
        onSaved={(a) => {
          setEditing(null);
          list.reload();
          setOpenId(a.id);
        }}
      />
    </div>
  );
  return (
    <Tabs
      items={[
        { key: 'list', label: t('activity.tab.list'), children: listTab },
        { key: 'series', label: t('activity.tab.series'), children: <ClassSeriesPanel canWrite={canWrite} /> },
        { key: 'figures', label: t('activity.tab.figures'), children: <ActivityFiguresPanel /> },
      ]}
    />
  );
}
