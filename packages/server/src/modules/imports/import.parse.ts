import { Readable } from 'node:stream';
import { IMPORT_JOB_MESSAGES, RESIDENT_IMPORT_COLUMNS, formatMessage, type ResidentImportField } from '@haitang/contracts';
import ExcelJS from 'exceljs';

/** A problem with the file as a whole: the job fails with this message. */
export class ImportFileError extends Error {
  constructor(
    readonly key: keyof typeof IMPORT_JOB_MESSAGES,
    readonly params: Record<string, unknown> = {},
  ) {
    super(formatMessage(IMPORT_JOB_MESSAGES[key], params));
    this.name = 'ImportFileError';
  }
}

/** A cell as the validator sees it: trimmed text, a date, or a number that could not stay text. */
export type CellValue = string | Date | number | null;

export interface SheetRow {
  /** Row number as Excel shows it. */
  rowNo: number;
  cells: Partial<Record<ResidentImportField, CellValue>>;
}

/** Column header (as written in the file) of each field present. */
export type HeaderMap = Partial<Record<ResidentImportField, string>>;

const normalizeHeader = (h: string) => h.replace(/[\s*＊]/g, '').replace(/[((]必填[))]/g, '');

const HEADER_LOOKUP = new Map<string, ResidentImportField>();
for (const col of RESIDENT_IMPORT_COLUMNS) {
  for (const name of [col.header, ...col.aliases]) HEADER_LOOKUP.set(normalizeHeader(name), col.field);
}

/** Turns an exceljs cell value (rich text, formula, hyperlink...) into a CellValue. */
export function cellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return cellValue((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('result' in o) return cellValue(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (typeof o.text === 'string') return cellValue(o.text);
    if ('error' in o) return String(o.error);
  }
  return null;
}

/** Reads the header row: which column holds which field; fails on missing or unknown columns. */
function mapHeaders(values: unknown[]): { byColumn: Map<number, ResidentImportField>; headers: HeaderMap } {
  const byColumn = new Map<number, ResidentImportField>();
  const headers: HeaderMap = {};
  const unknown: string[] = [];
  values.forEach((raw, col) => {
    const text = cellValue(raw);
    if (text === null) return;
    const label = String(text).trim();
    const field = HEADER_LOOKUP.get(normalizeHeader(label));
    if (!field || headers[field] !== undefined) {
      unknown.push(label);
      return;
    }
    byColumn.set(col, field);
    headers[field] = label;
  });
  const missing = RESIDENT_IMPORT_COLUMNS.filter((c) => c.required && headers[c.field] === undefined).map((c) => c.header);
  if (missing.length) throw new ImportFileError('missingColumns', { columns: missing.join('、') });
  if (unknown.length) throw new ImportFileError('unknownColumns', { columns: unknown.join('、') });
  return { byColumn, headers };
}

/**
 * Streams the first worksheet of an .xlsx file row by row (exceljs' streaming reader, so that a
 * 100,000-row file never sits in memory as a whole). The first non-empty row is the header;
 * `onHeaders` receives it before the first data row. Empty rows are skipped.
 */
export async function* readResidentRows(content: Buffer, onHeaders: (h: HeaderMap) => void): AsyncGenerator<SheetRow> {
  if (content.length < 4 || content.readUInt32LE(0) !== 0x04034b50) throw new ImportFileError('unreadable');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell dates from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let seenSheet = false;
  try {
    for await (const sheet of reader) {
      // Sheets arrive in zip order; only the workbook's first sheet holds data (the template's
      // second sheet is the 说明). Other sheets are read through and dropped: exceljs may have
      // parked them in a temp file whose stream fails (ENOENT, uncaught) if left unread.
      const firstName = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets?.[0]?.name;
      const sheetName = (sheet as unknown as { name?: string }).name;
      if (seenSheet || (firstName && sheetName && sheetName !== firstName)) {
        for await (const _row of sheet) void _row;
        continue;
      }
      seenSheet = true;
      let byColumn: Map<number, ResidentImportField> | null = null;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        if (!byColumn) {
          if (!values.some((v) => cellValue(v) !== null)) continue;
          const mapped = mapHeaders(values);
          byColumn = mapped.byColumn;
          onHeaders(mapped.headers);
          continue;
        }
        const cells: SheetRow['cells'] = {};
        let empty = true;
        for (const [col, field] of byColumn) {
          const v = cellValue(values[col]);
          if (v !== null) {
            cells[field] = v;
            empty = false;
          }
        }
        if (!empty) yield { rowNo: row.number, cells };
      }
      if (!byColumn) throw new ImportFileError('noRows');
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('unreadable');
  }
  if (!seenSheet) throw new ImportFileError('unreadable');
}
