import type { SignupView } from '@haitang/contracts';
import { Button, Result, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, messageOf } from '../api/client';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';

/**
 * What the organiser's QR code opens on a resident's phone: it checks them in (or out) at once and
 * says so. Opening it twice changes nothing (the server keeps the first time).
 */
export function ActivityScanPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const { t } = useI18n();
  const direction = params.get('d') === 'out' ? 'out' : 'in';
  const token = params.get('t') ?? '';
  const [result, setResult] = useState<{ ok: true; signup: SignupView } | { ok: false; message: string } | null>(null);
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    api.post<SignupView>(`/api/activities/${id}/scan/${direction}`, { token }).then(
      (signup) => setResult({ ok: true, signup }),
      (error) => setResult({ ok: false, message: error instanceof ApiError && error.code === 'FORBIDDEN' ? t('m.residentsOnly') : messageOf(error) }),
    );
  }, [id, direction, token, t]);

  return (
    <PublicLayout>
      {!result && <Spin tip={t('m.scanning')} style={{ display: 'block', margin: '48px auto' }} />}
      {result && (
        <Result
          status={result.ok ? 'success' : 'error'}
          title={result.ok ? (direction === 'in' ? t('m.scanDoneIn') : t('m.scanDoneOut')) : t('m.scanFailed')}
          subTitle={result.ok ? undefined : result.message}
          data-testid="m-scan-result"
          extra={
            <Link to={`/m/activities/${id}`}>
              <Button type="primary">{t('m.toActivity')}</Button>
            </Link>
          }
        />
      )}
    </PublicLayout>
  );
}
