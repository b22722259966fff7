import type { ActivityView, CheckInCode } from '@haitang/contracts';
import { Alert, QRCode, Segmented, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { timeRange } from '../../features/activities/labels';
import { useI18n } from '../../i18n';

/**
 * The organiser's screen at the door: a QR code that changes every 30 seconds (a photo of it stops
 * working within a minute). Residents scan it with the phone camera; it opens their check-in page.
 */
export function ActivityQrPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const [activity, setActivity] = useState<ActivityView | null>(null);
  const [code, setCode] = useState<CheckInCode | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<ActivityView>(`/api/activities/${id}`).then(setActivity, (e: Error) => setError(e.message));
  }, [id]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const next = async () => {
      try {
        const c = await api.get<CheckInCode>(`/api/activities/${id}/check-in-code`, { direction });
        if (!live) return;
        setCode(c);
        setError(null);
        timer = setTimeout(next, c.refreshInSeconds * 1000 + 200);
      } catch (e) {
        if (!live) return;
        setError((e as Error).message);
        timer = setTimeout(next, 10_000);
      }
    };
    void next();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, direction]);

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 16, padding: 24 }} data-testid="qr-page">
      {activity && (
        <>
          <Typography.Title level={2} style={{ margin: 0, textAlign: 'center' }}>{activity.title}</Typography.Title>
          <Typography.Text type="secondary">{timeRange(activity.startsAt, activity.endsAt)} · {activity.place}</Typography.Text>
        </>
      )}
      <Segmented value={direction} onChange={(v) => setDirection(v as 'in' | 'out')} options={[{ value: 'in', label: t('qr.switchIn') }, { value: 'out', label: t('qr.switchOut') }]} data-testid="qr-direction" />
      <Typography.Title level={3} style={{ margin: 0 }}>{direction === 'in' ? t('qr.title') : t('qr.titleOut')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      {code ? (
        <div data-testid="qr-code" data-url={code.url}>
          <QRCode value={new URL(code.url, window.location.origin).toString()} size={320} errorLevel="M" />
        </div>
      ) : (
        !error && <Spin />
      )}
      <Typography.Text type="secondary">{t('qr.hint')}</Typography.Text>
    </div>
  );
}
