import { REDEMPTION_STATUS_LABELS, WISH_STATUS_LABELS, type PointLedger, type WishView, type RedemptionView, type RewardView, type VolunteerProfile } from '@haitang/contracts';
import { Alert, Button, Card, Input, List, Popconfirm, Skeleton, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { chinaTime } from '../features/activities/labels';
import { VolunteerProfileView } from '../features/activities/volunteer-profile';
import { useLoad } from '../features/common/use-load';
import { useNotify } from '../features/common/use-notify';
import { useI18n } from '../i18n';
import { PublicLayout } from './public-layout';

/** A resident's own volunteering on the phone: hours, stars, certificates, points and rewards. */
export function ResidentMePage() {
  const { t, locale } = useI18n();
  const { ok, fail } = useNotify();
  const profile = useLoad(() => api.get<VolunteerProfile>('/api/volunteers/me'), []);
  const ledger = useLoad(() => api.get<PointLedger>('/api/points/me'), []);
  const rewards = useLoad(() => api.get<{ items: RewardView[] }>('/api/rewards'), []);
  const mine = useLoad(() => api.get<{ items: RedemptionView[] }>('/api/redemptions'), []);
  const wishes = useLoad(() => api.get<{ items: WishView[] }>('/api/wishes/mine'), []);
  const [wish, setWish] = useState('');
  const makeWish = async () => {
    try {
      await api.post('/api/wishes/mine', { content: wish.trim() });
      ok(t('wish.made'));
      setWish('');
      wishes.reload();
    } catch (error) {
      fail(error);
    }
  };
  const redeem = async (r: RewardView) => {
    try {
      await api.post(`/api/rewards/${r.id}/redeem`, {});
      ok(t('reward.requested'));
    } catch (error) {
      fail(error);
    }
    ledger.reload();
    rewards.reload();
    mine.reload();
    profile.reload();
  };
  const balance = ledger.data?.balance ?? 0;
  return (
    <PublicLayout>
      <h2 className="ht-public-title">{t('m.me')}</h2>
      {profile.error && <Alert type="error" showIcon title={profile.error} />}
      {!profile.data && !profile.error && <Skeleton active />}
      {profile.data && (
        <Tabs
          items={[
            { key: 'record', label: t('vol.tab.profile'), children: <VolunteerProfileView profile={profile.data} /> },
            {
              key: 'points',
              label: t('m.rewards'),
              children: (
                <div>
                  <Card size="small" style={{ marginBottom: 12 }}><strong data-testid="m-balance">{t('reward.balance', { n: balance })}</strong></Card>
                  <List
                    dataSource={rewards.data?.items ?? []}
                    renderItem={(r) => (
                      <List.Item
                        actions={[
                          r.stock <= 0 ? (
                            <Tag key="out">{t('reward.soldOut')}</Tag>
                          ) : (
                            <Popconfirm key="go" title={t('reward.redeemConfirm', { cost: r.cost, name: r.name })} onConfirm={() => redeem(r)}>
                              <Button size="small" type="primary" disabled={balance < r.cost} data-testid={`m-redeem-${r.id}`}>{t('reward.redeem')}</Button>
                            </Popconfirm>
                          ),
                        ]}
                      >
                        <List.Item.Meta title={r.name} description={`${r.cost} ${t('vol.points')} · ${t('reward.stock')} ${r.stock}`} />
                      </List.Item>
                    )}
                  />
                  <h3 style={{ marginTop: 16 }}>{t('m.myRedemptions')}</h3>
                  <List
                    size="small"
                    dataSource={mine.data?.items ?? []}
                    renderItem={(r) => (
                      <List.Item data-testid={`m-redemption-${r.id}`}>
                        <div>
                          <div>{r.rewardName} · {r.points} {t('vol.points')}</div>
                          <div className="ht-hint">
                            {REDEMPTION_STATUS_LABELS[r.status][locale]}
                            {r.status === 'approved' && r.pickupCode ? ` · ${t('reward.myCode', { code: r.pickupCode })}` : ''}
                            {r.reason ? ` · ${r.reason}` : ''}
                          </div>
                        </div>
                      </List.Item>
                    )}
                  />
                  <h3 style={{ marginTop: 16 }}>{t('m.ledger')}</h3>
                  <List
                    size="small"
                    dataSource={ledger.data?.entries ?? []}
                    renderItem={(e) => (
                      <List.Item>
                        <span>{e.memo}<div className="ht-hint">{chinaTime(e.createdAt)}</div></span>
                        <strong style={{ color: e.amount > 0 ? '#389e0d' : '#cf1322' }}>{e.amount > 0 ? `+${e.amount}` : e.amount}</strong>
                      </List.Item>
                    )}
                  />
                </div>
              ),
            },
            {
              key: 'wishes',
              label: t('wish.mine'),
              children: (
                <div>
                  <Input.TextArea rows={2} maxLength={500} value={wish} onChange={(e) => setWish(e.target.value)} placeholder={t('wish.make')} data-testid="m-wish-text" />
                  <Button type="primary" block style={{ margin: '8px 0 16px' }} disabled={wish.trim().length < 2} onClick={makeWish} data-testid="m-wish-send">{t('wish.make')}</Button>
                  <List
                    size="small"
                    dataSource={wishes.data?.items ?? []}
                    renderItem={(w) => (
                      <List.Item>
                        <div>
                          <div>{w.content}</div>
                          <div className="ht-hint">
                            {WISH_STATUS_LABELS[w.status][locale]}
                            {w.claimantName ? ` · ${t('wish.claimant')}:${w.claimantName}` : ''}
                            {w.rejectReason ? ` · ${w.rejectReason}` : ''}
                          </div>
                        </div>
                      </List.Item>
                    )}
                  />
                </div>
              ),
            },
          ]}
        />
      )}
    </PublicLayout>
  );
}
