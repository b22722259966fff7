import type { ImportJobView, ImportStatus } from '@haitang/contracts';
import type { ImportJobRow } from './import.repository.js';

/** The job as the API shows it (no account or file hash). */
export function mapImportJob(r: ImportJobRow): ImportJobView {
  return {
    id: r.id,
    status: r.status as ImportStatus,
    fileName: r.file_name,
    orgId: r.org_id,
    totalRows: Number(r.total_rows),
    validRows: Number(r.valid_rows),
    errorRows: Number(r.error_rows),
    processedRows: Number(r.processed_rows),
    createdCount: Number(r.created_count),
    updatedCount: Number(r.updated_count),
    message: r.message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
