import { ORG_CHILD_KINDS, type OrgKind } from '@haitang/contracts';
import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { OrgUnit } from '../../api/types';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from './org-tree-select';
import { subtreeIds, type OrgTreeNode } from './use-org-tree';

export type OrgEditMode = 'create' | 'edit' | 'move';

interface Props {
  mode: OrgEditMode | null;
  /** The selected unit: the parent when creating, the subject otherwise. */
  unit: OrgUnit;
  units: OrgUnit[];
  tree: OrgTreeNode[];
  onClose: () => void;
  onDone: (unit: OrgUnit | null) => void;
  /** The unit changed under us (version conflict): reload the tree. */
  onStale: () => void;
}

interface Values {
  kind?: OrgKind;
  name?: string;
  code?: string;
  geometry?: string;
  parentId?: number;
}

function parseGeometry(text: string | undefined): unknown {
  if (!text || !text.trim()) return null;
  const value = JSON.parse(text) as { type?: string; coordinates?: unknown };
  if ((value.type !== 'Polygon' && value.type !== 'MultiPolygon') || !Array.isArray(value.coordinates)) throw new Error('geometry');
  return { type: value.type, coordinates: value.coordinates };
}

/** Add a child unit, edit a unit (name, code, boundary) or move it under another parent. */
export function OrgEditModal({ mode, unit, units, tree, onClose, onDone, onStale }: Props) {
  const { t, td } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const childKinds = ORG_CHILD_KINDS[unit.kind];
  const ownSubtree = useMemo(() => subtreeIds(units, unit.id), [units, unit.id]);
  const parentKinds = useMemo(
    () => (Object.keys(ORG_CHILD_KINDS) as OrgKind[]).filter((k) => ORG_CHILD_KINDS[k].includes(unit.kind)),
    [unit.kind],
  );

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode === 'create') form.setFieldsValue({ kind: childKinds[0] });
    if (mode === 'edit') {
      form.setFieldsValue({
        name: unit.name,
        code: unit.code ?? '',
        geometry: unit.geometry ? JSON.stringify(unit.geometry) : '',
      });
    }
    if (mode === 'move') form.setFieldsValue({ parentId: unit.parentId ?? undefined });
  }, [mode, unit, form, childKinds]);

  const submit = async () => {
    // Invalid fields are already shown next to the inputs.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      let result: OrgUnit | null = null;
      if (mode === 'create') {
        const geometry = parseGeometry(values.geometry);
        result = await api.post<OrgUnit>('/api/org', {
          parentId: unit.id,
          kind: values.kind,
          name: values.name?.trim(),
          ...(values.code?.trim() ? { code: values.code.trim() } : {}),
          ...(geometry ? { geometry } : {}),
        });
      } else if (mode === 'edit') {
        result = await api.patch<OrgUnit>(`/api/org/${unit.id}`, {
          version: unit.version,
          name: values.name?.trim(),
          code: values.code?.trim() ? values.code.trim() : null,
          geometry: parseGeometry(values.geometry),
        });
      } else if (mode === 'move') {
        result = await api.post<OrgUnit>(`/api/org/${unit.id}/move`, { version: unit.version, parentId: values.parentId });
      }
      ok(t('common.saved'));
      onDone(result);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') onStale();
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'create' ? `${t('org.addChild')} · ${unit.name}` : mode === 'edit' ? `${t('org.rename')} · ${unit.name}` : `${t('org.move')} · ${unit.name}`;
  const geometryRule = {
    validator: (_: unknown, value: string | undefined) => {
      try {
        parseGeometry(value);
        return Promise.resolve();
      } catch {
        return Promise.reject(new Error(t('org.geometryInvalid')));
      }
    },
  };

  return (
    <Modal open={!!mode} title={title} onCancel={onClose} onOk={submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'org-save' }} destroyOnHidden>
      <Form form={form} layout="vertical">
        {mode === 'create' && (
          <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select data-testid="org-kind" options={childKinds.map((k) => ({ value: k, label: td(`org.kind.${k}`) }))} />
          </Form.Item>
        )}
        {(mode === 'create' || mode === 'edit') && (
          <>
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}>
              <Input data-testid="org-name" />
            </Form.Item>
            <Form.Item name="code" label={t('org.code')} rules={[{ max: 40 }]}>
              <Input data-testid="org-code" />
            </Form.Item>
            <Form.Item name="geometry" label={t('org.geometry')} rules={[geometryRule]}>
              <Input.TextArea rows={3} placeholder='{"type":"Polygon","coordinates":[[[120.6,31.3],...]]}' data-testid="org-geometry" />
            </Form.Item>
          </>
        )}
        {mode === 'move' && (
          <Form.Item name="parentId" label={t('org.newParent')} rules={[{ required: true, message: t('common.required') }]}>
            <OrgTreeSelect tree={tree} excludeIds={ownSubtree} selectableKinds={parentKinds} testId="org-move-parent" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
