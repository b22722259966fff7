import { PassThrough, type Readable } from 'node:stream';
import { RESIDENT_IMPORT_COLUMNS, TAG_LABELS, idNumberCheckDigit, type ImportRowError } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import type { GridNode } from './import.validate.js';

/** Columns kept as text in the template so that Excel does not turn ID numbers into 3.2E+17. */
const TEXT_FIELDS = new Set(['idNumber', 'phone', 'birthDate', 'unit', 'room']);
const WIDTHS: Record<string, number> = { idNumber: 22, phone: 15, birthDate: 12, grid: 20, building: 16, address: 28, tags: 20, note: 24 };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };

/** A fake but well-formed ID number for the example row (Suzhou Gusu district code, check digit right). */
function exampleIdNumber(): string {
  const first17 = '32050819560308001'; // 17th digit odd: male, like the example row
  return first17 + idNumberCheckDigit(first17);
}

/**
 * The template: sheet 居民 with the headers and one example row; sheet 说明 explaining every
 * column and listing the grids and micro-grids the actor may import into.
 */
export async function buildResidentTemplate(grids: GridNode[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Haitang 海棠';
  const ws = wb.addWorksheet('居民', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = RESIDENT_IMPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: WIDTHS[c.field] ?? 10,
    style: TEXT_FIELDS.has(c.field) ? { numFmt: '@' } : {},
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  RESIDENT_IMPORT_COLUMNS.forEach((c, i) => {
    header.getCell(i + 1).fill = c.required ? REQUIRED_FILL : HEADER_FILL;
  });
  const micro = grids.find((g) => g.kind === 'micro_grid') ?? grids[0];
  ws.addRow({
    name: '张三',
    idNumber: exampleIdNumber(),
    phone: '13800000000',
    gender: '男',
    birthDate: '1956-03-08',
    grid: micro?.name ?? '第一微网格',
    building: '竹辉新村11幢',
    unit: '1',
    room: '301',
    address: '竹辉新村11幢1单元301室',
    relationToHead: '户主',
    tags: `${TAG_LABELS.elderly_alone!['zh-CN']}、${TAG_LABELS.party_member!['zh-CN']}`,
    note: '示例行,导入前请删除',
  });
  const genderCol = RESIDENT_IMPORT_COLUMNS.findIndex((c) => c.field === 'gender') + 1;
  const letter = ws.getColumn(genderCol).letter;
  (ws as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations.add(`${letter}2:${letter}20000`, {
    type: 'list',
    allowBlank: true,
    formulae: ['"男,女"'],
  });

  const help = wb.addWorksheet('说明');
  help.columns = [{ width: 16 }, { width: 8 }, { width: 80 }];
  help.addRow(['居民信息导入说明']).font = { bold: true, size: 14 };
  help.addRow(['在“居民”工作表中每行填写一位居民,第1行为表头请勿修改;第2行为示例,导入前请删除。']);
  help.addRow(['文件中有错误的行会在上传后列出;可修改后重新上传,或选择“仅导入有效行”。同一身份证号重复导入时更新原有居民,不会重复。']);
  help.addRow([]);
  help.addRow(['列名', '必填', '说明']).font = { bold: true };
  for (const c of RESIDENT_IMPORT_COLUMNS) help.addRow([c.header.replace('*', ''), c.required ? '是' : '', c.help]);
  help.addRow([]);
  help.addRow(['可用标签', '', Object.values(TAG_LABELS).map((l) => l['zh-CN']).join('、')]);
  help.addRow([]);
  help.addRow(['可填写的微网格(您管辖范围内)']).font = { bold: true };
  help.addRow(['名称', '类型', '也可写成']).font = { bold: true };
  for (const g of grids) {
    help.addRow([g.name, g.kind === 'micro_grid' ? '微网格' : '网格', g.parentName ? `${g.parentName}/${g.name}` : '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ERROR_COLUMNS = [
  { header: '行号', key: 'row', width: 8 },
  { header: '列', key: 'column', width: 14 },
  { header: '填写内容', key: 'value', width: 28 },
  { header: '原因', key: 'message', width: 50 },
  { header: '原因代码', key: 'reason', width: 22 },
];

/**
 * The error report as a streamed .xlsx: rows are written as `pages` yields them, so a report of
 * many thousand errors never sits in memory as a whole.
 */
export function streamErrorWorkbook(pages: AsyncIterable<ImportRowError[]>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('错误报告', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = ERROR_COLUMNS;
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  void (async () => {
    for await (const page of pages) {
      for (const e of page) ws.addRow(e).commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}
