import { ALLIANCE_KINDS, ALLIANCE_ORG_KINDS, checkPhone, LIFECYCLE_STATUSES, type AllianceKind, type LifecycleStatus } from '@haitang/contracts';
import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { AllianceMember } from '../../api/types';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';

interface Values {
  orgId: number;
  kind: AllianceKind;
  name: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  services?: string;
  status?: LifecycleStatus;
}

const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** Create or edit an alliance member (物业, 共建单位, 社会组织). */
export function AllianceModal({ open, editing, tree, onClose, onSaved, onStale }: { open: boolean; editing: AllianceMember | null; tree: OrgTreeNode[]; onClose: () => void; onStale?: () => void; onSaved: () => void }) {
  const { t, td } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) {
      const fill = (m: AllianceMember) =>
        form.setFieldsValue({
          orgId: m.orgId,
          kind: m.kind,
          name: m.name,
          contactName: m.contactName ?? '',
          contactPhone: m.contactPhone ?? '',
          address: m.address ?? '',
          services: m.services ?? '',
          status: m.status,
        });
      fill(editing);
      // Lists mask the contact phone; the detail has it in full, so editing never saves a mask.
      api.get<AllianceMember>(`/api/alliance/${editing.id}`).then(fill, fail);
    } else {
      form.setFieldsValue({ kind: 'co_building' });
    }
  }, [open, editing, form, fail]);

  const submit = async () => {
    // Invalid fields are already shown next to the inputs.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = {
      kind: v.kind,
      name: v.name.trim(),
      contactName: blankToNull(v.contactName),
      contactPhone: blankToNull(v.contactPhone),
      address: blankToNull(v.address),
      services: blankToNull(v.services),
    };
    setBusy(true);
    try {
      // The org node is fixed once the member exists.
      if (editing) await api.patch(`/api/alliance/${editing.id}`, { version: editing.version, ...body, status: v.status });
      else await api.post('/api/alliance', { ...body, orgId: v.orgId });
      ok(t('common.saved'));
      onSaved();
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') onStale?.();
    } finally {
      setBusy(false);
    }
  };

  const phoneRule = {
    validator: (_: unknown, value: string | undefined) =>
      !value || !value.trim() || checkPhone(value) ? Promise.resolve() : Promise.reject(new Error(t('resident.phoneInvalid'))),
  };

  return (
    <Modal open={open} title={editing ? `${t('common.edit')} · ${editing.name}` : t('alliance.add')} onCancel={onClose} onOk={submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'alliance-save' }} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={ALLIANCE_KINDS.map((k) => ({ value: k, label: td(`alliance.kind.${k}`) }))} data-testid="alliance-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="alliance-name" />
        </Form.Item>
        <Form.Item name="orgId" label={t('common.org')} rules={[{ required: true, message: t('common.required') }]}>
          <OrgTreeSelect tree={tree} selectableKinds={ALLIANCE_ORG_KINDS} disabled={!!editing} testId="alliance-org" />
        </Form.Item>
        <Form.Item name="contactName" label={t('alliance.contactName')}>
          <Input data-testid="alliance-contact-name" />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('alliance.contactPhone')} rules={[phoneRule]}>
          <Input data-testid="alliance-contact-phone" />
        </Form.Item>
        <Form.Item name="address" label={t('common.address')}>
          <Input />
        </Form.Item>
        <Form.Item name="services" label={t('alliance.services')}>
          <Input.TextArea rows={3} data-testid="alliance-services" />
        </Form.Item>
        {editing && (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={LIFECYCLE_STATUSES.map((st) => ({ value: st, label: td(`org.status.${st}`) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
