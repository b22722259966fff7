import { Readable } from 'node:stream';
import { IMPORT_JOB_MESSAGES, RESIDENT_IMPORT_COLUMNS, formatMessage, type ResidentImportField } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import { ZipFormatError, openZipEntry, readZipDirectory } from './import.zip.js';

/** A problem with the file as a whole: the job fails with this message. */
export class ImportFileError extends Error {
  constructor(
    readonly key: keyof typeof IMPORT_JOB_MESSAGES,
    readonly params: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(formatMessage(IMPORT_JOB_MESSAGES[key], params), options);
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

interface WorksheetRows {
  [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: unknown }>;
}

/**
 * The parts of exceljs' streaming WorkbookReader used here. Its own parse() reads the archive in
 * one front-to-back pass (unzipper's Parse) and loses the entries stored after the point where the
 * reader fell behind the unzipping: unzipper signals the end of the archive as soon as it has read
 * it, even while entries it already unpacked still wait to be taken (exceljs issue #3064). exceljs
 * itself stores xl/workbook.xml last, so a sheet was then read without its workbook ("Cannot read
 * properties of undefined (reading 'sheets')"), whenever other work on the event loop delayed the
 * reading for a moment (a timer, another request). The parts are read here by name instead, through
 * the archive's central directory, and handed to the reader's own XML parsers.
 */
interface WorkbookParts {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Iterator<{ eventType: string; value: WorksheetRows }>;
}

/** A part's path in the archive from a relationship target of the workbook (xl/workbook.xml). */
const workbookPartPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);

/**
 * Opens the first worksheet (in workbook order) of an .xlsx held in memory: reads the workbook,
 * its relationships, shared strings and styles first, then returns the sheet's rows as a stream
 * (the sheet is decompressed and parsed as it is read, so a 100,000-row file never sits in memory
 * as a whole). Other sheets are not read at all.
 */
async function openFirstSheet(content: Buffer): Promise<WorksheetRows> {
  const zip = readZipDirectory(content);
  const part = (path: string) => {
    const entry = zip.get(path);
    return entry ? openZipEntry(content, entry) : null;
  };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell dates from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as WorkbookParts;
  const rels = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!rels || !workbook) throw new ZipFormatError('not an .xlsx package (no xl/workbook.xml)');
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbook);
  const strings = part('xl/sharedStrings.xml');
  if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _; // cached, nothing emitted
  reader.sharedStrings ??= [];
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);

  const first = reader.model?.sheets?.[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  const sheet = target ? part(workbookPartPath(target)) : null;
  if (!sheet) throw new ZipFormatError('no worksheet');
  const sheetNo = /sheet(\d+)\.xml$/.exec(target!)?.[1] ?? '1';
  const emitted = reader._parseWorksheet(sheet, sheetNo).next();
  if (emitted.done) throw new Error('exceljs did not emit the worksheet');
  return emitted.value.value;
}

/**
 * Whether an error means the file itself is damaged or not an .xlsx: its zip structure, its
 * compressed data (zlib: Z_DATA_ERROR, Z_BUF_ERROR when truncated), or its XML (saxes, exceljs'
 * XML parser, reports malformed XML as a plain Error "line:column: message"). Anything else is a
 * fault of this program and must not be reported to the user as a bad file.
 */
export function isFileFormatError(err: unknown): boolean {
  if (err instanceof ZipFormatError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return true;
  return err.constructor === Error && /^\d+:\d+: /.test(err.message);
}

/**
 * Streams the first worksheet of an .xlsx file row by row. The first non-empty row is the header;
 * `onHeaders` receives it before the first data row. Empty rows are skipped. A damaged file fails
 * with ImportFileError 'unreadable' (the underlying error as its cause); any other error passes.
 */
export async function* readResidentRows(content: Buffer, onHeaders: (h: HeaderMap) => void): AsyncGenerator<SheetRow> {
  if (content.length < 4 || content.readUInt32LE(0) !== 0x04034b50) throw new ImportFileError('unreadable');
  let byColumn: Map<number, ResidentImportField> | null = null;
  try {
    for await (const row of await openFirstSheet(content)) {
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
  } catch (err) {
    if (isFileFormatError(err)) throw new ImportFileError('unreadable', {}, { cause: err });
    throw err;
  }
  if (!byColumn) throw new ImportFileError('noRows');
}
