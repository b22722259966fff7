import { Empty, Flex, Form, Input, Modal, Select, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { Building, Household } from '../../api/types';
import type { HouseholdDetail } from '@haitang/contracts';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';

/** Blank text means "clear it": the API takes null for nullable fields. */
const orNull = (value: string | undefined): string | null => (value?.trim() ? value.trim() : null);

/**
 * What a failed save means for the caller: a 409 (version conflict or duplicate) means the list
 * is out of date, so it is reloaded; on a version conflict the dialog closes too, as the values it
 * was opened with are stale.
 */
function afterFailure(error: unknown, onStale: (close: boolean) => void) {
  if (error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.code === 'DUPLICATE' || error.status === 409)) {
    onStale(error.code === 'VERSION_CONFLICT');
  }
}

interface BuildingValues {
  name?: string;
  address?: string;
}

interface BuildingProps {
  /** The building being edited; null when the dialog is closed. */
  building: Building | null;
  onClose: () => void;
  onSaved: (building: Building) => void;
  /** The list is out of date: reload it (and close the dialog when `close`). */
  onStale: (close: boolean) => void;
}

/** Edit a building's name and address (PATCH /api/buildings/:id). */
export function BuildingEditModal({ building, onClose, onSaved, onStale }: BuildingProps) {
  const { t } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<BuildingValues>();
  const [busy, setBusy] = useState(false);
  const id = building?.id;

  // Fill every field on each opening: the form instance outlives the dialog's contents and would
  // otherwise keep what was typed last time. Not on reloads of the same row, to keep the user's edits.
  useEffect(() => {
    if (building) form.setFieldsValue({ name: building.name, address: building.address ?? '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, form]);

  const submit = async () => {
    if (!building) return;
    // Invalid fields are already shown next to the inputs.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      const saved = await api.patch<Building>(`/api/buildings/${building.id}`, {
        version: building.version,
        name: values.name?.trim(),
        address: orNull(values.address),
      });
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      afterFailure(error, onStale);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!building}
      title={building ? `${t('org.editBuilding')} · ${building.name}` : t('org.editBuilding')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'building-save' } as Record<string, string>}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 40 }]}>
          <Input data-testid="building-edit-name" maxLength={40} />
        </Form.Item>
        <Form.Item name="address" label={t('common.address')} rules={[{ max: 200 }]}>
          <Input data-testid="building-edit-address" maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface HouseholdValues {
  buildingId?: number | null;
  unitLabel?: string;
  room?: string;
  address?: string;
}

interface HouseholdProps {
  /** The household being edited; null when the dialog is closed. */
  household: Household | null;
  /** The buildings of the household's micro-grid, to move it between them. */
  buildings: Building[];
  onClose: () => void;
  onSaved: (household: Household) => void;
  /** The list is out of date: reload it (and close the dialog when `close`). */
  onStale: (close: boolean) => void;
}

const NO_BUILDING = -1;

/** Edit a household's building, unit, room and address (PATCH /api/households/:id); lists its members. */
export function HouseholdEditModal({ household, buildings, onClose, onSaved, onStale }: HouseholdProps) {
  const { t } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<HouseholdValues>();
  const [busy, setBusy] = useState(false);
  const id = household?.id;
  const detail = useLoad(id === undefined ? null : () => api.get<HouseholdDetail>(`/api/households/${id}`), [id]);

  // Fill every field on each opening (see BuildingEditModal).
  useEffect(() => {
    if (!household) return;
    form.setFieldsValue({
      buildingId: household.buildingId ?? NO_BUILDING,
      unitLabel: household.unitLabel ?? '',
      room: household.room ?? '',
      address: household.address,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, form]);

  const submit = async () => {
    if (!household) return;
    // Invalid fields are already shown next to the inputs.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      const saved = await api.patch<Household>(`/api/households/${household.id}`, {
        version: household.version,
        buildingId: values.buildingId === undefined || values.buildingId === NO_BUILDING ? null : values.buildingId,
        unitLabel: orNull(values.unitLabel),
        room: orNull(values.room),
        address: values.address?.trim(),
      });
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      afterFailure(error, onStale);
    } finally {
      setBusy(false);
    }
  };

  const members = detail.data?.id === id ? detail.data?.members : undefined;
  const title = household
    ? `${t('org.editHousehold')} · ${[household.buildingName, household.unitLabel, household.room].filter(Boolean).join(' ') || household.address}`
    : t('org.editHousehold');

  return (
    <Modal
      open={!!household}
      title={title}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'household-save' } as Record<string, string>}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="buildingId" label={t('org.building')}>
          <Select
            data-testid="household-building"
            options={[
              { value: NO_BUILDING, label: t('org.noBuilding') },
              ...buildings.map((b) => ({ value: b.id, label: b.name })),
            ]}
          />
        </Form.Item>
        <Form.Item name="unitLabel" label={t('org.unitLabel')} rules={[{ max: 20 }]}>
          <Input data-testid="household-unit" maxLength={20} />
        </Form.Item>
        <Form.Item name="room" label={t('org.room')} rules={[{ max: 20 }]}>
          <Input data-testid="household-room" maxLength={20} />
        </Form.Item>
        <Form.Item name="address" label={t('common.address')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
          <Input data-testid="household-address" maxLength={200} />
        </Form.Item>
      </Form>
      <Typography.Text strong>
        {t('common.members')}
        {members ? ` (${members.length})` : ''}
      </Typography.Text>
      <div style={{ marginTop: 8 }} data-testid="household-members">
        {detail.loading && !members ? (
          <Spin size="small" />
        ) : detail.error ? (
          <Typography.Text type="danger">{detail.error}</Typography.Text>
        ) : members && members.length > 0 ? (
          <Flex wrap gap={4}>
            {members.map((m) => (
              <Tag key={m.id} data-testid={`household-member-${m.id}`}>
                {m.name}
                {m.relationToHead ? ` · ${m.relationToHead}` : ''}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.noMembers')} />
        )}
      </div>
    </Modal>
  );
}
