import { Button, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { OrgSummary } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useI18n, type MessageKey } from '../../i18n';

const FIGURES: { key: keyof OrgSummary; label: MessageKey }[] = [
  { key: 'communities', label: 'home.communities' },
  { key: 'grids', label: 'home.grids' },
  { key: 'microGrids', label: 'home.microGrids' },
  { key: 'households', label: 'home.households' },
  { key: 'residents', label: 'home.residents' },
  { key: 'teams', label: 'home.teams' },
];

/** Loads the summary, treating a missing endpoint or a forbidden one as "no figures". */
async function loadSummary(): Promise<OrgSummary | null> {
  try {
    return await api.get<OrgSummary>('/api/org/summary');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

export function HomePage() {
  const { t } = useI18n();
  const { session, can } = useSession();
  const summary = useLoad(can('org.read') ? loadSummary : null, []);
  const account = session?.account;

  return (
    <div>
      <Typography.Title level={3} data-testid="home-welcome">
        {t('home.welcome', { name: account?.displayName ?? account?.username ?? '' })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      {account?.role === 'resident' ? (
        <Space wrap>
          <Link to="/m/activities"><Button type="primary" size="large" data-testid="home-activities">{t('m.activities')}</Button></Link>
          <Link to="/report"><Button size="large">{t('report.nav')}</Button></Link>
        </Space>
      ) : (
        !can('org.read') && !can('resident.read') && <Typography.Paragraph>{t('home.noAccess')}</Typography.Paragraph>
      )}
      {summary.data && (
        <Row gutter={[12, 12]} data-testid="home-summary">
          {FIGURES.map((f) => (
            <Col key={f.key} xs={12} sm={8} lg={4}>
              <Card size="small">
                <Statistic title={t(f.label)} value={summary.data?.[f.key] ?? 0} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
