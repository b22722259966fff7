import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * Random access to the parts of a zip archive held in memory (an uploaded .xlsx), through its
 * central directory. Unlike a front-to-back streaming pass it can read the parts in the order
 * their meaning requires (the workbook before its sheets), whatever order the file stores them in,
 * and it never depends on how fast the reader consumes them.
 */

/** The file is not a zip archive this reader can open, or lacks a part it must have. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
/** Inflate input per chunk: a big sheet is decompressed as it is read, not all at once. */
const CHUNK = 64 * 1024;

/** The archive's entries by name, read from the central directory at the end of the file. */
export function readZipDirectory(zip: Buffer): Map<string, ZipEntry> {
  // The end-of-central-directory record: the last 22 bytes, unless a comment (≤ 64 KiB) follows.
  let eocd = -1;
  for (let p = zip.length - EOCD_SIZE; p >= Math.max(0, zip.length - EOCD_SIZE - 0xffff); p--) {
    if (zip.readUInt32LE(p) === EOCD_SIGNATURE) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const start = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || start === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
  if (start + size > eocd) throw new ZipFormatError('central directory out of bounds');

  const entries = new Map<string, ZipEntry>();
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || zip.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipFormatError(`bad central directory record ${i}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const headerOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (flags & 0x1) throw new ZipFormatError(`encrypted entry ${name}`);
    entries.set(name, { name, method, compressedSize, headerOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function* chunks(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
}

/** The entry's content as a stream, decompressed as it is read. */
export function openZipEntry(zip: Buffer, entry: ZipEntry): Readable {
  const h = entry.headerOffset;
  if (h + 30 > zip.length || zip.readUInt32LE(h) !== LOCAL_SIGNATURE) throw new ZipFormatError(`bad local header of ${entry.name}`);
  const dataStart = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > zip.length) throw new ZipFormatError(`${entry.name} is truncated`);
  const source = Readable.from(chunks(zip.subarray(dataStart, dataEnd)), { objectMode: false });
  if (entry.method === 0) return source;
  if (entry.method !== 8) throw new ZipFormatError(`unsupported compression method ${entry.method} of ${entry.name}`);
  // Damaged deflate data surfaces as a zlib error (Z_DATA_ERROR, Z_BUF_ERROR) on the returned stream.
  return source.pipe(createInflateRaw());
}
