import { IMPORT_REASONS, type ImportReason } from '@haitang/contracts';
import { Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { ImportRowError, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';

const PAGE_SIZE = 50;

/** The rejected cells of a validated import job, a page at a time. */
export function ImportErrorsTable({ jobId }: { jobId: number | string }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const errors = useLoad(() => api.get<Page<ImportRowError>>(`/api/imports/${jobId}/errors`, { page, pageSize: PAGE_SIZE }), [jobId, page]);

  // The server words reasons in Chinese; in English use the reason's own text when it has no parameters.
  const describe = (e: ImportRowError) => {
    const reason = IMPORT_REASONS[e.reason as ImportReason];
    return locale === 'en' && reason && !reason.en.includes('{') ? reason.en : e.message;
  };

  return (
    <Table<ImportRowError>
      size="small"
      rowKey={(e) => `${e.row}-${e.column}-${e.reason}`}
      loading={errors.loading}
      dataSource={errors.data?.items ?? []}
      scroll={{ x: 'max-content' }}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: errors.data?.total ?? 0, onChange: setPage, showSizeChanger: false, size: 'small' }}
      data-testid="import-errors"
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 70 },
        { title: t('import.column'), dataIndex: 'column' },
        { title: t('import.value'), dataIndex: 'value', render: (v: string | null) => v ?? '' },
        { title: t('import.reason'), key: 'reason', render: (_, e) => describe(e) },
      ]}
    />
  );
}
