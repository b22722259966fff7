import { PlusOutlined } from '@ant-design/icons';
import type { ClassSeriesView, OrgKind, SeriesAttendance } from '@haitang/contracts';
import { Alert, Button, Drawer, Form, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import { useOrgTree } from '../org/use-org-tree';
import { chinaTime } from './labels';

const SERIES_ORG_KINDS: readonly OrgKind[] = ['street', 'community', 'grid'];

/** Class series (微课堂): the list, a new series, and each member's attendance across the sessions. */
export function ClassSeriesPanel({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const { ok, fail } = useNotify();
  const org = useOrgTree();
  const list = useLoad(() => api.get<{ items: ClassSeriesView[] }>('/api/class-series'), []);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ orgId: number; title: string; description?: string }>();
  const attendance = useLoad(openId ? () => api.get<SeriesAttendance>(`/api/class-series/${openId}/attendance`) : null, [openId]);
  const a = attendance.data;
  return (
    <div>
      {canWrite && (
        <div className="ht-toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setCreating(true); }} data-testid="series-create">{t('common.create')}</Button>
        </div>
      )}
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<ClassSeriesView>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('series.title'), dataIndex: 'title', render: (v: string, s) => <a onClick={() => setOpenId(s.id)} data-testid={`series-${s.id}`}>{v}</a> },
          { title: t('common.org'), dataIndex: 'orgName' },
          { title: t('series.sessions'), dataIndex: 'sessions' },
          { title: t('common.description'), dataIndex: 'description', ellipsis: true },
        ]}
      />
      <Modal
        open={creating}
        title={t('common.create')}
        onCancel={() => setCreating(false)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (!v) return;
          try {
            await api.post('/api/class-series', { orgId: v.orgId, title: v.title.trim(), description: v.description?.trim() || null });
            ok(t('common.saved'));
            setCreating(false);
            list.reload();
          } catch (error) {
            fail(error);
          }
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="title" label={t('series.title')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}><Input maxLength={80} /></Form.Item>
          <Form.Item name="orgId" label={t('activity.org')} rules={[{ required: true, message: t('common.required') }]}><OrgTreeSelect tree={org.tree} selectableKinds={SERIES_ORG_KINDS} /></Form.Item>
          <Form.Item name="description" label={t('common.description')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} size="large" title={a?.series.title ?? t('common.loading')} destroyOnHidden>
        {attendance.error && <Alert type="error" showIcon title={attendance.error} />}
        {a && (
          <>
            <div className="ht-hint" style={{ marginBottom: 8 }}>{t('series.hint')}</div>
            <Table
              rowKey="residentId"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={a.members}
              data-testid="series-attendance"
              columns={[
                { title: t('common.name'), dataIndex: 'name', fixed: 'left' as const },
                ...a.sessions.map((s, i) => ({
                  title: (
                    <span title={s.materials.map((m) => m.title).join('、')}>
                      {s.title}
                      <div className="ht-hint">{chinaTime(s.startsAt).slice(5, 10)} · {s.attended}</div>
                    </span>
                  ),
                  key: `s${s.id}`,
                  render: (_: unknown, m: SeriesAttendance['members'][number]) =>
                    m.marks[i] === 'present' ? (
                      <Tag color="green">✓</Tag>
                    ) : m.marks[i] === 'absent' ? (
                      <Tag color="red">{t('series.absent')}</Tag>
                    ) : m.marks[i] === 'upcoming' ? (
                      <Tag>{t('series.upcoming')}</Tag>
                    ) : (
                      '—'
                    ),
                })),
                { title: t('series.rate'), dataIndex: 'rate', render: (r: number, m) => `${m.attended} · ${r}%` },
              ]}
            />
          </>
        )}
      </Drawer>
    </div>
  );
}
