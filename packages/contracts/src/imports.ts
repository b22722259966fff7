import { Type, type Static } from '@sinclair/typebox';

/**
 * Spreadsheet import of residents (and their households): the columns of the template, the job
 * states and the request/response shapes that the server and the web share.
 */

/** validating → validated → importing → done; failed when the file cannot be read or the work broke off. */
export const IMPORT_STATUSES = ['validating', 'validated', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The field a column fills. */
export type ResidentImportField =
  | 'name'
  | 'idNumber'
  | 'phone'
  | 'gender'
  | 'birthDate'
  | 'grid'
  | 'building'
  | 'unit'
  | 'room'
  | 'address'
  | 'relationToHead'
  | 'tags'
  | 'note';

export interface ImportColumn {
  field: ResidentImportField;
  /** Header text of the template (a trailing * marks a required column). */
  header: string;
  required: boolean;
  /** Other header spellings accepted on upload. */
  aliases: readonly string[];
  /** What the 说明 sheet says about the column (zh-CN). */
  help: string;
  maxLength: number;
}

/** The columns of the resident template, in order. */
export const RESIDENT_IMPORT_COLUMNS: readonly ImportColumn[] = [
  { field: 'name', header: '姓名*', required: true, aliases: ['姓名', '名字'], help: '居民姓名,必填', maxLength: 40 },
  {
    field: 'idNumber',
    header: '身份证号',
    required: false,
    aliases: ['身份证', '身份证号码', '公民身份号码'],
    help: '18位居民身份证号(单元格请设为文本格式);同一身份证号再次导入时更新原有居民,不会重复',
    maxLength: 18,
  },
  { field: 'phone', header: '手机号', required: false, aliases: ['手机', '手机号码', '联系电话', '电话'], help: '11位手机号,或 0512-65123456 形式的座机', maxLength: 20 },
  { field: 'gender', header: '性别', required: false, aliases: [], help: '男 或 女;不填时按身份证号推算', maxLength: 2 },
  { field: 'birthDate', header: '出生日期', required: false, aliases: ['出生年月日'], help: 'YYYY-MM-DD,例如 1956-03-08;不填时按身份证号推算', maxLength: 10 },
  {
    field: 'grid',
    header: '微网格*',
    required: true,
    aliases: ['微网格', '网格'],
    help: '所属微网格(或网格)的名称,必填;重名时写成“网格名/微网格名”。可用名称见本页下方',
    maxLength: 121,
  },
  { field: 'building', header: '楼栋', required: false, aliases: ['幢', '楼号'], help: '楼栋名称,例如 竹辉新村11幢;没有时自动创建', maxLength: 60 },
  { field: 'unit', header: '单元', required: false, aliases: [], help: '单元,例如 1 或 1单元', maxLength: 20 },
  { field: 'room', header: '房号', required: false, aliases: ['房间号', '门牌号'], help: '房号,例如 301;填写楼栋时必填,同一楼栋+单元+房号视为同一户', maxLength: 20 },
  { field: 'address', header: '地址', required: false, aliases: ['住址', '居住地址'], help: '居住地址', maxLength: 200 },
  { field: 'relationToHead', header: '与户主关系', required: false, aliases: [], help: '例如 户主、配偶、子女', maxLength: 20 },
  { field: 'tags', header: '标签', required: false, aliases: [], help: '多个标签用顿号(、)或逗号分隔', maxLength: 200 },
  { field: 'note', header: '备注', required: false, aliases: [], help: '备注', maxLength: 500 },
];

/** One problem found in one cell of the uploaded file. */
export const ImportRowError = Type.Object({
  /** Row number as Excel shows it (the header is row 1). */
  row: Type.Integer(),
  /** Header text of the column, or '' for a problem of the whole row. */
  column: Type.String(),
  /** The cell's value; ID numbers and phones masked. */
  value: Type.Union([Type.String(), Type.Null()]),
  /** A key of IMPORT_REASONS. */
  reason: Type.String(),
  /** The reason in zh-CN. */
  message: Type.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

export const ImportJobView = Type.Object({
  id: Type.Integer(),
  status: Type.Union(IMPORT_STATUSES.map((s) => Type.Literal(s))),
  fileName: Type.String(),
  orgId: Type.Integer(),
  /** Data rows found in the file (known once validation ends). */
  totalRows: Type.Integer(),
  validRows: Type.Integer(),
  errorRows: Type.Integer(),
  /** While validating: rows checked (reaches totalRows). While importing: rows written (reaches validRows). */
  processedRows: Type.Integer(),
  createdCount: Type.Integer(),
  updatedCount: Type.Integer(),
  /** Why the job failed (zh-CN), or null. */
  message: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ImportJobView = Static<typeof ImportJobView>;

export const CommitImportBody = Type.Object(
  { onlyValid: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
export type CommitImportBody = Static<typeof CommitImportBody>;

export const ImportErrorsQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type ImportErrorsQuery = Static<typeof ImportErrorsQuery>;

/** Why a whole job failed (the job's message, zh-CN). */
export const IMPORT_JOB_MESSAGES = {
  unreadable: '无法读取文件:请上传 .xlsx 格式的 Excel 工作簿',
  missingColumns: '缺少必需的列:{columns}。请使用下载的模板',
  unknownColumns: '无法识别的列:{columns}。请使用下载的模板',
  noRows: '文件中没有数据行',
  tooManyRows: '文件行数超过上限 {max} 行,请拆分后分别导入',
  interrupted: '处理中断(服务器可能已重启),请重新上传;已导入的数据重复导入不会产生重复',
  internal: '处理时出错,请稍后重新上传',
} as const;
