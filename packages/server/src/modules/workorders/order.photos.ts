import { MAX_PHOTO_BYTES, type PhotoInput } from '@haitang/contracts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export interface DecodedPhoto {
  name: string;
  mime: string;
  data: Buffer;
}

/** Decodes inline photos, checking that each is the image its data URL claims and not too large. */
export function decodePhotos(photos: PhotoInput[] | undefined): DecodedPhoto[] {
  return (photos ?? []).map((p, i) => {
    const m = /^data:(image\/(?:jpeg|png|webp));base64,(.*)$/s.exec(p.dataUrl);
    if (!m) throw new AppError('VALIDATION_FAILED', { detail: `第 ${i + 1} 张照片格式不支持` }, { field: `photos/${i}` });
    const data = Buffer.from(m[2]!, 'base64');
    if (data.length > MAX_PHOTO_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', {}, { field: `photos/${i}` });
    if (!SIGNATURES[m[1]!]!(data)) throw new AppError('VALIDATION_FAILED', { detail: `第 ${i + 1} 张照片不是有效的图片` }, { field: `photos/${i}` });
    return { name: p.name, mime: m[1]!, data };
  });
}

export async function insertPhotos(
  trx: Transaction<DB>,
  orderId: number,
  photos: DecodedPhoto[],
  at: string,
  link: { eventId?: number; itemId?: number },
): Promise<number[]> {
  const ids: number[] = [];
  for (const p of photos) {
    const r = await trx
      .insertInto('order_attachments')
      .values({ order_id: orderId, event_id: link.eventId ?? null, item_id: link.itemId ?? null, name: p.name, mime: p.mime, size: p.data.length, data: p.data, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(r.id);
  }
  return ids;
}
