import {
  maskIdNumber,
  maskName,
  maskPhone,
  RESIDENT_EXPORT_MAX_ROWS,
  TAG_LABELS,
  type ResidentExportQuery,
} from '@haitang/contracts';
import ExcelJS from 'exceljs';
import type { AppContext } from '../../context.js';
import { requirePermission, type Actor } from '../../lib/actor.js';
import { writeAudit } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { canSeeFullNames } from './resident.policy.js';
import { parseTags } from './resident.mapper.js';
import { findResidentViewsForExport } from './resident.repository.js';
import { resolveResidentFilter } from './resident.service.js';

/** Columns of the export, in order: header (zh-CN, what the community's spreadsheets use) and width. */
const COLUMNS = [
  { header: '姓名', key: 'name', width: 12 },
  { header: '性别', key: 'gender', width: 6 },
  { header: '出生日期', key: 'birthDate', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '手机号', key: 'phone', width: 16 },
  { header: '地址', key: 'address', width: 36 },
  { header: '所属网格', key: 'org', width: 18 },
  { header: '标签', key: 'tags', width: 24 },
] as const;

const GENDER_LABEL: Record<string, string> = { male: '男', female: '女' };

/**
 * The filtered residents as an .xlsx, personal numbers masked. Audited with the filter and the
 * row count. More than RESIDENT_EXPORT_MAX_ROWS matches is refused rather than cut silently.
 */
export async function exportResidents(
  ctx: AppContext,
  actor: Actor,
  query: ResidentExportQuery,
): Promise<{ buffer: Buffer; rows: number }> {
  requirePermission(actor, 'resident.export');
  const filter = await resolveResidentFilter(ctx, actor, query);
  const rows = await findResidentViewsForExport(ctx.db, ctx.dialect, filter, RESIDENT_EXPORT_MAX_ROWS + 1);
  if (rows.length > RESIDENT_EXPORT_MAX_ROWS) {
    throw new AppError('BAD_REQUEST', { detail: `一次最多导出 ${RESIDENT_EXPORT_MAX_ROWS} 人,请缩小筛选范围` });
  }
  const fullNames = canSeeFullNames(actor);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Haitang';
  const sheet = workbook.addWorksheet('居民');
  sheet.columns = COLUMNS.map((c) => ({ ...c }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) {
    sheet.addRow({
      name: fullNames ? r.name : maskName(r.name),
      gender: r.gender ? (GENDER_LABEL[r.gender] ?? '') : '',
      birthDate: r.birth_date ?? '',
      idNumber: r.id_number_masked ?? '',
      phone: r.phone_masked ?? '',
      address: r.address ?? r.household_address ?? '',
      org: r.org_name,
      tags: parseTags(r.tags)
        .map((t) => TAG_LABELS[t]?.['zh-CN'] ?? t)
        .join('、'),
    });
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await ctx.db.transaction().execute((trx) =>
    writeAudit(trx, ctx.dialect, actor, {
      action: 'resident.export',
      entityType: 'resident',
      entityId: null,
      orgId: filter.orgId,
      after: { filter: auditFilter(query, filter.search?.kind === 'hash'), rows: rows.length },
    }),
  );
  return { buffer, rows: rows.length };
}

/** The filter as logged: a full ID number or phone typed into `q` is masked like everywhere else. */
function auditFilter(query: ResidentExportQuery, qIsPersonalNumber: boolean): ResidentExportQuery {
  if (!query.q || !qIsPersonalNumber) return { ...query };
  const q = query.q.trim();
  return { ...query, q: q.length === 18 ? maskIdNumber(q) : maskPhone(q) };
}
