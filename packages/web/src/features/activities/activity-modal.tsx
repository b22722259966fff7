import { ACTIVITY_AUDIENCES, ACTIVITY_KINDS, type ActivityAudience, type ActivityKind, type ActivityView, type ClassSeriesView, type Material, type OrgKind, type PhotoInput } from '@haitang/contracts';
import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { PhotoPicker } from '../field/photo-picker';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { kindLabel } from './labels';

interface Values {
  orgId: number;
  kind: ActivityKind;
  title: string;
  place: string;
  time: [Dayjs, Dayjs];
  capacity?: number | null;
  audience: ActivityAudience;
  organiser?: string;
  description?: string;
  minSharePercent: number;
  capMinutes?: number | null;
  seriesId?: number | null;
  materials?: string;
}

/** "标题 | https://…" per line → materials (a line without a link is a title only). */
function parseMaterials(text: string | undefined): Material[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [title, url] = line.split('|').map((x) => x.trim());
      return { title: title || url!, url: url && /^https?:\/\//.test(url) ? url : null };
    });
}

/** Streets, communities and grids run activities. */
const ACTIVITY_ORG_KINDS: readonly OrgKind[] = ['street', 'community', 'grid', 'micro_grid'];

/** Create an activity (a draft), or change one (null editing = create). */
export function ActivityModal({ open, editing, tree, onClose, onSaved, onStale }: { open: boolean; editing: ActivityView | null; tree: OrgTreeNode[]; onClose: () => void; onSaved: (a: ActivityView) => void; onStale?: () => void }) {
  const { t, locale } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [images, setImages] = useState<PhotoInput[]>([]);
  const series = useLoad(open ? () => api.get<{ items: ClassSeriesView[] }>('/api/class-series') : null, [open]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setImages([]);
    if (editing) {
      form.setFieldsValue({
        orgId: editing.orgId, kind: editing.kind, title: editing.title, place: editing.place,
        time: [dayjs(editing.startsAt), dayjs(editing.endsAt)], capacity: editing.capacity, audience: editing.audience,
        organiser: editing.organiser ?? '', description: editing.description ?? '',
        minSharePercent: editing.rules.minSharePercent, capMinutes: editing.rules.capMinutes,
        seriesId: editing.seriesId, materials: editing.materials.map((m) => (m.url ? `${m.title} | ${m.url}` : m.title)).join('\n'),
      });
    } else {
      const start = dayjs().add(1, 'day').hour(14).minute(0).second(0);
      form.setFieldsValue({ kind: 'service', audience: 'all', minSharePercent: 60, time: [start, start.add(2, 'hour')] });
    }
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = {
      kind: v.kind, title: v.title.trim(), place: v.place.trim(),
      startsAt: v.time[0].toISOString(), endsAt: v.time[1].toISOString(),
      capacity: v.capacity ?? null, audience: v.audience, organiser: v.organiser?.trim() || null,
      description: v.description?.trim() || null,
      rules: { minSharePercent: v.minSharePercent, capMinutes: v.capMinutes ?? null },
      seriesId: v.seriesId ?? null,
      materials: parseMaterials(v.materials),
      ...(images.length ? { images } : {}),
    };
    setBusy(true);
    try {
      const saved = editing
        ? await api.patch<ActivityView>(`/api/activities/${editing.id}`, { version: editing.version, ...body })
        : await api.post<ActivityView>('/api/activities', { ...body, orgId: v.orgId });
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') onStale?.();
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Modal open={open} width={640} title={editing ? `${t('common.edit')} · ${editing.title}` : t('common.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'activity-save' }} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="title" label={t('activity.title')} rules={required}>
          <Input maxLength={80} data-testid="activity-title" />
        </Form.Item>
        <Form.Item name="kind" label={t('activity.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={ACTIVITY_KINDS.map((k) => ({ value: k, label: kindLabel(k, locale) }))} data-testid="activity-kind" />
        </Form.Item>
        <Form.Item name="orgId" label={t('activity.org')} rules={[{ required: true, message: t('common.required') }]}>
          <OrgTreeSelect tree={tree} selectableKinds={ACTIVITY_ORG_KINDS} disabled={!!editing} testId="activity-org" />
        </Form.Item>
        <Form.Item name="time" label={t('activity.time')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="activity-time" />
        </Form.Item>
        <Form.Item name="place" label={t('activity.place')} rules={required}>
          <Input maxLength={120} data-testid="activity-place" />
        </Form.Item>
        <Form.Item name="capacity" label={t('activity.capacity')} extra={t('activity.capacityHint')}>
          <InputNumber min={1} max={100000} style={{ width: 160 }} data-testid="activity-capacity" />
        </Form.Item>
        <Form.Item name="audience" label={t('activity.audience')}>
          <Select options={ACTIVITY_AUDIENCES.map((a) => ({ value: a, label: t(`activity.audience.${a}`) }))} />
        </Form.Item>
        <Form.Item name="organiser" label={t('activity.organiser')}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="description" label={t('activity.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item label={t('activity.images')} extra={editing?.imageIds.length ? t('activity.imagesKept', { n: editing.imageIds.length }) : undefined}>
          <PhotoPicker value={images} onChange={setImages} testId="activity-images" />
        </Form.Item>
        <Form.Item name="seriesId" label={t('series.pick')}>
          <Select allowClear options={(series.data?.items ?? []).map((s) => ({ value: s.id, label: s.title }))} data-testid="activity-series" />
        </Form.Item>
        <Form.Item name="materials" label={t('activity.materials')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Form.Item name="minSharePercent" label={t('activity.minShare')}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="capMinutes" label={t('activity.capMinutes')}>
          <InputNumber min={1} max={1440} />
        </Form.Item>
        {editing?.status === 'published' && <div style={{ color: '#888' }}>{t('activity.changedNotice')}</div>}
      </Form>
    </Modal>
  );
}
