import type { ActivityList, ActivityView, SignupList, SignupView } from '@haitang/contracts';
import { Alert, Button, Card, Empty, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { kindLabel, SIGNUP_COLOR, chinaTime, timeRange } from '../features/activities/labels';
import { useLoad } from '../features/common/use-load';
import { useNotify } from '../features/common/use-notify';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';

/** A resident's phone page: the activities coming up in their community. */
export function ResidentActivitiesPage() {
  const { t, locale } = useI18n();
  const list = useLoad(() => api.get<ActivityList>('/api/activities', { upcoming: true, status: 'published', pageSize: 50 }), []);
  return (
    <PublicLayout>
      <h2 className="ht-public-title">{t('m.activities')}</h2>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      {list.loading && <Skeleton active />}
      {list.data && list.data.items.length === 0 && <Empty description={t('m.noActivities')} />}
      {list.data?.items.map((a) => (
        <Link key={a.id} to={`/m/activities/${a.id}`} data-testid={`m-activity-${a.id}`}>
          <Card size="small" style={{ marginBottom: 12 }} hoverable>
            <Typography.Text strong>{a.title}</Typography.Text>
            <div className="ht-hint">{kindLabel(a.kind, locale)} · {timeRange(a.startsAt, a.endsAt)}</div>
            <div className="ht-hint">{a.place}</div>
            <div className="ht-hint">
              {t('activity.signedUp', { n: a.confirmedCount })} / {a.capacity ?? t('activity.unlimited')}
              {a.waitingCount ? ` · ${t('activity.waiting', { n: a.waitingCount })}` : ''}
            </div>
          </Card>
        </Link>
      ))}
    </PublicLayout>
  );
}

/** One activity: what, when, where, and the resident's own sign-up, attendance and minutes. */
export function ResidentActivityPage() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const { fail, ok } = useNotify();
  const activity = useLoad(() => api.get<ActivityView>(`/api/activities/${id}`), [id]);
  const mine = useLoad(() => api.get<SignupList>(`/api/activities/${id}/signups`), [id]);
  const [busy, setBusy] = useState(false);
  const a = activity.data;
  const signup: SignupView | undefined = mine.data?.items.find((s) => s.status !== 'withdrawn') ?? mine.data?.items[0];
  const active = signup && signup.status !== 'withdrawn';
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      ok(t('common.saved'));
      activity.reload();
      mine.reload();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };
  const full = a && a.capacity !== null && a.confirmedCount >= a.capacity;
  return (
    <PublicLayout>
      {activity.error && <Alert type="error" showIcon title={activity.error} />}
      {!a && !activity.error && <Skeleton active />}
      {a && (
        <div data-testid="m-activity">
          <h2 className="ht-public-title">{a.title}</h2>
          <p className="ht-hint">{kindLabel(a.kind, locale)} · {a.orgName}{a.teamName ? ` · ${a.teamName}` : ''}</p>
          <p><strong>{t('activity.time')}:</strong>{timeRange(a.startsAt, a.endsAt)}</p>
          <p><strong>{t('activity.place')}:</strong>{a.place}</p>
          <p>
            <strong>{t('activity.capacity')}:</strong>
            {t('activity.signedUp', { n: a.confirmedCount })} / {a.capacity ?? t('activity.unlimited')}
            {a.waitingCount ? ` · ${t('activity.waiting', { n: a.waitingCount })}` : ''}
          </p>
          {a.imageIds.map((img) => (
            <img key={img} src={`/api/activities/${a.id}/images/${img}`} alt="" style={{ width: '100%', borderRadius: 8, marginBottom: 8 }} />
          ))}
          {a.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.description}</Typography.Paragraph>}
          {a.seriesTitle && <p className="ht-hint">{t('series.pick')}:{a.seriesTitle}</p>}
          {a.materials.length > 0 && (
            <ul data-testid="m-materials">
              {a.materials.map((m) => <li key={m.title}>{m.url ? <a href={m.url} target="_blank" rel="noreferrer">{m.title}</a> : m.title}</li>)}
            </ul>
          )}
          {a.status === 'cancelled' && <Alert type="warning" showIcon title={`${t('activity.cancel')}:${a.cancelReason ?? ''}`} />}
          {signup && (
            <Card size="small" style={{ margin: '12px 0' }} data-testid="m-my-signup">
              <Tag color={SIGNUP_COLOR[signup.status]}>
                {signup.status === 'confirmed' ? t('m.signedUp') : signup.status === 'waiting' ? t('m.waiting', { n: signup.waitingPosition ?? '' }) : t('m.withdrawn')}
              </Tag>
              {signup.checkedInAt && <div className="ht-hint">{t('m.checkedIn', { time: chinaTime(signup.checkedInAt, false) })}</div>}
              {signup.checkedOutAt && <div className="ht-hint">{t('m.checkedOut', { time: chinaTime(signup.checkedOutAt, false) })}</div>}
              {signup.confirmedMinutes !== null ? (
                <div data-testid="m-confirmed-minutes">{t('m.confirmedMinutes', { n: signup.confirmedMinutes })}</div>
              ) : (
                signup.computedMinutes !== null && <div className="ht-hint">{t('m.myMinutes', { n: signup.computedMinutes })}</div>
              )}
            </Card>
          )}
          {a.status === 'published' && !active && (
            <>
              {full && <Alert type="info" showIcon title={t('m.full')} style={{ marginBottom: 12 }} />}
              <Button type="primary" block size="large" loading={busy} onClick={() => act(() => api.post(`/api/activities/${a.id}/signups`, {}))} data-testid="m-signup">
                {t('m.signUp')}
              </Button>
            </>
          )}
          {a.status === 'published' && active && !signup.checkedInAt && (
            <Popconfirm title={t('activity.withdrawConfirm')} onConfirm={() => act(() => api.post(`/api/activities/${a.id}/signups/${signup.id}/withdraw`))}>
              <Button block loading={busy} data-testid="m-withdraw">{t('activity.withdraw')}</Button>
            </Popconfirm>
          )}
          <p style={{ marginTop: 16 }}>
            <Link to="/m/activities">{t('common.back')}</Link>
          </p>
        </div>
      )}
    </PublicLayout>
  );
}
