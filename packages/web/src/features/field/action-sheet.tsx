import {
  SATISFACTIONS,
  TRANSITION_BY_ACTION,
  type ActionBody,
  type OrderAction,
  type OrderDetail,
  type OrderList,
  type PhotoInput,
  type Satisfaction,
} from '@haitang/contracts';
import { Alert, Button, Drawer, Form, Input, InputNumber, Radio, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, messageOf } from '../../api/client';
import { useI18n } from '../../i18n';
import { HandlerSelect } from '../orders/handler-select';
import { actionLabel, satisfactionLabel } from '../orders/labels';
import { PhotoPicker } from './photo-picker';

interface Props {
  order: OrderDetail;
  action: OrderAction | null;
  onClose: () => void;
  /** The order after the action, or null when it has left the actor's sight (a return: 204). */
  onDone: (next: OrderDetail | null, action: OrderAction) => void;
  /** Someone else changed the order first (409): reload it; the sheet keeps what was typed. */
  onConflict: () => void;
}

interface Values {
  note?: string;
  days?: number;
  satisfaction?: Satisfaction;
  handlerOrgId?: number;
  primaryNumber?: string;
}

/** The primary order of a merge, found by its number among the orders the actor sees. */
async function findPrimaryId(number: string): Promise<number | null> {
  const list = await api.get<OrderList>('/api/orders', { q: number.trim(), pageSize: 5 });
  return list.items.find((o) => o.number.toUpperCase() === number.trim().toUpperCase())?.id ?? null;
}

/**
 * A bottom sheet for one action of the transition table: it asks for exactly what the table says
 * the action needs, sends the version that was read, and keeps the input when sending fails.
 */
export function ActionSheet({ order, action, onClose, onDone, onConflict }: Props) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<PhotoInput[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; conflict: boolean } | null>(null);
  const [shown, setShown] = useState<OrderAction | null>(action);

  // A new action starts empty; closing keeps nothing.
  useEffect(() => {
    if (action && action !== shown) {
      form.resetFields();
      setPhotos([]);
      setError(null);
    }
    if (action) setShown(action);
  }, [action, shown, form]);

  const current = action ?? shown;
  if (!current) return null;
  const needs = TRANSITION_BY_ACTION[current].needs;
  const stillAllowed = order.allowedActions.includes(current);
  const withPhotos = !!needs.evidence || current === 'reply';

  const submit = async (values: Values) => {
    setError(null);
    if (needs.evidence && !values.note?.trim() && photos.length === 0) {
      setError({ text: t('field.action.evidenceNeeded'), conflict: false });
      return;
    }
    setBusy(true);
    try {
      const body: ActionBody = { version: order.version };
      if (values.note?.trim()) body.note = values.note.trim();
      if (needs.days && values.days) body.days = values.days;
      if (needs.satisfaction && values.satisfaction) body.satisfaction = values.satisfaction;
      if (needs.handler && values.handlerOrgId !== undefined) body.handlerOrgId = values.handlerOrgId;
      if (needs.primary && values.primaryNumber) {
        const primaryId = await findPrimaryId(values.primaryNumber);
        if (primaryId === null) {
          setError({ text: t('field.action.primaryNotFound', { number: values.primaryNumber.trim() }), conflict: false });
          return;
        }
        body.primaryId = primaryId;
      }
      if (withPhotos && photos.length) body.photos = photos;
      const next = await api.post<OrderDetail | undefined>(`/api/orders/${order.id}/actions/${current}`, body);
      form.resetFields();
      setPhotos([]);
      onDone(next ?? null, current);
    } catch (err) {
      const conflict = err instanceof ApiError && err.status === 409;
      setError({ text: messageOf(err), conflict });
      if (conflict) onConflict();
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Drawer
      placement="bottom"
      open={action !== null}
      onClose={onClose}
      title={actionLabel(current, locale)}
      size="auto"
      styles={{ body: { paddingBottom: 24 } }}
      className="ht-sheet"
      destroyOnHidden={false}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy} data-testid={`action-form-${current}`}>
        {needs.handler && (
          <Form.Item name="handlerOrgId" label={t('field.action.handler')} rules={required}>
            <HandlerSelect orderId={order.id} />
          </Form.Item>
        )}
        {needs.primary && (
          <Form.Item name="primaryNumber" label={t('field.action.primary')} rules={required}>
            <Input placeholder="HT…" data-testid="action-primary" />
          </Form.Item>
        )}
        {needs.days && (
          <Form.Item name="days" label={t('field.action.days')} rules={required} initialValue={3}>
            <InputNumber min={1} max={30} style={{ width: '100%' }} data-testid="action-days" />
          </Form.Item>
        )}
        {needs.satisfaction && (
          <Form.Item name="satisfaction" label={t('field.action.satisfaction')} rules={required}>
            <Radio.Group optionType="button" buttonStyle="solid" options={SATISFACTIONS.map((s) => ({ value: s, label: satisfactionLabel(s, locale) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={needs.evidence ? t('field.action.evidenceNote') : needs.note ? t('field.action.noteRequired') : t('field.action.noteOptional')}
          rules={needs.note ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="action-note" />
        </Form.Item>
        {withPhotos && (
          <Form.Item label={needs.evidence ? t('field.action.evidencePhotos') : t('field.photos.label')}>
            <PhotoPicker value={photos} onChange={setPhotos} testId="action-photos" disabled={busy} />
          </Form.Item>
        )}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {!stillAllowed && <Alert type="warning" showIcon title={t('field.action.noLonger')} />}
          {error && <Alert type={error.conflict ? 'warning' : 'error'} showIcon title={error.text} description={error.conflict ? t('field.action.reloaded') : t('field.keptRetry')} data-testid="action-error" />}
          <Button type="primary" htmlType="submit" block size="large" loading={busy} disabled={!stillAllowed} data-testid="action-submit">
            {error && !error.conflict ? t('field.retrySubmit') : actionLabel(current, locale)}
          </Button>
        </Space>
      </Form>
    </Drawer>
  );
}
