import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Building, Household, Items, OrgUnit, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { BuildingEditModal, HouseholdEditModal } from './household-edit-modals';

interface Props {
  unit: OrgUnit;
  /** May add and edit buildings and households ('resident.write'). */
  canWrite: boolean;
}

const PAGE_SIZE = 10;

/** Buildings of a micro-grid and the households of the chosen building. */
export function BuildingsPanel({ unit, canWrite }: Props) {
  const { t } = useI18n();
  const { ok, fail } = useNotify();
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState<'building' | 'household' | null>(null);
  const [form] = Form.useForm<{ name?: string; address?: string; unitLabel?: string; room?: string }>();
  const [busy, setBusy] = useState(false);
  const [editingBuilding, setEditingBuilding] = useState<Building | null>(null);
  const [editingHousehold, setEditingHousehold] = useState<Household | null>(null);

  const buildings = useLoad(() => api.get<Items<Building>>('/api/buildings', { orgId: unit.id }), [unit.id]);
  const households = useLoad(
    buildingId === null ? null : () => api.get<Page<Household>>('/api/households', { orgId: unit.id, buildingId, page, pageSize: PAGE_SIZE }),
    [unit.id, buildingId, page],
  );
  const building = buildings.data?.items.find((b) => b.id === buildingId);

  const save = async () => {
    // Invalid fields are already shown next to the inputs.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      if (adding === 'building') {
        const created = await api.post<Building>('/api/buildings', { orgId: unit.id, name: values.name?.trim(), ...(values.address ? { address: values.address } : {}) });
        buildings.reload();
        setBuildingId(created.id);
      } else if (adding === 'household') {
        await api.post<Household>('/api/households', {
          orgId: unit.id,
          buildingId: buildingId ?? undefined,
          ...(values.unitLabel ? { unitLabel: values.unitLabel } : {}),
          ...(values.room ? { room: values.room } : {}),
          address: values.address?.trim(),
        });
        households.reload();
      }
      ok(t('common.saved'));
      setAdding(null);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  /** A save failed with 409: the rows are out of date. */
  const onStale = (close: boolean) => {
    buildings.reload();
    households.reload();
    if (close) {
      setEditingBuilding(null);
      setEditingHousehold(null);
    }
  };

  const openAdd = (what: 'building' | 'household') => {
    form.resetFields();
    if (what === 'household' && building) form.setFieldsValue({ address: building.address ?? building.name });
    setAdding(what);
  };

  return (
    <>
      <Card
        size="small"
        title={t('org.buildings')}
        style={{ marginTop: 12 }}
        extra={canWrite && <Button size="small" icon={<PlusOutlined />} onClick={() => openAdd('building')} data-testid="building-add">{t('org.addBuilding')}</Button>}
      >
        <Table<Building>
          size="small"
          rowKey="id"
          loading={buildings.loading}
          dataSource={buildings.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          onRow={(b) => ({ onClick: () => { setBuildingId(b.id); setPage(1); }, style: { cursor: 'pointer', background: b.id === buildingId ? '#fce4ec' : undefined } })}
          columns={[
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('common.address'), dataIndex: 'address' },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, b: Building) => (
                      <Button
                        size="small"
                        type="link"
                        icon={<EditOutlined />}
                        onClick={(e) => {
                          e.stopPropagation();
                          setEditingBuilding(b);
                        }}
                        data-testid={`building-edit-${b.id}`}
                      >
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
          data-testid="building-table"
        />
      </Card>
      {building && (
        <Card
          size="small"
          title={`${t('org.households')} · ${building.name}`}
          style={{ marginTop: 12 }}
          extra={canWrite && <Button size="small" icon={<PlusOutlined />} onClick={() => openAdd('household')} data-testid="household-add">{t('org.addHousehold')}</Button>}
        >
          <Table<Household>
            size="small"
            rowKey="id"
            loading={households.loading}
            dataSource={households.data?.items ?? []}
            scroll={{ x: true }}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: households.data?.total ?? 0, onChange: setPage, showSizeChanger: false, size: 'small' }}
            columns={[
              { title: t('org.unitLabel'), dataIndex: 'unitLabel' },
              { title: t('org.room'), dataIndex: 'room' },
              { title: t('common.address'), dataIndex: 'address' },
              { title: t('common.memberCount'), dataIndex: 'memberCount' },
              ...(canWrite
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      width: 90,
                      render: (_: unknown, h: Household) => (
                        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditingHousehold(h)} data-testid={`household-edit-${h.id}`}>
                          {t('common.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
            data-testid="household-table"
          />
        </Card>
      )}
      <Modal
        open={!!adding}
        title={adding === 'building' ? t('org.addBuilding') : t('org.addHousehold')}
        onCancel={() => setAdding(null)}
        onOk={save}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {adding === 'building' && (
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input data-testid="building-name" />
            </Form.Item>
          )}
          {adding === 'household' && (
            <>
              <Form.Item name="unitLabel" label={t('org.unitLabel')}>
                <Input />
              </Form.Item>
              <Form.Item name="room" label={t('org.room')}>
                <Input />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="address"
            label={t('common.address')}
            rules={adding === 'household' ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <BuildingEditModal
        building={editingBuilding}
        onClose={() => setEditingBuilding(null)}
        onStale={onStale}
        onSaved={() => {
          setEditingBuilding(null);
          buildings.reload();
          households.reload();
        }}
      />
      <HouseholdEditModal
        household={editingHousehold}
        buildings={buildings.data?.items ?? []}
        onClose={() => setEditingHousehold(null)}
        onStale={onStale}
        onSaved={() => {
          setEditingHousehold(null);
          households.reload();
        }}
      />
    </>
  );
}
