import type { PublicWishView } from '@haitang/contracts';
import { Alert, Button, Card, Empty, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { chinaTime } from '../features/activities/labels';
import { useSession } from '../features/auth/session';
import { useLoad } from '../features/common/use-load';
import { useNotify } from '../features/common/use-notify';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';

/** The published wishes, for anyone: the wisher's masked name and the wish; residents claim one here. */
export function PublicWishesPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const { ok, fail } = useNotify();
  const navigate = useNavigate();
  const list = useLoad(() => api.get<{ items: PublicWishView[] }>('/api/public/wishes'), []);
  const claim = async (w: PublicWishView) => {
    if (session?.account.role !== 'resident') {
      navigate('/login', { state: { from: '/wishes' } });
      return;
    }
    try {
      await api.post('/api/wish-claims', { wishIds: [w.id] });
      ok(t('wish.claimedDone'));
      list.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) navigate('/login', { state: { from: '/wishes' } });
      else fail(error);
    }
  };
  return (
    <PublicLayout>
      <h2 className="ht-public-title">{t('wish.public')}</h2>
      <p className="ht-hint">{t('wish.publicHint')}</p>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      {list.loading && <Skeleton active />}
      {list.data && list.data.items.length === 0 && <Empty description={t('wish.none')} />}
      {list.data?.items.map((w) => (
        <Card key={w.id} size="small" style={{ marginBottom: 12 }} data-testid={`public-wish-${w.id}`}>
          <Typography.Text strong>{w.publicName}</Typography.Text>
          <span className="ht-hint"> · {w.communityName} · {chinaTime(w.publishedAt).slice(0, 10)}</span>
          {w.priority > 0 && <Tag color="red" style={{ marginLeft: 8 }}>{t('wish.waitingFor', { n: w.priority })}</Tag>}
          <p style={{ margin: '8px 0' }}>{w.content}</p>
          <Popconfirm title={t('wish.claimedDone')} onConfirm={() => claim(w)}>
            <Button size="small" type="primary" data-testid={`public-wish-claim-${w.id}`}>{t('wish.claimMine')}</Button>
          </Popconfirm>
        </Card>
      ))}
    </PublicLayout>
  );
}
