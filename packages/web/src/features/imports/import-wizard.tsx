import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Result, Row, Space, Statistic, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, downloadFile } from '../../api/client';
import type { ImportJob } from '../../api/types';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import { RESIDENT_ORG_KINDS, type OrgTreeNode } from '../org/use-org-tree';
import { ImportErrorsTable } from './import-errors-table';

const POLL_MS = 500;
const RUNNING = new Set(['validating', 'importing']);

/**
 * Resident import: template → upload → server-side validation (polled) → review errors →
 * commit all or only the valid rows → result.
 */
export function ImportWizard({ tree, onDone }: { tree: OrgTreeNode[]; onDone?: () => void }) {
  const { t, td } = useI18n();
  const { fail } = useNotify();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // Poll while the server works on the job.
  useEffect(() => {
    if (!job || !RUNNING.has(job.status)) return;
    const timer = setTimeout(() => {
      api.get<ImportJob>(`/api/imports/${job.id}`).then(setJob, (error: unknown) => {
        fail(error);
        setJob((j) => (j ? { ...j, status: 'failed' } : j));
      });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, fail]);

  const upload = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      setFileError(t('import.xlsxOnly'));
      return;
    }
    const form = new FormData();
    if (orgId !== undefined) form.append('orgId', String(orgId));
    form.append('file', file);
    setBusy(true);
    try {
      setJob(await api.upload<ImportJob>('/api/imports/residents', form));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const commit = async (onlyValid: boolean) => {
    if (!job) return;
    setBusy(true);
    try {
      setJob(await api.post<ImportJob>(`/api/imports/${job.id}/commit`, { onlyValid }));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setJob(null);
    setFileError(null);
  };

  useEffect(() => {
    if (job?.status === 'done') onDone?.();
  }, [job?.status, onDone]);

  if (!job) {
    return (
      <Card title={t('import.title')} data-testid="import-step-upload">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Button icon={<DownloadOutlined />} onClick={() => downloadFile('/api/imports/residents/template.xlsx', '居民导入模板.xlsx').catch(fail)} data-testid="import-template">
            {t('import.template')}
          </Button>
          <div>
            <Typography.Text>{t('import.targetOrg')}</Typography.Text>
            <div>
              <OrgTreeSelect tree={tree} value={orgId} onChange={setOrgId} selectableKinds={RESIDENT_ORG_KINDS} allowClear testId="import-org" style={{ width: '100%', maxWidth: 360 }} />
            </div>
          </div>
          <input
            ref={fileInput}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            style={{ display: 'none' }}
            data-testid="import-file-input"
            onChange={(e) => void upload(e.target.files?.[0])}
          />
          <Button type="primary" icon={<UploadOutlined />} loading={busy} onClick={() => fileInput.current?.click()} data-testid="import-upload">
            {t('import.upload')}
          </Button>
          {fileError && <Alert type="error" showIcon title={fileError} />}
        </Space>
      </Card>
    );
  }

  // While validating, the row count is known only at the end; while importing, the goal is validRows.
  const goal = job.status === 'importing' ? job.validRows : job.totalRows;
  const percent = goal > 0 ? Math.min(100, Math.round((job.processedRows / goal) * 100)) : 0;
  const counts = (
    <Row gutter={12}>
      <Col span={8}>
        <Statistic title={t('import.totalRows')} value={job.totalRows} />
      </Col>
      <Col span={8}>
        <Statistic title={t('import.validRows')} value={job.validRows} styles={{ content: { color: '#389e0d' } }} />
      </Col>
      <Col span={8}>
        <Statistic title={t('import.errorRows')} value={job.errorRows} styles={{ content: { color: job.errorRows ? '#cf1322' : undefined } }} />
      </Col>
    </Row>
  );

  return (
    <Card title={`${t('import.title')}${job.fileName ? ` · ${job.fileName}` : ''}`} data-testid="import-job" data-status={job.status}>
      {RUNNING.has(job.status) && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{td(`import.status.${job.status}`)}</Typography.Text>
          <Progress percent={goal > 0 ? percent : 99} showInfo={goal > 0} status="active" data-testid="import-progress" />
          <Typography.Text type="secondary" data-testid="import-processed">
            {goal > 0 ? `${job.processedRows} / ${goal}` : t('import.processed', { n: job.processedRows })}
          </Typography.Text>
        </Space>
      )}
      {job.status === 'validated' && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-validated">
          {counts}
          {job.errorRows > 0 && (
            <>
              <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadFile(`/api/imports/${job.id}/errors.xlsx`, 'errors.xlsx').catch(fail)} data-testid="import-errors-download">
                {t('import.errorsDownload')}
              </Button>
              <ImportErrorsTable jobId={job.id} />
            </>
          )}
          <Space wrap>
            {job.errorRows > 0 ? (
              <Button type="primary" onClick={() => commit(true)} loading={busy} disabled={job.validRows === 0} data-testid="import-only-valid">
                {t('import.onlyValid')}
              </Button>
            ) : (
              <Button type="primary" onClick={() => commit(false)} loading={busy} data-testid="import-confirm">
                {t('import.confirm')}
              </Button>
            )}
            <Button onClick={reset} data-testid="import-cancel">
              {t('common.cancel')}
            </Button>
          </Space>
        </Space>
      )}
      {job.status === 'done' && (
        <Result
          status="success"
          title={t('import.status.done')}
          subTitle={`${t('import.created')} ${job.createdCount ?? 0} · ${t('import.updated')} ${job.updatedCount ?? 0}`}
          data-testid="import-done"
          extra={
            <Button onClick={reset} data-testid="import-again">
              {t('import.again')}
            </Button>
          }
        />
      )}
      {job.status === 'failed' && (
        <Result
          status="error"
          title={td(`import.status.${job.status}`)}
          subTitle={job.message ?? undefined}
          data-testid="import-failed"
          extra={<Button onClick={reset}>{t('import.again')}</Button>}
        />
      )}
    </Card>
  );
}
