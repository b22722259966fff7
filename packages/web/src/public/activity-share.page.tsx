import type { PublicActivityView } from '@haitang/contracts';
import { Alert, Button, Skeleton, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { kindLabel, timeRange } from '../features/activities/labels';
import { useSession } from '../features/auth/session';
import { useLoad } from '../features/common/use-load';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';

/** The share page of an activity (sent to chat groups, printed on the poster): anyone may read it. */
export function ActivitySharePage() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const { session } = useSession();
  const navigate = useNavigate();
  const a = useLoad(() => api.get<PublicActivityView>(`/api/public/activities/${id}`), [id]);
  const signUp = () => {
    const target = `/m/activities/${id}`;
    if (session) navigate(target);
    else navigate('/login', { state: { from: target } });
  };
  return (
    <PublicLayout>
      {a.error && <Alert type="error" showIcon title={a.error} />}
      {a.loading && <Skeleton active />}
      {a.data && (
        <div data-testid="share-activity">
          <h2 className="ht-public-title">{a.data.title}</h2>
          <p className="ht-hint">{kindLabel(a.data.kind, locale)} · {a.data.orgName}{a.data.organiser ? ` · ${a.data.organiser}` : ''}</p>
          <p><strong>{t('activity.time')}:</strong>{timeRange(a.data.startsAt, a.data.endsAt)}</p>
          <p><strong>{t('activity.place')}:</strong>{a.data.place}</p>
          <p>
            <strong>{t('activity.capacity')}:</strong>
            {t('activity.signedUp', { n: a.data.confirmedCount })} / {a.data.capacity ?? t('activity.unlimited')}
          </p>
          {a.data.imageIds.map((img) => (
            <img key={img} src={`/api/public/activities/${a.data!.id}/images/${img}`} alt="" style={{ width: '100%', borderRadius: 8, marginBottom: 8 }} />
          ))}
          {a.data.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.data.description}</Typography.Paragraph>}
          {a.data.status === 'published' && (
            <Button type="primary" block size="large" onClick={signUp} data-testid="share-signup">{t('m.signUp')}</Button>
          )}
        </div>
      )}
    </PublicLayout>
  );
}
