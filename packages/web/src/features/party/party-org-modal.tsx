import {
  LIFECYCLE_STATUSES,
  PARTY_ORG_KINDS,
  PARTY_ORG_NODE_KIND,
  PARTY_PARENT_KIND,
  type LifecycleStatus,
  type PartyOrgKind,
} from '@haitang/contracts';
import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { Household, Page, PartyOrg } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { ResidentPicker } from '../residents/resident-picker';

interface Props {
  open: boolean;
  /** Null to create. */
  editing: PartyOrg | null;
  /** Preselected parent when creating under a node. */
  parent: PartyOrg | null;
  orgs: PartyOrg[];
  tree: OrgTreeNode[];
  onClose: () => void;
  /** The record changed under us (version conflict): reload the list. */
  onStale?: () => void;
  onSaved: (org: PartyOrg) => void;
}

interface Values {
  kind: PartyOrgKind;
  name: string;
  parentId?: number | null;
  orgId?: number;
  householdId?: number;
  secretaryResidentId?: number | null;
  description?: string;
  status?: LifecycleStatus;
}

/** The kinds that can be created under a parent of this kind. */
export function childPartyKinds(parent: PartyOrgKind): PartyOrgKind[] {
  return PARTY_ORG_KINDS.filter((k) => PARTY_PARENT_KIND[k] === parent);
}

/**
 * Create or edit a party organisation. Kind, parent and org node are fixed once created
 * (the server's rule); a centre household is placed by picking its household.
 */
export function PartyOrgModal({ open, editing, parent, orgs, tree, onClose, onSaved, onStale }: Props) {
  const { t, td } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form);
  const parentId = Form.useWatch('parentId', form);
  const parentOrg = orgs.find((o) => o.id === parentId);

  // A centre household's household must lie in its grid branch's grid.
  const households = useLoad(
    open && !editing && kind === 'center_household' && parentOrg
      ? () => api.get<Page<Household>>('/api/households', { orgId: parentOrg.orgId, pageSize: 200 })
      : null,
    [open, editing, kind, parentOrg?.orgId],
  );

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) {
      form.setFieldsValue({
        kind: editing.kind,
        name: editing.name,
        parentId: editing.parentId,
        orgId: editing.orgId,
        secretaryResidentId: editing.secretaryResidentId,
        description: editing.description ?? '',
        status: editing.status,
      });
    } else if (parent) {
      form.setFieldsValue({ parentId: parent.id, kind: childPartyKinds(parent.kind)[0] });
    } else {
      form.setFieldsValue({ kind: 'community_committee' });
    }
  }, [open, editing, parent, form]);

  const parentOptions = useMemo(() => {
    const parentKind = kind ? PARTY_PARENT_KIND[kind] : null;
    return orgs
      .filter((o) => o.status === 'active' && o.kind === parentKind)
      .map((o) => ({ value: o.id, label: `${o.name} · ${o.orgName}` }));
  }, [orgs, kind]);

  const submit = async () => {
    // Invalid fields are already shown next to the inputs.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const common = {
        name: v.name.trim(),
        description: v.description?.trim() || null,
        ...(v.secretaryResidentId !== undefined ? { secretaryResidentId: v.secretaryResidentId ?? null } : {}),
      };
      const saved = editing
        ? await api.patch<PartyOrg>(`/api/party/orgs/${editing.id}`, { version: editing.version, ...common, status: v.status })
        : await api.post<PartyOrg>('/api/party/orgs', {
            ...common,
            kind: v.kind,
            ...(v.kind !== 'community_committee' ? { parentId: v.parentId } : {}),
            ...(v.orgId !== undefined && v.kind !== 'center_household' ? { orgId: v.orgId } : {}),
            ...(v.kind === 'center_household' ? { householdId: v.householdId } : {}),
          });
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') onStale?.();
    } finally {
      setBusy(false);
    }
  };

  const creating = !editing;
  const nodeKind = kind ? PARTY_ORG_NODE_KIND[kind] : undefined;
  // The committee and grid branches name their org node; an action branch may (it defaults to the committee's community).
  const needsOrg = creating && (kind === 'community_committee' || kind === 'grid_branch');
  const mayHaveOrg = creating && kind === 'action_branch';

  return (
    <Modal
      open={open}
      title={editing ? `${t('common.edit')} · ${editing.name}` : t('common.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'party-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            disabled={!creating}
            options={(parent ? childPartyKinds(parent.kind) : PARTY_ORG_KINDS).map((k) => ({ value: k, label: td(`party.kind.${k}`) }))}
            data-testid="party-kind"
          />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}>
          <Input data-testid="party-name" />
        </Form.Item>
        {kind && kind !== 'community_committee' && (
          <Form.Item name="parentId" label={t('party.parent')} rules={[{ required: creating, message: t('common.required') }]}>
            <Select disabled={!creating} options={parentOptions} showSearch={{ optionFilterProp: 'label' }} data-testid="party-parent" />
          </Form.Item>
        )}
        {(needsOrg || mayHaveOrg) && nodeKind && (
          <Form.Item name="orgId" label={t('common.org')} rules={[{ required: needsOrg, message: t('common.required') }]}>
            <OrgTreeSelect tree={tree} selectableKinds={[nodeKind]} allowClear={mayHaveOrg} testId="party-org" />
          </Form.Item>
        )}
        {!creating && (
          <Form.Item label={t('common.org')}>
            <Input value={editing?.orgName} disabled />
          </Form.Item>
        )}
        {creating && kind === 'center_household' && (
          <Form.Item name="householdId" label={t('resident.household')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={households.loading}
              disabled={!parentOrg}
              data-testid="party-household"
              options={(households.data?.items ?? []).map((h) => ({ value: h.id, label: h.address }))}
            />
          </Form.Item>
        )}
        <Form.Item name="secretaryResidentId" label={t('party.secretary')}>
          <ResidentPicker valueLabel={editing?.secretaryName} testId="party-secretary" />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {!creating && (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={LIFECYCLE_STATUSES.map((st) => ({ value: st, label: td(`org.status.${st}`) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
