import {
  IMPORT_REASONS,
  RESIDENT_IMPORT_COLUMNS,
  RESIDENT_TAGS,
  TAG_LABELS,
  checkIdNumber,
  checkPhone,
  formatMessage,
  maskIdNumber,
  maskPhone,
  normalizeIdNumber,
  normalizePhone,
  type ImportReason,
  type ImportRowError,
  type ResidentImportField,
  type ResidentTag,
} from '@haitang/contracts';
import type { CellValue, HeaderMap, SheetRow } from './import.parse.js';

/** A validated row, ready to be written by the commit (kept encrypted in import_rows meanwhile). */
export interface StagedResident {
  name: string;
  orgId: number;
  idNumber: string | null;
  phone: string | null;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  address: string | null;
  relationToHead: string | null;
  /** null when the cell was empty: an existing resident keeps its tags. */
  tags: ResidentTag[] | null;
  note: string | null;
}

export interface CheckedRow {
  rowNo: number;
  /** Set when the cells themselves are valid; the row is imported only if `errors` stays empty. */
  staged: StagedResident | null;
  /** The cells as text, kept for rows with errors. */
  raw: Record<string, string> | null;
  errors: ImportRowError[];
}

/** A grid or micro-grid of the job's scope that rows may name. */
export interface GridNode {
  id: number;
  name: string;
  kind: string;
  parentName: string | null;
}

const COLUMN = new Map(RESIDENT_IMPORT_COLUMNS.map((c) => [c.field, c]));
const TAG_BY_LABEL = new Map<string, ResidentTag>();
for (const tag of RESIDENT_TAGS) {
  TAG_BY_LABEL.set(tag, tag);
  const labels = TAG_LABELS[tag];
  if (labels) {
    TAG_BY_LABEL.set(labels['zh-CN'], tag);
    TAG_BY_LABEL.set(labels.en.toLowerCase(), tag);
  }
}
const ID_REASON = { format: 'id_format', birth_date: 'id_birth_date', check_digit: 'id_check_digit' } as const;

