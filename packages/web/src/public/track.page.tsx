import { DeleteOutlined, SearchOutlined } from '@ant-design/icons';
import { SATISFACTIONS, type PublicOrderView, type Satisfaction } from '@haitang/contracts';
import { Alert, Button, Form, Input, Radio, Skeleton, Tag, Timeline } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, messageOf } from '../api/client';
import { useLoad } from '../features/common/use-load';
import { satisfactionLabel, shortTime, stateColor, stateLabel, stepLabel } from '../features/orders/labels';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';
import { forgetReceipt, savedReceipts, trackUrl, type SavedReceipt } from './receipts';

interface Lookup {
  number: string;
  code: string;
}

const clean = (s: string | null) => (s ?? '').trim().toUpperCase();

/** The public view of an order, or null when the number and code do not match (404). */
async function followOrder(number: string, code: string): Promise<PublicOrderView | null> {
  try {
    return await api.get<PublicOrderView>(`/api/public/orders/${encodeURIComponent(number)}`, { code });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** A resident follows a report by its number and access code, and rates it once it is closed. */
export function TrackPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const number = clean(params.get('number'));
  const code = clean(params.get('code'));
  const [form] = Form.useForm<Lookup>();
  const [saved, setSaved] = useState<SavedReceipt[]>(savedReceipts);
  const [rated, setRated] = useState<PublicOrderView | null>(null);

  useEffect(() => {
    form.setFieldsValue({ number, code });
    setRated(null);
  }, [number, code, form]);

  const view = useLoad(number && code ? () => followOrder(number, code) : null, [number, code]);
  const order = rated ?? view.data ?? null;
  const notFound = !view.loading && view.data === null;

  const lookUp = (v: Lookup) => {
    const next = { number: clean(v.number), code: clean(v.code) };
    if (next.number === number && next.code === code) view.reload();
    else setParams(next);
  };

  return (
    <PublicLayout>
      <h1 className="ht-public-title">{t('track.title')}</h1>
      <Form<Lookup> form={form} layout="vertical" onFinish={lookUp} requiredMark={false} initialValues={{ number, code }} data-testid="track-form">
        <Form.Item name="number" label={t('report.number')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input placeholder="HT…" autoCapitalize="characters" autoComplete="off" data-testid="track-number" />
        </Form.Item>
        <Form.Item name="code" label={t('report.accessCode')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input autoCapitalize="characters" autoComplete="off" maxLength={16} data-testid="track-code" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" icon={<SearchOutlined />} loading={view.loading} data-testid="track-submit">
          {t('track.submit')}
        </Button>
      </Form>

      <div style={{ marginTop: 16 }}>
        {view.loading && !order && <Skeleton active paragraph={{ rows: 5 }} />}
        {notFound && <Alert type="warning" showIcon data-testid="track-error" title={t('track.notFound')} description={t('track.notFoundHint')} />}
        {view.error && !view.loading && (
          <Alert
            type="error"
            showIcon
            data-testid="track-error"
            title={view.error}
            action={
              <Button size="small" onClick={view.reload}>
                {t('field.retry')}
              </Button>
            }
          />
        )}
        {order && !view.error && <OrderView order={order} code={code} onRated={setRated} />}
      </div>

      {saved.length > 0 && (
        <div className="ht-section" data-testid="track-saved">
          <h3>{t('track.saved')}</h3>
          {saved.map((r) => (
            <div key={r.number} className="ht-saved">
              <Link to={trackUrl(r)}>
                <div className="ht-saved-number">{r.number}</div>
                <div className="ht-hint">
                  {shortTime(r.at)} · {r.summary}
                </div>
              </Link>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                onClick={() => {
                  forgetReceipt(r.number);
                  setSaved(savedReceipts());
                }}
              />
            </div>
          ))}
        </div>
      )}
      <p className="ht-hint" style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/report">{t('track.newReport')}</Link>
      </p>
    </PublicLayout>
  );
}

function OrderView({ order, code, onRated }: { order: PublicOrderView; code: string; onRated: (v: PublicOrderView) => void }) {
  const { t, locale } = useI18n();
  const items = [...order.timeline].reverse().map((e, i) => ({
    key: i,
    color: e.toState === 'closed' || e.toState === 'evaluated' ? 'green' : e.toState === 'rejected' ? 'red' : 'blue',
    content: (
      <div>
        <b>{stepLabel(e.action, locale)}</b>
        <div className="ht-hint">{shortTime(e.createdAt)}</div>
        {e.note && <div className="ht-note">{e.note}</div>}
      </div>
    ),
  }));
  return (
    <div data-testid="track-result">
      <div className="ht-order-head">
        <div className="ht-order-card-top">
          <Tag color={stateColor(order.state)} data-testid="track-state">
            {stateLabel(order.state, locale)}
          </Tag>
          {order.satisfaction && <Tag color="green">{satisfactionLabel(order.satisfaction, locale)}</Tag>}
          <span className="ht-order-card-number">{order.number}</span>
        </div>
        <div className="ht-hint">
          {order.categoryName} · {shortTime(order.createdAt)}
        </div>
        <div className="ht-note">{order.description}</div>
      </div>
      {order.mergedIntoNumber && (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('track.merged', { number: order.mergedIntoNumber })} data-testid="track-merged" />
      )}
      {order.canRate && <RateForm number={order.number} code={code} onRated={onRated} />}
      <div className="ht-section">
        <h3>{t('field.timeline')}</h3>
        <Timeline items={items} data-testid="track-timeline" />
      </div>
    </div>
  );
}

function RateForm({ number, code, onRated }: { number: string; code: string; onRated: (v: PublicOrderView) => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { satisfaction: Satisfaction; note?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const body = { accessCode: code, satisfaction: v.satisfaction, ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
      onRated(await api.post<PublicOrderView>(`/api/public/orders/${encodeURIComponent(number)}/rating`, body));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t('track.alreadyRated') : messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ht-rate" data-testid="rate-form">
      <h3>{t('track.rateTitle')}</h3>
      <p className="ht-hint">{t('track.rateHint')}</p>
      <Form<{ satisfaction: Satisfaction; note?: string }> layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="satisfaction" rules={[{ required: true, message: t('track.ratePick') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" className="ht-rate-options">
            {SATISFACTIONS.map((s) => (
              <Radio.Button key={s} value={s} data-testid={`rate-${s}`}>
                {satisfactionLabel(s, locale)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t('track.rateNote')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} showCount data-testid="rate-note" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} description={t('field.keptRetry')} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="rate-submit">
          {t('track.rateSubmit')}
        </Button>
      </Form>
    </div>
  );
}
