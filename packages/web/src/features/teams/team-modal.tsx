import { LIFECYCLE_STATUSES, TEAM_KINDS, type LifecycleStatus, type OrgKind, type TeamKind } from '@haitang/contracts';
import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { Team } from '../../api/types';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';

interface Values {
  orgId: number;
  kind: TeamKind;
  name: string;
  description?: string;
  status?: LifecycleStatus;
}

/** A team belongs to a community. */
const TEAM_ORG_KINDS: readonly OrgKind[] = ['community'];

/** Create a team, or edit one (null editing = create). */
export function TeamModal({ open, editing, tree, onClose, onSaved, onStale }: { open: boolean; editing: Team | null; tree: OrgTreeNode[]; onClose: () => void; onStale?: () => void; onSaved: (team: Team) => void }) {
  const { t, td } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue({ orgId: editing.orgId, kind: editing.kind, name: editing.name, description: editing.description ?? '', status: editing.status });
    else form.setFieldsValue({ kind: 'volunteer' });
  }, [open, editing, form]);

  const submit = async () => {
    // Invalid fields are already shown next to the inputs.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = { kind: v.kind, name: v.name.trim(), description: v.description?.trim() || null };
    setBusy(true);
    try {
      // The community is fixed once the team exists.
      const saved = editing
        ? await api.patch<Team>(`/api/teams/${editing.id}`, { version: editing.version, ...body, status: v.status })
        : await api.post<Team>('/api/teams', { ...body, orgId: v.orgId });
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') onStale?.();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={editing ? `${t('common.edit')} · ${editing.name}` : t('common.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'team-save' }} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={TEAM_KINDS.map((k) => ({ value: k, label: td(`team.kind.${k}`) }))} data-testid="team-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="team-name" />
        </Form.Item>
        <Form.Item name="orgId" label={t('common.org')} rules={[{ required: true, message: t('common.required') }]}>
          <OrgTreeSelect tree={tree} selectableKinds={TEAM_ORG_KINDS} disabled={!!editing} testId="team-org" />
        </Form.Item>
        {editing && (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={LIFECYCLE_STATUSES.map((st) => ({ value: st, label: td(`org.status.${st}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
