import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { RESIDENT_IMPORT_COLUMNS } from '@haitang/contracts';
import ExcelJS from 'exceljs';
import { ImportFileError, readResidentRows, type SheetRow } from './import.parse.js';
import { ZipFormatError, openZipEntry, readZipDirectory } from './import.zip.js';

const HEADERS = RESIDENT_IMPORT_COLUMNS.map((c) => c.header);

/** A workbook as exceljs writes it (xl/workbook.xml stored last), with a second sheet 说明. */
async function workbook(names: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(HEADERS);
  for (const name of names) ws.addRow(RESIDENT_IMPORT_COLUMNS.map((c) => (c.field === 'name' ? name : c.field === 'grid' ? '第一微网格' : null)));
  wb.addWorksheet('说明').addRow(['这一页不被读取']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readAll(content: Buffer): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readResidentRows(content, () => {})) rows.push(row);
  return rows;
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Repacks the parts of an archive, uncompressed, in the given order (CRCs left 0: not checked). */
function storedZip(parts: [string, string][]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of parts) {
    const n = Buffer.from(name);
    const data = Buffer.from(content);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(n.length, 26);
    local.push(h, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}

async function unpack(content: Buffer): Promise<[string, string][]> {
  const parts: [string, string][] = [];
  for (const entry of readZipDirectory(content).values()) parts.push([entry.name, await text(openZipEntry(content, entry))]);
  return parts;
}

describe('reading the uploaded workbook', () => {
  // exceljs' own streaming pass lost the entries stored after the point where its reader fell
  // behind the unzipping (exceljs issue #3064): with xl/workbook.xml stored last, a moment of other
  // work on the event loop while the styles were parsed made a valid file "unreadable".
  const require = createRequire(import.meta.url);
  const StyleManager = require('exceljs/lib/xlsx/xform/style/styles-xform.js') as { prototype: { parseStream(s: unknown): Promise<unknown> } };
  const parseStream = StyleManager.prototype.parseStream;
  before(() => {
    StyleManager.prototype.parseStream = async function (this: unknown, s: unknown) {
      const model = await parseStream.call(this, s);
      await new Promise((r) => setTimeout(r, 20)); // the event loop busy elsewhere for a moment
      return model;
    };
  });
  after(() => {
    StyleManager.prototype.parseStream = parseStream;
  });

  it('reads every row of the first sheet even when the reading falls behind', async () => {
    const content = await workbook(['张三', '李四']);
    for (let i = 0; i < 3; i++) {
      const rows = await readAll(content);
      assert.deepEqual(
        rows.map((r) => [r.rowNo, r.cells.name, r.cells.grid]),
        [
          [2, '张三', '第一微网格'],
          [3, '李四', '第一微网格'],
        ],
      );
    }
  });

  it('reads the parts whatever order the archive stores them in', async () => {
    const parts = await unpack(await workbook(['王五']));
    const order = (name: string) => (name.includes('worksheets/') ? 0 : name.endsWith('styles.xml') ? 1 : 2);
    const shuffled = storedZip([...parts].sort((a, b) => order(a[0]) - order(b[0]) || b[0].localeCompare(a[0])));
    assert.deepEqual((await readAll(shuffled)).map((r) => r.cells.name), ['王五']);
  });

  it('reports a damaged file as unreadable, with the cause', async () => {
    const content = await workbook(['张三']);
    const rejects = async (file: Buffer, cause: (err: unknown) => boolean) => {
      await assert.rejects(readAll(file), (err: unknown) => {
        assert.ok(err instanceof ImportFileError, String(err));
        assert.equal(err.key, 'unreadable');
        assert.match(err.message, /无法读取文件/);
        assert.ok(cause(err.cause), `cause: ${String(err.cause)}`);
        return true;
      });
    };
    // Cut short: the central directory at the end is gone.
    await rejects(content.subarray(0, content.length - 200), (c) => c instanceof ZipFormatError);
    // Malformed XML in the workbook part.
    const parts = (await unpack(content)).map(([name, body]): [string, string] => [name, name === 'xl/workbook.xml' ? body.replace('<sheets>', '<sheets><1bad>') : body]);
    await rejects(storedZip(parts), (c) => c instanceof Error && /^\d+:\d+: /.test(c.message));
    // Damaged compressed data of the sheet.
    const sheet = readZipDirectory(content).get('xl/worksheets/sheet1.xml')!;
    const damaged = Buffer.from(content);
    const dataStart = sheet.headerOffset + 30 + damaged.readUInt16LE(sheet.headerOffset + 26) + damaged.readUInt16LE(sheet.headerOffset + 28);
    damaged.fill(0xff, dataStart, dataStart + Math.min(16, sheet.compressedSize));
    await rejects(damaged, (c) => typeof (c as { code?: unknown })?.code === 'string' && (c as { code: string }).code.startsWith('Z_'));
    // Not an archive at all.
    await assert.rejects(readAll(Buffer.from('name,id\n张三,1\n')), (err: unknown) => err instanceof ImportFileError && err.key === 'unreadable');
  });

  it('lets any other error through instead of calling the file unreadable', async () => {
    const content = await workbook(['张三']);
    const bug = new TypeError('a fault of the program');
    const rows = readResidentRows(content, () => {
      throw bug;
    });
    await assert.rejects(async () => {
      for await (const _ of rows) void _;
    }, (err: unknown) => err === bug);
  });
});
