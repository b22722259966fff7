import { PlusOutlined } from '@ant-design/icons';
import {
  REDEMPTION_STATUS_LABELS,
  type CertificateView,
  type OrgKind,
  type RedemptionView,
  type RewardView,
  type VolunteerProfile,
} from '@haitang/contracts';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { VolunteerProfileView } from '../../features/activities/volunteer-profile';
import { chinaTime } from '../../features/activities/labels';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useNotify } from '../../features/common/use-notify';
import { OrgTreeSelect } from '../../features/org/org-tree-select';
import { useOrgTree } from '../../features/org/use-org-tree';
import { ResidentPicker } from '../../features/residents/resident-picker';
import { useI18n } from '../../i18n';

/** Volunteers' records (hours, stars, certificates) and the points shop (rewards, redemptions). */
export function VolunteersPage() {
  const { t } = useI18n();
  return (
    <Tabs
      items={[
        { key: 'profile', label: t('vol.tab.profile'), children: <ProfileTab /> },
        { key: 'rewards', label: t('vol.tab.rewards'), children: <RewardsTab /> },
      ]}
    />
  );
}

function ProfileTab() {
  const { t } = useI18n();
  const { can } = useSession();
  const { ok, fail } = useNotify();
  const [residentId, setResidentId] = useState<number | undefined>();
  const profile = useLoad(residentId ? () => api.get<VolunteerProfile>(`/api/volunteers/${residentId}`) : null, [residentId]);
  const [issuing, setIssuing] = useState(false);
  const issue = async () => {
    setIssuing(true);
    try {
      const cert = await api.post<CertificateView>(`/api/volunteers/${residentId}/certificates`, {});
      ok(t('vol.issued', { number: cert.number }));
      profile.reload();
    } catch (error) {
      fail(error);
    } finally {
      setIssuing(false);
    }
  };
  return (
    <div>
      <div style={{ maxWidth: 420, marginBottom: 16 }}>
        <ResidentPicker value={residentId} onChange={(id) => setResidentId(id)} testId="vol-resident" />
      </div>
      {!residentId && <div className="ht-hint">{t('vol.pick')}</div>}
      {profile.error && <Alert type="error" showIcon title={profile.error} />}
      {profile.data && <VolunteerProfileView profile={profile.data} onIssue={can('activity.write') ? issue : undefined} issuing={issuing} />}
    </div>
  );
}

const REWARD_ORG_KINDS: readonly OrgKind[] = ['street', 'community'];

