import type { VolunteerProfile } from '@haitang/contracts';
import { Button, Card, Col, Empty, List, Progress, Rate, Row, Statistic, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { chinaTime, kindLabel } from './labels';

/**
 * A volunteer's record: certified hours, star level (and how far to the next), points, the service
 * records and the certificates (each a PDF). Shown to staff in the console and to the volunteer on
 * the phone page.
 */
export function VolunteerProfileView({ profile, onIssue, issuing }: { profile: VolunteerProfile; onIssue?: () => void; issuing?: boolean }) {
  const { t, locale } = useI18n();
  const next = profile.nextStar;
  return (
    <div data-testid="volunteer-profile">
      <Row gutter={[12, 12]}>
        <Col xs={12} sm={6}><Card size="small"><Statistic title={t('vol.hours')} value={profile.totalHours} precision={1} data-testid="vol-hours" /></Card></Col>
        <Col xs={12} sm={6}><Card size="small"><Statistic title={t('vol.services')} value={profile.services} /></Card></Col>
        <Col xs={12} sm={6}><Card size="small"><Statistic title={t('vol.points')} value={profile.points} data-testid="vol-points" /></Card></Col>
        <Col xs={12} sm={6}>
          <Card size="small">
            <div className="ht-hint">{t('vol.star')}</div>
            <Rate disabled count={5} value={profile.star} style={{ fontSize: 16 }} />
          </Card>
        </Col>
      </Row>
      {next && (
        <div style={{ margin: '12px 0' }}>
          <Progress percent={Math.min(100, Math.round((profile.totalHours / next.minHours) * 100))} showInfo={false} />
          <span className="ht-hint">{t('vol.toNext', { level: next.level, hours: next.hoursToGo })}</span>
        </div>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('vol.certificates')}
        {onIssue && (
          <Button size="small" style={{ marginLeft: 12 }} onClick={onIssue} loading={issuing} disabled={profile.services === 0} data-testid="vol-issue">
            {t('vol.issue')}
          </Button>
        )}
      </Typography.Title>
      {profile.certificates.length === 0 ? (
        <div className="ht-hint">{t('vol.noCertificates')}</div>
      ) : (
        <List
          size="small"
          dataSource={profile.certificates}
          renderItem={(c) => (
            <List.Item actions={[<a key="pdf" href={`/api/certificates/${c.id}/pdf`} target="_blank" rel="noreferrer" data-testid={`vol-cert-${c.id}`}>PDF</a>]}>
              {c.number} · {c.issuerName} · {(c.totalMinutes / 60).toFixed(1)} h · {chinaTime(c.issuedAt).slice(0, 10)}
            </List.Item>
          )}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('vol.records')}</Typography.Title>
      {profile.records.length === 0 ? (
        <Empty description={t('vol.noRecords')} />
      ) : (
        <List
          size="small"
          dataSource={profile.records}
          renderItem={(r) => (
            <List.Item>
              <span>{chinaTime(r.startsAt).slice(0, 10)} · {r.title}</span>
              <span className="ht-hint">{kindLabel(r.kind as never, locale)} · {r.organiser} · {t('activity.minutes', { n: r.minutes })}</span>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
