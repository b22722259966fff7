import { ArrowLeftOutlined } from '@ant-design/icons';
import { URGENCIES, type CreateOrderBody, type OrderDetail, type PhotoInput, type Urgency } from '@haitang/contracts';
import { Alert, App, Button, Form, Input, Segmented, Switch } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, messageOf } from '../../api/client';
import { CategoryPicker } from '../../features/field/category-picker';
import { useGeolocation } from '../../features/field/geolocation';
import { GridSelect } from '../../features/field/grid-select';
import { LocationField } from '../../features/field/location-field';
import { PhotoPicker } from '../../features/field/photo-picker';
import { urgencyLabel } from '../../features/orders/labels';
import { useCategories } from '../../features/orders/use-categories';
import { useI18n } from '../../i18n';
import '../../features/field/field.css';

interface Values {
  categoryId?: number;
  description?: string;
  urgency: Urgency;
  orgId?: number;
  onSpot: boolean;
  onSpotNote?: string;
}

/** A short title from the description: its first line, at most 30 characters. */
export function titleFrom(description: string): string {
  const first = description.trim().split(/\r?\n/)[0] ?? '';
  return first.length > 30 ? `${first.slice(0, 29)}…` : first;
}

/**
 * "Log a problem" on patrol: category, what is wrong, photos and the phone's position (the server
 * routes the point to its grid). A simple problem can be resolved on the spot in the same step.
 */
export function FieldNewPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const geo = useGeolocation();
  const [address, setAddress] = useState('');
  const [photos, setPhotos] = useState<PhotoInput[]>([]);
  const [pickGrid, setPickGrid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSpot = Form.useWatch('onSpot', form);
  const needGrid = pickGrid || (geo.state.status !== 'located' && geo.state.status !== 'locating');

  const submit = async (values: Values) => {
    setError(null);
    if (!geo.point && values.orgId === undefined) {
      setError(t('field.new.placeNeeded'));
      return;
    }
    const description = values.description!.trim();
    const body: CreateOrderBody = {
      channel: 'patrol',
      categoryId: values.categoryId!,
      urgency: values.urgency,
      title: titleFrom(description),
      description,
      lng: geo.point?.lng ?? null,
      lat: geo.point?.lat ?? null,
      address: address.trim() || null,
    };
    if (values.orgId !== undefined && needGrid) body.orgId = values.orgId;
    if (photos.length) body.photos = photos;
    if (values.onSpot) body.resolveOnSpot = { note: values.onSpotNote!.trim() };
    setBusy(true);
    try {
      const created = await api.post<OrderDetail>('/api/orders', body);
      message.success(values.onSpot ? t('field.new.resolved', { number: created.number }) : t('field.new.logged', { number: created.number }));
      navigate(`/field/orders/${created.id}`, { replace: true });
    } catch (err) {
      // A point outside every grid: let the worker pick the grid by hand and send again.
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && geo.point && !needGrid && /网格|grid/i.test(err.message)) setPickGrid(true);
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, message: t('common.required') }];
  return (
    <div className="ht-field" data-testid="field-new-page">
      <div className="ht-field-head">
        <Link to="/field">
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} />
        </Link>
        <h2>{t('field.new')}</h2>
      </div>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        disabled={busy}
        initialValues={{ urgency: 'normal', onSpot: false }}
        scrollToFirstError
      >
        <Form.Item name="categoryId" label={t('field.cat.label')} rules={[{ required: true, message: t('field.cat.required') }]}>
          <CategoryPicker categories={categories} disabled={busy} />
        </Form.Item>
        <Form.Item name="description" label={t('field.new.description')} rules={[...required, { max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} placeholder={t('field.new.descriptionPlaceholder')} data-testid="field-description" />
        </Form.Item>
        <Form.Item label={t('field.photos.label')}>
          <PhotoPicker value={photos} onChange={setPhotos} testId="field-photos" disabled={busy} />
        </Form.Item>
        <Form.Item label={t('field.loc.label')}>
          <LocationField
            geo={geo.state}
            onLocate={geo.locate}
            onClear={() => {
              geo.clear();
              setPickGrid(true);
            }}
            address={address}
            onAddress={setAddress}
            addressSuffices={false}
            disabled={busy}
          />
          {!needGrid && (
            <Button type="link" size="small" onClick={() => setPickGrid(true)} style={{ paddingInline: 0 }}>
              {t('field.new.pickGrid')}
            </Button>
          )}
        </Form.Item>
        {needGrid && (
          <Form.Item name="orgId" label={t('field.new.grid')} extra={t('field.new.gridHint')}>
            <GridSelect />
          </Form.Item>
        )}
        <Form.Item name="urgency" label={t('field.new.urgency')}>
          <Segmented<Urgency> block options={URGENCIES.map((u) => ({ value: u, label: urgencyLabel(u, locale) }))} />
        </Form.Item>
        <div className="ht-onspot">
          <Form.Item name="onSpot" valuePropName="checked" noStyle>
            <Switch data-testid="field-onspot" />
          </Form.Item>
          <div>
            <div className="ht-onspot-title">{t('field.new.onSpot')}</div>
            <div className="ht-hint">{t('field.new.onSpotHint')}</div>
          </div>
        </div>
        {onSpot && (
          <Form.Item name="onSpotNote" label={t('field.new.onSpotNote')} rules={[{ required: true, whitespace: true, message: t('field.new.onSpotNoteRequired') }, { max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('field.new.onSpotNotePlaceholder')} data-testid="field-onspot-note" />
          </Form.Item>
        )}
        {error && (
          <Alert type="error" showIcon title={error} description={t('field.keptRetry')} style={{ marginBottom: 12 }} data-testid="field-new-error" />
        )}
        <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="field-submit">
          {error ? t('field.retrySubmit') : onSpot ? t('field.new.submitResolved') : t('field.new.submit')}
        </Button>
      </Form>
    </div>
  );
}
