import { OPEN_STATES, SATISFACTIONS, TRANSITION_BY_ACTION, type ActionBody, type OrderAction, type OrderDetail, type PhotoInput, type Satisfaction } from '@haitang/contracts';
import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n';
import { useDebounced } from '../common/use-debounced';
import { useNotify } from '../common/use-notify';
import { HandlerSelect } from './handler-select';
import { DuplicateHints } from './duplicate-hints';
import { actionLabel, satisfactionLabel, stateLabel } from './labels';
import { ordersApi } from './orders-api';
import { PhotoPicker } from './photo-picker';

interface Values {
  note?: string;
  handlerOrgId?: number;
  days?: number;
  satisfaction?: Satisfaction;
  primaryId?: number;
  photos?: PhotoInput[];
}

/** Units an order can be dispatched to (the server checks the rest). */
/** Actions whose result is worth a photo even though the table does not demand one. */
const PHOTO_ACTIONS: readonly OrderAction[] = ['reply', 'resolve_on_spot'];

const NOTE_LABELS: Partial<Record<OrderAction, MessageKey>> = {
  reject: 'orders.action.reason',
  return: 'orders.action.reason',
  send_back: 'orders.action.reason',
  deny_extension: 'orders.action.reason',
  reopen: 'orders.action.reason',
  request_extension: 'orders.action.reason',
  reply: 'orders.action.replyText',
  supervise: 'orders.action.superviseNote',
  resolve_on_spot: 'orders.action.evidenceNote',
};

interface Props {
  order: OrderDetail;
  action: OrderAction | null;
  onClose: () => void;
  /** The order after the action, or null when it left the actor's sight (204). */
  onDone: (order: OrderDetail | null) => void;
  /** The order changed under us (409): reload it. */
  onStale: () => void;
}

/**
 * One action of the transition table: the dialog asks for exactly what the action `needs`, sends
 * the version read, and on a lost race or a stale state shows the server's message and reloads.
 */
export function ActionModal({ order, action, onClose, onDone, onStale }: Props) {
  const { t, locale } = useI18n();
  const { ok, fail } = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const needs = action ? TRANSITION_BY_ACTION[action].needs : {};
  const to = action ? TRANSITION_BY_ACTION[action].to : null;

  useEffect(() => {
    if (!action) return;
    form.resetFields();
  }, [action, form]);

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const note = v.note?.trim();
    // Only the fields on screen are returned: photos may be absent.
    const photos = v.photos ?? [];
    if (needs.evidence && !note && !photos.length) {
      form.setFields([{ name: 'note', errors: [t('orders.action.evidenceRequired')] }]);
      return;
    }
    const body: ActionBody = { version: order.version };
    if (note) body.note = note;
    if (needs.handler) body.handlerOrgId = v.handlerOrgId;
    if (needs.days) body.days = v.days;
    if (needs.satisfaction) body.satisfaction = v.satisfaction;
    if (needs.primary) body.primaryId = v.primaryId;
    if (photos.length) body.photos = photos;
    setBusy(true);
    try {
      const after = await ordersApi.act(order.id, action, body);
      ok(t('orders.action.done', { action: actionLabel(action, locale) }));
      onDone(after ?? null);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.code === 'INVALID_TRANSITION')) {
        onClose();
        onStale();
      } else if (error instanceof ApiError && error.details && typeof error.details === 'object' && 'field' in error.details) {
        const field = String((error.details as { field: unknown }).field);
        if (['note', 'handlerOrgId', 'days', 'satisfaction', 'primaryId'].includes(field)) {
          form.setFields([{ name: field as keyof Values, errors: [error.message] }]);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('common.required') };
  const title = action ? `${actionLabel(action, locale)} · ${order.number}` : '';

  return (
    <Modal
      open={!!action}
      title={title}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={action ? actionLabel(action, locale) : undefined}
      okButtonProps={{ 'data-testid': 'action-submit', danger: action === 'reject' || action === 'return' }}
      destroyOnHidden
    >
      {to && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t('orders.action.moves', { from: stateLabel(order.state, locale), to: stateLabel(to, locale) })}
        />
      )}
      {action === 'approve_extension' && order.pendingExtension && (
        <Alert type="warning" style={{ marginBottom: 12 }} title={t('orders.pendingExtension', { days: order.pendingExtension.days, note: order.pendingExtension.note })} />
      )}
      <Form<Values> form={form} layout="vertical" initialValues={{ photos: [] }}>
        {needs.handler && (
          <Form.Item name="handlerOrgId" label={t('orders.handler')} rules={[required]} extra={t('orders.action.handlerHint')}>
            <HandlerSelect orderId={order.id} />
          </Form.Item>
        )}
        {needs.days && (
          <Form.Item name="days" label={t('orders.action.days')} rules={[required]}>
            <InputNumber min={1} max={30} precision={0} data-testid="action-days" style={{ width: 160 }} />
          </Form.Item>
        )}
        {needs.satisfaction && (
          <Form.Item name="satisfaction" label={t('orders.satisfaction')} rules={[required]}>
            <Radio.Group
              data-testid="action-satisfaction"
              optionType="button"
              options={SATISFACTIONS.map((s) => ({ value: s, label: satisfactionLabel(s, locale) }))}
            />
          </Form.Item>
        )}
        {needs.primary && (
          <>
            <Form.Item name="primaryId" label={t('orders.action.primary')} rules={[required]}>
              <PrimaryOrderSelect excludeId={order.id} />
            </Form.Item>
            <DuplicateHints
              categoryId={order.categoryId}
              description={order.description}
              householdId={order.householdId ?? undefined}
              point={order.lng !== null && order.lat !== null ? { lng: order.lng, lat: order.lat } : null}
              excludeId={order.id}
              onPick={(d) => form.setFieldsValue({ primaryId: d.id })}
            />
          </>
        )}
        {/* Every action may carry a note for the timeline; some require one. */}
        {action && (
          <Form.Item
            name="note"
            label={t(action && NOTE_LABELS[action] ? NOTE_LABELS[action]! : 'orders.action.note')}
            rules={needs.note ? [required, { whitespace: true, message: t('common.required') }, { max: 2000 }] : [{ max: 2000 }]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="action-note" />
          </Form.Item>
        )}
        {action && (needs.evidence || PHOTO_ACTIONS.includes(action)) && (
          <Form.Item name="photos" label={t('orders.photos')}>
            <PhotoPicker testId="action-photos" />
          </Form.Item>
        )}
        {action && Object.keys(needs).length === 0 && <p>{t('orders.action.confirm', { action: actionLabel(action, locale) })}</p>}
      </Form>
    </Modal>
  );
}

/** Search the open orders by number or words, to pick the one an order is merged into. */
function PrimaryOrderSelect({ value, onChange, excludeId }: { value?: number; onChange?: (id: number | undefined) => void; excludeId: number }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let live = true;
    setLoading(true);
    ordersApi
      .list({ q: q || undefined, pageSize: 20 })
      .then((r) =>
        live &&
        setOptions(
          r.items
            .filter((o) => o.id !== excludeId && OPEN_STATES.includes(o.state))
            .map((o) => ({ value: o.id, label: `${o.number} · ${o.title}` })),
        ),
      )
      .catch(() => live && setOptions([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [q, excludeId]);
  return (
    <Select
      data-testid="action-primary"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={onChange}
      options={value !== undefined && !options.some((o) => o.value === value) ? [{ value, label: `#${value}` }, ...options] : options}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      placeholder={t('orders.action.primarySearch')}
      allowClear
      style={{ width: '100%' }}
    />
  );
}
