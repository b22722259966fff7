import { PictureOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CLAIMANT_KINDS,
  WISH_CHANNEL_LABELS,
  WISH_CHANNELS,
  WISH_STATUS_LABELS,
  WISH_STATUSES,
  type AllianceMemberView,
  type ClaimantKind,
  type OrgKind,
  type PhotoInput,
  type TeamView,
  type WishView,
} from '@haitang/contracts';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { chinaTime } from '../../features/activities/labels';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useNotify } from '../../features/common/use-notify';
import { PhotoPicker } from '../../features/field/photo-picker';
import { OrgTreeSelect } from '../../features/org/org-tree-select';
import { useOrgTree } from '../../features/org/use-org-tree';
import { ResidentPicker } from '../../features/residents/resident-picker';
import { useI18n } from '../../i18n';

const WISH_ORG_KINDS: readonly OrgKind[] = ['community', 'grid', 'micro_grid'];
type Step = 'reject' | 'fulfil' | 'thank';

/** The wish box: record, verify, publish, claim (several at once), contact, fulfil with a photo, thank. */
export function WishesPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { ok, fail } = useNotify();
  const org = useOrgTree();
  const [status, setStatus] = useState<string | undefined>();
  const list = useLoad(() => api.get<{ items: WishView[] }>('/api/wishes', { status }), [status]);
  const teams = useLoad(() => api.get<{ items: TeamView[] }>('/api/teams'), []);
  const units = useLoad(() => api.get<{ items: AllianceMemberView[] }>('/api/alliance'), []);
  const [selected, setSelected] = useState<number[]>([]);
  const [creating, setCreating] = useState(false);
  const [claiming, setClaiming] = useState(false);
  const [stepping, setStepping] = useState<{ wish: WishView; step: Step } | null>(null);
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<PhotoInput[]>([]);
  const [claim, setClaim] = useState<{ kind: ClaimantKind; id?: number }>({ kind: 'team' });
  const [form] = Form.useForm<{ orgId: number; channel: string; residentId?: number; wisherName?: string; content: string }>();
  const canWrite = can('activity.write');

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      ok(t('common.saved'));
      list.reload();
      return true;
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.status === 409)) list.reload();
      return false;
    }
  };
  const post = (w: WishView, step: string, body: object = {}) => run(() => api.post(`/api/wishes/${w.id}/${step}`, { version: w.version, ...body }));
  const claimable = (list.data?.items ?? []).filter((w) => selected.includes(w.id) && w.status === 'published');

  return (
    <div>
      <div className="ht-toolbar">
        <Select allowClear placeholder={t('common.status')} value={status} onChange={(v) => { setStatus(v); setSelected([]); }} style={{ width: 140 }}
          options={WISH_STATUSES.map((s) => ({ value: s, label: WISH_STATUS_LABELS[s][locale] }))} data-testid="wish-filter-status" />
        {canWrite && (
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); form.setFieldsValue({ channel: 'box' }); setCreating(true); }} data-testid="wish-create">
              {t('common.create')}
            </Button>
            <Button disabled={!claimable.length} onClick={() => { setClaim({ kind: 'team' }); setClaiming(true); }} data-testid="wish-claim">
              {t('wish.claimSelected', { n: claimable.length })}
            </Button>
          </>
        )}
      </div>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<WishView>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="wish-table"
        rowSelection={canWrite ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (w) => ({ disabled: w.status !== 'published' }) } : undefined}
        columns={[
          { title: t('wish.content'), dataIndex: 'content', render: (c: string, w) => <span data-testid={`wish-${w.id}`}>{c}</span> },
          { title: t('wish.wisher'), dataIndex: 'wisherName' },
          { title: t('wish.channel'), dataIndex: 'channel', render: (c: WishView['channel']) => WISH_CHANNEL_LABELS[c][locale] },
          { title: t('common.org'), dataIndex: 'orgName' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: WishView['status'], w) => (
              <Space size={4}>
                <Tag color={s === 'published' ? 'orange' : s === 'thanked' || s === 'fulfilled' ? 'green' : s === 'rejected' ? 'default' : 'blue'}>{WISH_STATUS_LABELS[s][locale]}</Tag>
                {w.priority > 0 && <Tag color="red">{t('wish.waitingFor', { n: w.priority })}</Tag>}
                {w.contactOverdue && <Tag color="red">{t('wish.overdue')}</Tag>}
              </Space>
            ),
          },
          { title: t('wish.claimant'), dataIndex: 'claimantName', render: (n: string | null, w) => (n ? `${n}${w.contactDueAt && w.status === 'claimed' ? ` · ${t('wish.contactDue')} ${chinaTime(w.contactDueAt).slice(0, 10)}` : ''}` : '') },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, w) => {
              if (!canWrite) return null;
              const links: [string, () => void][] = [];
              if (w.status === 'collected') links.push([t('wish.verify'), () => post(w, 'verify', { approve: true })], [t('wish.reject'), () => { setText(''); setStepping({ wish: w, step: 'reject' }); }]);
              if (w.status === 'verified') links.push([t('wish.publish'), () => post(w, 'publish')]);
              if (w.status === 'claimed') links.push([t('wish.contact'), () => post(w, 'contact')]);
              if (w.status === 'contacted') links.push([t('wish.fulfil'), () => { setText(''); setPhotos([]); setStepping({ wish: w, step: 'fulfil' }); }]);
              if (w.status === 'fulfilled') links.push([t('wish.thank'), () => { setText(''); setStepping({ wish: w, step: 'thank' }); }]);
              return (
                <Space>
                  {links.map(([label, onClick]) => <a key={label} onClick={onClick} data-testid={`wish-act-${w.id}`}>{label}</a>)}
                  {w.photoIds.map((p) => <a key={p} href={`/api/wishes/${w.id}/photos/${p}`} target="_blank" rel="noreferrer" aria-label="photo"><PictureOutlined /></a>)}
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('common.create')}
        onCancel={() => setCreating(false)}
        okButtonProps={{ 'data-testid': 'wish-save' }}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (!v) return;
          const body = { orgId: v.orgId, channel: v.channel, content: v.content.trim(), ...(v.residentId ? { residentId: v.residentId } : { wisherName: v.wisherName?.trim() }) };
          if (await run(() => api.post('/api/wishes', body))) setCreating(false);
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="content" label={t('wish.content')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}><Input.TextArea rows={2} maxLength={500} data-testid="wish-content" /></Form.Item>
          <Form.Item name="channel" label={t('wish.channel')}><Select options={WISH_CHANNELS.map((c) => ({ value: c, label: WISH_CHANNEL_LABELS[c][locale] }))} /></Form.Item>
          <Form.Item name="orgId" label={t('common.org')} rules={[{ required: true, message: t('common.required') }]}>
            <OrgTreeSelect tree={org.tree} selectableKinds={WISH_ORG_KINDS} testId="wish-org" />
          </Form.Item>
          <Form.Item name="residentId" label={t('wish.wisher')}><ResidentPicker testId="wish-resident" /></Form.Item>
          <Form.Item name="wisherName" label={t('wish.byName')}><Input maxLength={40} data-testid="wish-name" /></Form.Item>
        </Form>
      </Modal>
      <Modal
        open={claiming}
        title={t('wish.claimSelected', { n: claimable.length })}
        onCancel={() => setClaiming(false)}
        okButtonProps={{ disabled: !claim.id, 'data-testid': 'wish-claim-ok' }}
        onOk={async () => {
          const key = claim.kind === 'person' ? 'residentId' : claim.kind === 'team' ? 'teamId' : 'allianceId';
          if (await run(() => api.post('/api/wish-claims', { wishIds: claimable.map((w) => w.id), claimantKind: claim.kind, [key]: claim.id }))) {
            setClaiming(false);
            setSelected([]);
          }
        }}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select value={claim.kind} onChange={(kind) => setClaim({ kind })} options={CLAIMANT_KINDS.map((k) => ({ value: k, label: t(`wish.kind.${k}`) }))} style={{ width: 160 }} />
          {claim.kind === 'person' && <ResidentPicker value={claim.id} onChange={(id) => setClaim({ kind: 'person', id })} testId="wish-claim-resident" />}
          {claim.kind === 'team' && (
            <Select value={claim.id} onChange={(id) => setClaim({ kind: 'team', id })} style={{ width: '100%' }} options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} data-testid="wish-claim-team" />
          )}
          {claim.kind === 'unit' && (
            <Select value={claim.id} onChange={(id) => setClaim({ kind: 'unit', id })} style={{ width: '100%' }} options={(units.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
          )}
        </Space>
      </Modal>
      <Modal
        open={!!stepping}
        title={stepping ? (stepping.step === 'reject' ? t('wish.reject') : stepping.step === 'fulfil' ? t('wish.fulfil') : t('wish.thank')) : ''}
        onCancel={() => setStepping(null)}
        okButtonProps={{ disabled: !text.trim() || (stepping?.step === 'fulfil' && !photos.length), 'data-testid': 'wish-step-ok' }}
        onOk={async () => {
          const s = stepping!;
          const done =
            s.step === 'reject'
              ? await post(s.wish, 'verify', { approve: false, reason: text.trim() })
              : s.step === 'fulfil'
                ? await post(s.wish, 'fulfil', { note: text.trim(), photos })
                : await post(s.wish, 'thank', { note: text.trim() });
          if (done) setStepping(null);
        }}
        destroyOnHidden
      >
        <Input.TextArea
          rows={2}
          maxLength={stepping?.step === 'reject' ? 200 : 500}
          placeholder={stepping?.step === 'reject' ? t('wish.rejectReason') : stepping?.step === 'fulfil' ? t('wish.fulfilNote') : t('wish.thanksNote')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="wish-step-text"
        />
        {stepping?.step === 'fulfil' && (
          <div style={{ marginTop: 12 }}>
            <div className="ht-hint">{t('wish.photoNeeded')}</div>
            <PhotoPicker value={photos} onChange={setPhotos} testId="wish-photos" />
          </div>
        )}
      </Modal>
    </div>
  );
}
