// Writes N fake residents to an .xlsx in the import template's columns (deterministic seed).
// Run alone: node --import tsx bench/generators/residents-xlsx.ts --rows 100000 --out /tmp/residents.xlsx
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESIDENT_IMPORT_COLUMNS, TAG_LABELS } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import { fakeIdNumber, fakeName, prng } from './residents.js';

/** 4 grids × 4 micro-grids, like 竹辉社区 in the seed; the bench creates the same names. */
export const BENCH_GRIDS = [1, 2, 3, 4].map((g) => ({
  grid: `竹辉第${g}网格`,
  microGrids: [1, 2, 3, 4].map((m) => `竹辉${g}-${m}微网格`),
}));
const MICRO_GRIDS = BENCH_GRIDS.flatMap((g) => g.microGrids);
const RELATIONS = ['户主', '配偶', '子女', '父母', '孙子女'];
const TAG_NAMES = Object.values(TAG_LABELS).map((l) => l['zh-CN']);

/**
 * Streams `rows` residents to `file` with shared strings (as Excel writes them). Residents share
 * flats (1–4 per household, 72 flats per building, buildings spread over the 16 micro-grids);
 * ID numbers are unique with correct check digits; about 80 % have a phone and 15 % tags.
 */
export async function writeResidentsXlsx(file: string, rows: number, seed = 20240601): Promise<{ rows: number; bytes: number }> {
  const r = prng(seed);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('居民');
  ws.addRow(RESIDENT_IMPORT_COLUMNS.map((c) => c.header)).commit();
  const seen = new Set<string>();
  let household = 0;
  let leftInHousehold = 0;
  let member = 0;
  for (let i = 0; i < rows; i++) {
    if (leftInHousehold === 0) {
      household++;
      leftInHousehold = 1 + Math.floor(r() * 4);
      member = 0;
    }
    leftInHousehold--;
    const building = Math.floor(household / 72);
    const inBuilding = household % 72;
    const unit = 1 + Math.floor(inBuilding / 24);
    const room = (1 + Math.floor((inBuilding % 24) / 4)) * 100 + 1 + (inBuilding % 4);
    let idn: { id: string; gender: 'male' | 'female' };
    do idn = fakeIdNumber(r, '320508', Math.floor(r() * 1000));
    while (seen.has(idn.id));
    seen.add(idn.id);
    const tags = r() < 0.15 ? TAG_NAMES.filter(() => r() < 0.2).join('、') : '';
    const buildingName = `竹辉新村${building + 1}幢`;
    ws.addRow([
      fakeName(r),
      idn.id,
      r() < 0.8 ? `1${[3, 5, 8][Math.floor(r() * 3)]}${String(Math.floor(r() * 1e9)).padStart(9, '0')}` : null,
      idn.gender === 'male' ? '男' : '女',
      `${idn.id.slice(6, 10)}-${idn.id.slice(10, 12)}-${idn.id.slice(12, 14)}`,
      MICRO_GRIDS[building % MICRO_GRIDS.length],
      buildingName,
      String(unit),
      String(room),
      `${buildingName}${unit}单元${room}室`,
      RELATIONS[Math.min(member++, RELATIONS.length - 1)],
      tags || null,
      null,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  return { rows, bytes: statSync(file).size };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, def: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
  };
  const out = path.resolve(arg('out', `residents-${arg('rows', '100000')}.xlsx`));
  const t0 = Date.now();
  const res = await writeResidentsXlsx(out, Number(arg('rows', '100000')), Number(arg('seed', '20240601')));
  console.log(`wrote ${res.rows} residents to ${out} (${(res.bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
