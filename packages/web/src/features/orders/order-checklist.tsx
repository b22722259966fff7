import { CheckOutlined, EditOutlined, PlusOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import type { ItemState, OrderDetail, OrderItemView, PhotoInput } from '@haitang/contracts';
import { Button, Col, DatePicker, Empty, Form, Input, List, Modal, Progress, Row, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { AttachmentThumbs } from './order-attachments';
import { ordersApi } from './orders-api';
import { PhotoPicker } from './photo-picker';

/** States in which the checklist can be worked (the server's rule). */
const WORK_STATES = ['accepted', 'dispatched', 'in_progress'];
const ITEM_COLORS: Record<ItemState, string> = { open: 'processing', done: 'success', waived: 'default' };

interface Props {
  order: OrderDetail;
  canWork: boolean;
  orgTree: OrgTreeNode[];
  onChanged: (order: OrderDetail) => void;
  onStale: () => void;
}

interface AddValues {
  title: string;
  ownerOrgId?: number;
  ownerName?: string;
  dueDate?: Dayjs;
}

interface SettleValues {
  note?: string;
  photos?: PhotoInput[];
}

/** A complex order worked item by item: progress, owners, deadlines, evidence, waivers with reasons. */
export function OrderChecklist({ order, canWork, orgTree, onChanged, onStale }: Props) {
  const { t, td } = useI18n();
  const { ok, fail } = useNotify();
  const [adding, setAdding] = useState(false);
  /** An open item whose owner or deadline is being changed (the add form, title fixed). */
  const [editing, setEditing] = useState<OrderItemView | null>(null);
  const [settling, setSettling] = useState<{ item: OrderItemView; state: 'done' | 'waived' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [addForm] = Form.useForm<AddValues>();
  const [settleForm] = Form.useForm<SettleValues>();
  const editable = canWork && WORK_STATES.includes(order.state);
  const items = order.items;
  const settled = items.filter((i) => i.state !== 'open').length;

  const run = async (call: () => Promise<OrderDetail>, after: () => void) => {
    setBusy(true);
    try {
      const next = await call();
      ok(t('common.saved'));
      after();
      onChanged(next);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.code === 'INVALID_TRANSITION')) {
        after();
        onStale();
      }
    } finally {
      setBusy(false);
    }
  };

  const openEdit = (item: OrderItemView) => {
    addForm.setFieldsValue({
      title: item.title,
      ownerOrgId: item.ownerOrgId ?? undefined,
      ownerName: item.ownerName ?? undefined,
      dueDate: item.dueDate ? dayjs(item.dueDate) : undefined,
    });
    setEditing(item);
    setAdding(true);
  };

  const closeForm = () => {
    setAdding(false);
    setEditing(null);
    addForm.resetFields();
  };

  const add = async () => {
    const v = await addForm.validateFields().catch(() => null);
    if (!v) return;
    if (editing) {
      await run(
        () =>
          ordersApi.updateItem(order.id, editing.id, {
            version: editing.version,
            ownerOrgId: v.ownerOrgId ?? null,
            ownerName: v.ownerName?.trim() || null,
            dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : null,
          }),
        closeForm,
      );
      return;
    }
    await run(
      () =>
        ordersApi.addItem(order.id, {
          version: order.version,
          title: v.title.trim(),
          ownerOrgId: v.ownerOrgId ?? null,
          ownerName: v.ownerName?.trim() || null,
          dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : null,
        }),
      () => {
        setAdding(false);
        addForm.resetFields();
      },
    );
  };

  const settle = async () => {
    if (!settling) return;
    const v = await settleForm.validateFields().catch(() => null);
    if (!v) return;
    const note = v.note?.trim();
    const photos = v.photos ?? [];
    if (settling.state === 'done' && !note && !photos.length) {
      settleForm.setFields([{ name: 'note', errors: [t('orders.action.evidenceRequired')] }]);
      return;
    }
    await run(
      () => ordersApi.updateItem(order.id, settling.item.id, { version: settling.item.version, state: settling.state, note, photos: photos.length ? photos : undefined }),
      () => setSettling(null),
    );
  };

  const reopen = (item: OrderItemView) => run(() => ordersApi.updateItem(order.id, item.id, { version: item.version, state: 'open' }), () => {});

  return (
    <div data-testid="order-checklist">
      {items.length > 0 && (
        <Progress
          percent={Math.round((settled / items.length) * 100)}
          format={() => `${settled}/${items.length}`}
          status={settled === items.length ? 'success' : 'active'}
          data-testid="order-checklist-progress"
        />
      )}
      {items.length === 0 && !editable && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.items.none')} />}
      {items.length > 0 && (
        <List<OrderItemView>
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              data-testid={`order-item-${item.id}`}
              actions={
                editable
                  ? item.state === 'open'
                    ? [
                        <Button key="done" size="small" type="link" icon={<CheckOutlined />} onClick={() => { settleForm.resetFields(); setSettling({ item, state: 'done' }); }} data-testid="item-done">
                          {t('orders.items.done')}
                        </Button>,
                        <Button key="waive" size="small" type="link" icon={<StopOutlined />} onClick={() => { settleForm.resetFields(); setSettling({ item, state: 'waived' }); }} data-testid="item-waive">
                          {t('orders.items.waive')}
                        </Button>,
                        <Button key="edit" size="small" type="link" icon={<EditOutlined />} onClick={() => openEdit(item)} data-testid="item-edit">
                          {t('orders.items.edit')}
                        </Button>,
                      ]
                    : [
                        <Button key="reopen" size="small" type="link" icon={<UndoOutlined />} onClick={() => void reopen(item)} disabled={busy}>
                          {t('orders.items.reopen')}
                        </Button>,
                      ]
                  : undefined
              }
            >
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <Space size={4} wrap>
                  <Tag color={ITEM_COLORS[item.state]}>{td(`orders.item.state.${item.state}`)}</Tag>
                  <Typography.Text delete={item.state === 'waived'}>{item.title}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[item.ownerOrgName, item.ownerName].filter(Boolean).join(' · ') || t('orders.items.noOwner')}
                  {item.dueDate && (
                    <span style={{ color: item.overdue ? '#cf1322' : undefined }}>
                      {' · '}
                      {t('orders.items.due', { date: item.dueDate })}
                      {item.overdue ? ` (${t('orders.sla.overdue')})` : ''}
                    </span>
                  )}
                </Typography.Text>
                {item.note && <Typography.Text style={{ fontSize: 13 }}>{item.note}</Typography.Text>}
                <AttachmentThumbs orderId={order.id} ids={item.attachmentIds} size={40} />
              </Space>
            </List.Item>
          )}
        />
      )}
      {editable && (
        <Button icon={<PlusOutlined />} type="dashed" block onClick={() => setAdding(true)} style={{ marginTop: 8 }} data-testid="item-add">
          {t('orders.items.add')}
        </Button>
      )}
      <Modal
        open={adding}
        title={editing ? t('orders.items.edit') : t('orders.items.add')}
        onCancel={closeForm}
        onOk={add}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'item-add-submit' }}
        forceRender
      >
        <Form<AddValues> form={addForm} layout="vertical">
          <Form.Item name="title" label={t('orders.items.title')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
            <Input maxLength={200} disabled={!!editing} data-testid="item-title" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="ownerOrgId" label={t('orders.items.ownerOrg')}>
                <OrgTreeSelect tree={orgTree} allowClear style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="ownerName" label={t('orders.items.ownerName')} rules={[{ max: 60 }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="dueDate" label={t('orders.items.dueDate')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!settling}
        title={settling ? `${settling.state === 'done' ? t('orders.items.done') : t('orders.items.waive')} · ${settling.item.title}` : ''}
        onCancel={() => setSettling(null)}
        onOk={settle}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'item-settle-submit' }}
        destroyOnHidden
      >
        <Form<SettleValues> form={settleForm} layout="vertical" initialValues={{ photos: [] }}>
          <Form.Item
            name="note"
            label={settling?.state === 'waived' ? t('orders.items.waiveReason') : t('orders.items.evidence')}
            rules={settling?.state === 'waived' ? [{ required: true, whitespace: true, message: t('common.required') }, { max: 2000 }] : [{ max: 2000 }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="item-note" />
          </Form.Item>
          {settling?.state === 'done' && (
            <Form.Item name="photos" label={t('orders.photos')}>
              <PhotoPicker testId="item-photos" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
