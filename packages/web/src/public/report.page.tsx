import { CheckCircleFilled, CopyOutlined, SearchOutlined } from '@ant-design/icons';
import type { PhotoInput, PublicReportBody, PublicReportReceipt } from '@haitang/contracts';
import { Alert, App, Button, Checkbox, Form, Input, Select } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, messageOf } from '../api/client';
import { CategoryPicker } from '../features/field/category-picker';
import { useLoad } from '../features/common/use-load';
import { useGeolocation } from '../features/field/geolocation';
import { LocationField } from '../features/field/location-field';
import { PhotoPicker } from '../features/field/photo-picker';
import { useCategories } from '../features/orders/use-categories';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';
import { copyText, saveReceipt, trackUrl } from './receipts';

interface Values {
  categoryId?: number;
  description?: string;
  contactName?: string;
  contactPhone?: string;
  anonymous?: boolean;
}

/** What was typed survives a reload or a lost tab (photos are too large to keep). */
const DRAFT_KEY = 'haitang.report.draft';

function readDraft(): Values & { address?: string } {
  try {
    return (JSON.parse(localStorage.getItem(DRAFT_KEY) ?? '{}') as Values & { address?: string }) ?? {};
  } catch {
    return {};
  }
}

function writeDraft(values: Values & { address?: string }): void {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(values));
  } catch {
    // storage full or private mode
  }
}

/**
 * The id this report is sent with, kept with the draft until it succeeds: if an answer is lost on
 * a weak signal and the resident taps again, the server recognises the repeat and answers with the
 * same receipt instead of registering the problem twice.
 */
const REQUEST_KEY = 'haitang.report.requestId';
function requestIdOfDraft(): string {
  try {
    const kept = localStorage.getItem(REQUEST_KEY);
    if (kept) return kept;
  } catch {
    // private mode: a fresh id per attempt still guards the one tap
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    localStorage.setItem(REQUEST_KEY, id);
  } catch {
    // ignore
  }
  return id;
}

/** The community a poster's QR code points at (`/report?org=12`): places a report without a map point. */
function orgFromQuery(params: URLSearchParams): number | null {
  const n = Number(params.get('org'));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** A resident reports a problem without an account and gets a number and an access code. */
export function ReportPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const posterOrgId = orgFromQuery(params);
  // Without a location the resident names the community (or came from a community's QR poster).
  const [communityId, setCommunityId] = useState<number | null>(null);
  const orgId = posterOrgId ?? communityId;
  const communities = useLoad(
    () => api.get<{ items: { id: number; name: string; streetName: string | null }[] }>('/api/public/communities'),
    [],
  );
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const geo = useGeolocation();
  const initial = useMemo(readDraft, []);
  const [address, setAddress] = useState(initial.address ?? '');
  const [photos, setPhotos] = useState<PhotoInput[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; text?: string } | null>(null);
  const [receipt, setReceipt] = useState<PublicReportReceipt | null>(null);

  const remember = (patch: Partial<Values & { address: string }>) => writeDraft({ ...form.getFieldsValue(), address, ...patch });

  const submit = async (values: Values) => {
    setError(null);
    if (!geo.point && orgId === null) {
      setError({ title: t('report.placeNeeded'), text: t('report.placeNeededHint') });
      return;
    }
    const body: PublicReportBody = {
      categoryId: values.categoryId!,
      description: values.description!.trim(),
      contactName: values.contactName!.trim(),
      contactPhone: values.contactPhone!.trim(),
      anonymous: !!values.anonymous,
      lng: geo.point?.lng ?? null,
      lat: geo.point?.lat ?? null,
      address: address.trim() || null,
      requestId: requestIdOfDraft(),
    };
    if (orgId !== null && !geo.point) body.orgId = orgId;
    if (photos.length) body.photos = photos;
    setBusy(true);
    try {
      const r = await api.post<PublicReportReceipt>('/api/public/orders', body);
      saveReceipt({ ...r, at: new Date().toISOString(), summary: body.description.slice(0, 40) });
      localStorage.removeItem(DRAFT_KEY);
      localStorage.removeItem(REQUEST_KEY);
      setReceipt(r);
      window.scrollTo(0, 0);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RATE_LIMITED') setError({ title: t('report.rateLimited'), text: t('report.rateLimitedHint') });
      else if (err instanceof ApiError && err.code === 'NETWORK') setError({ title: t('report.network'), text: t('field.keptRetry') });
      else setError({ title: messageOf(err), text: t('field.keptRetry') });
    } finally {
      setBusy(false);
    }
  };

  if (receipt) {
    return (
      <PublicLayout>
        <Receipt
          receipt={receipt}
          onAnother={() => {
            form.resetFields();
            setPhotos([]);
            setAddress('');
            setReceipt(null);
          }}
        />
      </PublicLayout>
    );
  }

  const required = [{ required: true, message: t('common.required') }];
  return (
    <PublicLayout>
      <h1 className="ht-public-title">{t('report.title')}</h1>
      <p className="ht-hint">{t('report.intro')}</p>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        disabled={busy}
        initialValues={{ ...initial, anonymous: initial.anonymous ?? false }}
        onValuesChange={(_, all) => writeDraft({ ...all, address })}
        scrollToFirstError
        data-testid="report-form"
      >
        <Form.Item name="categoryId" label={t('report.category')} rules={[{ required: true, message: t('field.cat.required') }]}>
          <CategoryPicker categories={categories} disabled={busy} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('report.description')}
          rules={[...required, { min: 5, message: t('report.descriptionMin') }, { max: 2000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} maxLength={2000} showCount placeholder={t('report.descriptionPlaceholder')} data-testid="report-description" />
        </Form.Item>
        <Form.Item label={t('field.photos.label')}>
          <PhotoPicker value={photos} onChange={setPhotos} testId="report-photos" disabled={busy} />
        </Form.Item>
        <Form.Item label={t('report.place')}>
          <LocationField
            geo={geo.state}
            onLocate={geo.locate}
            onClear={geo.clear}
            address={address}
            onAddress={(v) => {
              setAddress(v);
              remember({ address: v });
            }}
            addressSuffices={orgId !== null}
            disabled={busy}
          />
        </Form.Item>
        {!geo.point && posterOrgId === null && (
          <Form.Item label={t('report.community')} extra={t('report.communityHint')}>
            <Select
              showSearch
              allowClear
              optionFilterProp="label"
              value={communityId ?? undefined}
              onChange={(v?: number) => setCommunityId(v ?? null)}
              loading={communities.loading}
              placeholder={t('common.select')}
              options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.streetName ? `${c.streetName} · ${c.name}` : c.name }))}
              data-testid="report-community"
            />
          </Form.Item>
        )}
        <Form.Item name="contactName" label={t('report.contactName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}>
          <Input autoComplete="name" maxLength={60} data-testid="report-name" />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('report.contactPhone')}
          rules={[...required, { pattern: /^[0-9+\-\s]{5,20}$/, message: t('report.phoneInvalid') }]}
        >
          <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} data-testid="report-phone" />
        </Form.Item>
        <Form.Item name="anonymous" valuePropName="checked" extra={t('report.anonymousHint')}>
          <Checkbox data-testid="report-anonymous">{t('report.anonymous')}</Checkbox>
        </Form.Item>
        {error && <Alert type="error" showIcon title={error.title} description={error.text} style={{ marginBottom: 12 }} data-testid="report-error" />}
        <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="report-submit">
          {error ? t('field.retrySubmit') : t('report.submit')}
        </Button>
      </Form>
      <p className="ht-hint" style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/track">{t('report.haveNumber')}</Link>
      </p>
    </PublicLayout>
  );
}