function RewardsTab() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { ok, fail } = useNotify();
  const org = useOrgTree();
  const rewards = useLoad(() => api.get<{ items: RewardView[] }>('/api/rewards'), []);
  const [status, setStatus] = useState<string | undefined>('pending');
  const redemptions = useLoad(() => api.get<{ items: RedemptionView[] }>('/api/redemptions', { status }), [status]);
  const [editing, setEditing] = useState<{ reward: RewardView | null } | null>(null);
  const [deciding, setDeciding] = useState<{ r: RedemptionView; approve: boolean } | null>(null);
  const [picking, setPicking] = useState<RedemptionView | null>(null);
  const [text, setText] = useState('');
  const canWrite = can('activity.write');
  const [form] = Form.useForm<{ orgId: number; name: string; description?: string; cost: number; stock: number; status?: 'active' | 'retired' }>();

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      ok(t('common.saved'));
      rewards.reload();
      redemptions.reload();
      return true;
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') redemptions.reload();
      return false;
    }
  };

  const openEditor = (reward: RewardView | null) => {
    form.resetFields();
    if (reward) form.setFieldsValue({ orgId: reward.orgId, name: reward.name, description: reward.description ?? '', cost: reward.cost, stock: reward.stock, status: reward.status });
    setEditing({ reward });
  };

  return (
    <div>
      <div className="ht-toolbar">
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => openEditor(null)} data-testid="reward-create">{t('common.create')}</Button>}
      </div>
      <Table<RewardView>
        rowKey="id"
        size="small"
        loading={rewards.loading}
        dataSource={rewards.data?.items ?? []}
        pagination={false}
        data-testid="reward-table"
        columns={[
          { title: t('reward.name'), dataIndex: 'name' },
          { title: t('reward.cost'), dataIndex: 'cost' },
          { title: t('reward.stock'), dataIndex: 'stock' },
          { title: t('common.org'), dataIndex: 'orgName' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{s === 'active' ? '✓' : '—'}</Tag> },
          { title: t('common.actions'), key: 'a', render: (_, r) => (canWrite ? <a onClick={() => openEditor(r)}>{t('common.edit')}</a> : null) },
        ]}
      />
      <div className="ht-toolbar" style={{ marginTop: 24 }}>
        <strong>{t('reward.redemptions')}</strong>
        <Select allowClear value={status} onChange={setStatus} style={{ width: 140 }} options={Object.entries(REDEMPTION_STATUS_LABELS).map(([k, v]) => ({ value: k, label: v[locale] }))} />
      </div>
      <Table<RedemptionView>
        rowKey="id"
        size="small"
        loading={redemptions.loading}
        dataSource={redemptions.data?.items ?? []}
        pagination={false}
        data-testid="redemption-table"
        columns={[
          { title: t('reward.resident'), dataIndex: 'residentName' },
          { title: t('reward.name'), dataIndex: 'rewardName' },
          { title: t('reward.cost'), dataIndex: 'points' },
          { title: t('activity.time'), dataIndex: 'createdAt', render: (v: string) => chinaTime(v) },
          { title: t('common.status'), dataIndex: 'status', render: (s: RedemptionView['status'], r) => <span>{REDEMPTION_STATUS_LABELS[s][locale]}{r.reason ? ` · ${r.reason}` : ''}</span> },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, r) =>
              !canWrite ? null : r.status === 'pending' ? (
                <Space>
                  <a onClick={() => run(() => api.post(`/api/redemptions/${r.id}/decide`, { version: r.version, approve: true }))} data-testid={`redemption-approve-${r.id}`}>{t('reward.approve')}</a>
                  <a onClick={() => { setText(''); setDeciding({ r, approve: false }); }}>{t('reward.reject')}</a>
                </Space>
              ) : r.status === 'approved' ? (
                <a onClick={() => { setText(''); setPicking(r); }} data-testid={`redemption-pickup-${r.id}`}>{t('reward.pickup')}</a>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.reward ? `${t('common.edit')} · ${editing.reward.name}` : t('common.create')}
        onCancel={() => setEditing(null)}
        okButtonProps={{ 'data-testid': 'reward-save' }}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (!v) return;
          const body = { name: v.name.trim(), description: v.description?.trim() || null, cost: v.cost, stock: v.stock };
          const done = await run(() =>
            editing?.reward
              ? api.patch(`/api/rewards/${editing.reward.id}`, { version: editing.reward.version, ...body, status: v.status })
              : api.post('/api/rewards', { ...body, orgId: v.orgId }),
          );
          if (done) setEditing(null);
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label={t('reward.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}><Input maxLength={60} data-testid="reward-name" /></Form.Item>
          <Form.Item name="orgId" label={t('common.org')} rules={[{ required: true, message: t('common.required') }]}>
            <OrgTreeSelect tree={org.tree} selectableKinds={REWARD_ORG_KINDS} disabled={!!editing?.reward} testId="reward-org" />
          </Form.Item>
          <Form.Item name="cost" label={t('reward.cost')} rules={[{ required: true, message: t('common.required') }]}><InputNumber min={1} data-testid="reward-cost" /></Form.Item>
          <Form.Item name="stock" label={t('reward.stock')} rules={[{ required: true, message: t('common.required') }]}><InputNumber min={0} data-testid="reward-stock" /></Form.Item>
          <Form.Item name="description" label={t('common.description')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          {editing?.reward && (
            <Form.Item name="status" label={t('common.status')}>
              <Select options={[{ value: 'active', label: '✓' }, { value: 'retired', label: '—' }]} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={!!deciding}
        title={t('reward.reject')}
        okButtonProps={{ danger: true, disabled: !text.trim() }}
        onCancel={() => setDeciding(null)}
        onOk={async () => {
          if (await run(() => api.post(`/api/redemptions/${deciding!.r.id}/decide`, { version: deciding!.r.version, approve: false, reason: text.trim() }))) setDeciding(null);
        }}
      >
        <Input.TextArea rows={2} maxLength={200} placeholder={t('reward.rejectReason')} value={text} onChange={(e) => setText(e.target.value)} />
      </Modal>
      <Modal
        open={!!picking}
        title={`${t('reward.pickup')} · ${picking?.rewardName ?? ''}`}
        okButtonProps={{ disabled: !/^\d{6}$/.test(text.trim()), 'data-testid': 'pickup-ok' }}
        onCancel={() => setPicking(null)}
        onOk={async () => {
          if (await run(() => api.post(`/api/redemptions/${picking!.id}/pickup`, { version: picking!.version, pickupCode: text.trim() }))) setPicking(null);
        }}
      >
        <Input maxLength={6} placeholder={t('reward.pickupHint')} value={text} onChange={(e) => setText(e.target.value)} data-testid="pickup-code" />
      </Modal>
    </div>
  );
}