/** Resolves a 微网格 cell: "微网格名", "网格名", or "网格名/微网格名". */
export function createGridLookup(nodes: GridNode[]) {
  const byName = new Map<string, number[]>();
  const byPath = new Map<string, number>();
  for (const n of nodes) {
    byName.set(n.name, [...(byName.get(n.name) ?? []), n.id]);
    if (n.parentName) byPath.set(`${n.parentName}/${n.name}`, n.id);
  }
  return (text: string): { id: number } | { reason: 'grid_unknown' | 'grid_ambiguous' } => {
    const t = text.replace(/\s*[/／]\s*/g, '/').trim();
    if (t.includes('/')) {
      const parts = t.split('/');
      const id = byPath.get(parts.slice(-2).join('/'));
      return id === undefined ? { reason: 'grid_unknown' } : { id };
    }
    const ids = byName.get(t) ?? [];
    if (ids.length === 1) return { id: ids[0]! };
    return { reason: ids.length ? 'grid_ambiguous' : 'grid_unknown' };
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

function toText(v: CellValue): string | null {
  if (v === null) return null;
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  return String(v).trim() || null;
}

function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getTime() <= Date.now();
}

/**
 * Checks rows one by one. Keeps the ID numbers seen so far (to report duplicates inside the
 * file with the row that had it first); everything else is per row.
 */
export function createRowChecker(headers: HeaderMap, findGrid: ReturnType<typeof createGridLookup>) {
  const firstRowOfId = new Map<string, number>();

  return function checkRow({ rowNo, cells }: SheetRow): CheckedRow {
    const errors: ImportRowError[] = [];
    const fail = (field: ResidentImportField, value: string | null, reason: ImportReason, params: Record<string, unknown> = {}) => {
      errors.push({
        row: rowNo,
        column: headers[field] ?? COLUMN.get(field)!.header,
        value,
        reason,
        message: formatMessage(IMPORT_REASONS[reason]['zh-CN'], params),
      });
    };
    const text = (field: ResidentImportField): string | null => {
      const t = toText(cells[field] ?? null);
      if (t !== null && [...t].length > COLUMN.get(field)!.maxLength && field !== 'idNumber' && field !== 'phone') {
        fail(field, t.slice(0, 30), 'too_long');
        return null;
      }
      return t;
    };

    const name = text('name');
    if (name === null && cells.name == null) fail('name', null, 'required');

    let idNumber: string | null = null;
    const rawId = cells.idNumber ?? null;
    if (typeof rawId === 'number' && rawId >= 1e15) {
      // Excel keeps 15 significant digits: the number has already lost the end of the ID.
      fail('idNumber', maskIdNumber(String(rawId)), 'id_number_as_number');
    } else if (rawId !== null) {
      const id = normalizeIdNumber(toText(rawId) ?? '');
      const problem = checkIdNumber(id);
      if (problem) fail('idNumber', maskIdNumber(id), ID_REASON[problem]);
      else {
        const first = firstRowOfId.get(id);
        if (first !== undefined) fail('idNumber', maskIdNumber(id), 'id_duplicate_in_file', { row: first });
        else {
          firstRowOfId.set(id, rowNo);
          idNumber = id;
        }
      }
    }

    let phone: string | null = null;
    const rawPhone = toText(cells.phone ?? null);
    if (rawPhone !== null) {
      const p = normalizePhone(rawPhone);
      if (!checkPhone(p)) fail('phone', maskPhone(p), 'phone_invalid');
      else phone = p;
    }

    let gender: StagedResident['gender'] = null;
    const rawGender = toText(cells.gender ?? null);
    if (rawGender !== null) {
      if (rawGender === '男' || rawGender.toLowerCase() === 'male') gender = 'male';
      else if (rawGender === '女' || rawGender.toLowerCase() === 'female') gender = 'female';
      else fail('gender', rawGender.slice(0, 30), 'gender_invalid');
    }

    let birthDate: string | null = null;
    const rawBirth = toText(cells.birthDate ?? null);
    if (rawBirth !== null) {
      if (isValidDate(rawBirth)) birthDate = rawBirth;
      else fail('birthDate', rawBirth.slice(0, 30), 'date_invalid');
    }

    let orgId: number | null = null;
    const rawGrid = text('grid');
    if (rawGrid === null) {
      if (cells.grid == null) fail('grid', null, 'required');
    } else {
      const found = findGrid(rawGrid);
      if ('id' in found) orgId = found.id;
      else fail('grid', rawGrid, found.reason);
    }

    const building = text('building');
    const unit = text('unit');
    const room = text('room');
    if (building === null && (room !== null || unit !== null) && cells.building == null) fail('building', null, 'household_incomplete');
    if (building !== null && room === null && cells.room == null) fail('room', null, 'household_incomplete');

    let tags: ResidentTag[] | null = null;
    const rawTags = text('tags');
    if (rawTags !== null) {
      const found = new Set<ResidentTag>();
      for (const label of rawTags.split(/[、,,;;\s]+/).filter(Boolean)) {
        const tag = TAG_BY_LABEL.get(label) ?? TAG_BY_LABEL.get(label.toLowerCase());
        if (tag) found.add(tag);
        else fail('tags', rawTags, 'tag_unknown', { tag: label });
      }
      tags = found.size ? [...found].sort() : null;
    }

    const address = text('address');
    const relationToHead = text('relationToHead');
    const note = text('note');

    if (errors.length > 0) {
      const raw: Record<string, string> = {};
      for (const [field, v] of Object.entries(cells)) {
        const t = toText(v as CellValue);
        if (t !== null) raw[field] = t;
      }
      return { rowNo, staged: null, raw, errors };
    }
    return {
      rowNo,
      staged: { name: name!, orgId: orgId!, idNumber, phone, gender, birthDate, building, unit, room, address, relationToHead, tags, note },
      raw: null,
      errors,
    };
  };
}

/** Appends a row-level error found after the row check (e.g. the ID belongs to someone outside the scope). */
export function addRowError(row: CheckedRow, headers: HeaderMap, field: ResidentImportField, value: string | null, reason: ImportReason): void {
  row.errors.push({
    row: row.rowNo,
    column: headers[field] ?? COLUMN.get(field)!.header,
    value,
    reason,
    message: formatMessage(IMPORT_REASONS[reason]['zh-CN'], {}),
  });
}