function Receipt({ receipt, onAnother }: { receipt: PublicReportReceipt; onAnother: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const copy = async (text: string) => {
    if (await copyText(text)) message.success(t('report.copied'));
    else message.warning(t('report.copyFailed'));
  };
  return (
    <div className="ht-receipt" data-testid="report-receipt">
      <CheckCircleFilled className="ht-receipt-icon" />
      <h1 className="ht-public-title">{t('report.sent')}</h1>
      <p>{t('report.sentHint')}</p>
      <div className="ht-receipt-box">
        <div className="ht-receipt-label">{t('report.number')}</div>
        <div className="ht-receipt-value" data-testid="receipt-number">
          {receipt.number}
        </div>
        <Button icon={<CopyOutlined />} onClick={() => void copy(receipt.number)} data-testid="copy-number">
          {t('report.copy')}
        </Button>
      </div>
      <div className="ht-receipt-box">
        <div className="ht-receipt-label">{t('report.accessCode')}</div>
        <div className="ht-receipt-value" data-testid="receipt-code">
          {receipt.accessCode}
        </div>
        <Button icon={<CopyOutlined />} onClick={() => void copy(receipt.accessCode)} data-testid="copy-code">
          {t('report.copy')}
        </Button>
      </div>
      <Alert type="warning" showIcon title={t('report.keepThem')} style={{ textAlign: 'left' }} />
      <Button
        block
        size="large"
        icon={<CopyOutlined />}
        style={{ marginTop: 12 }}
        onClick={() => void copy(t('report.copyBoth', { number: receipt.number, code: receipt.accessCode }))}
      >
        {t('report.copyAll')}
      </Button>
      <Link to={trackUrl(receipt)} data-testid="receipt-track">
        <Button type="primary" block size="large" icon={<SearchOutlined />} style={{ marginTop: 12 }}>
          {t('report.follow')}
        </Button>
      </Link>
      <Button type="link" block style={{ marginTop: 8 }} onClick={onAnother}>
        {t('report.another')}
      </Button>
    </div>
  );
}
