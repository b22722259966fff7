import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Row, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AuditEntry, AuditVerifyResult, Page } from '../../api/types';
import { AuditFilters, type AuditFilterValues } from '../../features/audit/audit-filters';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useNotify } from '../../features/common/use-notify';
import { useI18n } from '../../i18n';

function Json({ value }: { value: unknown }) {
  return <pre className="ht-json">{value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>;
}

export function AuditPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const { fail } = useNotify();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [verifying, setVerifying] = useState(false);
  const list = useLoad(() => api.get<Page<AuditEntry>>('/api/audit', { ...filters, page, pageSize }), [filters, page, pageSize]);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.get<AuditVerifyResult>('/api/audit/verify'));
    } catch (error) {
      fail(error);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div>
      <AuditFilters
        onChange={(f) => {
          setFilters(f);
          setPage(1);
        }}
      />
      {session?.account.role === 'admin' && (
        <div style={{ marginBottom: 12 }}>
          <Button icon={<SafetyCertificateOutlined />} onClick={runVerify} loading={verifying} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
          {verify && (
            <Alert
              style={{ marginTop: 8 }}
              type={verify.ok ? 'success' : 'error'}
              showIcon
              data-testid="audit-verify-result"
              title={verify.ok ? t('audit.verifyOk', { n: verify.checked }) : t('audit.verifyBad', { n: verify.checked, p: verify.problems.length })}
              description={verify.ok ? undefined : <Json value={verify.problems} />}
            />
          )}
        </div>
      )}
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (entry) => (
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Typography.Text strong>{t('audit.before')}</Typography.Text>
                <Json value={entry.before} />
              </Col>
              <Col xs={24} md={12}>
                <Typography.Text strong>{t('audit.after')}</Typography.Text>
                <Json value={entry.after} />
              </Col>
            </Row>
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, size) => {
            setPage(size !== pageSize ? 1 : p);
            setPageSize(size);
          },
        }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          { title: t('audit.at'), dataIndex: 'at', render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('audit.actor'), dataIndex: 'actorName', render: (name: string | null, e) => name ?? (e.actorId === null ? '—' : `#${e.actorId}`) },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.entityType'), dataIndex: 'entityType' },
          { title: t('audit.entityId'), dataIndex: 'entityId' },
          { title: t('audit.ip'), dataIndex: 'ip' },
        ]}
      />
    </div>
  );
}
