import { MAX_PHOTO_BYTES, MAX_PHOTOS, type PhotoInput } from '@haitang/contracts';

export { MAX_PHOTOS };

/** Longest side of a photo after resizing: sharp enough to read a sign, small enough for 3G. */
export const PHOTO_MAX_SIDE = 1600;
/** The contract's ceiling on one data URL (PhotoInput.dataUrl maxLength). */
const MAX_DATA_URL = 2_800_000;

async function decode(file: File): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      // Honour the EXIF orientation of phone photos.
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
    } catch {
      // fall back to an <img> below (older browsers, unusual formats)
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
  } catch (err) {
    URL.revokeObjectURL(url);
    throw err;
  }
}

/**
 * Resizes a camera photo to at most PHOTO_MAX_SIDE pixels on its longest side and encodes it as a
 * JPEG data URL, lowering the quality until it fits the contract's size limits.
 */
export async function resizePhoto(file: File, maxSide = PHOTO_MAX_SIDE): Promise<PhotoInput> {
  const image = await decode(file);
  try {
    const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
    const width = Math.max(1, Math.round(image.width * scale));
    const height = Math.max(1, Math.round(image.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('canvas 2d context unavailable');
    // JPEG has no transparency: paint a white background first (PNG screenshots with alpha).
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.drawImage(image.source, 0, 0, width, height);
    for (const quality of [0.82, 0.7, 0.55, 0.4]) {
      const dataUrl = canvas.toDataURL('image/jpeg', quality);
      if (dataUrl.length <= MAX_DATA_URL && decodedBytes(dataUrl) <= MAX_PHOTO_BYTES) {
        return { name: jpegName(file.name), dataUrl };
      }
    }
    throw new Error('photo too large after compression');
  } finally {
    image.close();
  }
}

/** Bytes of the payload of a base64 data URL. */
export function decodedBytes(dataUrl: string): number {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

function jpegName(name: string): string {
  const base = (name || 'photo').replace(/\.[^.]*$/, '').slice(0, 100) || 'photo';
  return `${base}.jpg`;
}
