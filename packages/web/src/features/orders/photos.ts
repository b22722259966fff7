import { MAX_PHOTO_BYTES, type PhotoInput } from '@haitang/contracts';

/** The longest edge of a photo after client-side resizing. */
export const MAX_PHOTO_EDGE = 1600;

function loadImage(file: File): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error(`not an image: ${file.name}`));
    };
    img.src = url;
  });
}

/** Bytes that a base64 data URL decodes to. */
export function dataUrlBytes(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * A photo as the API takes it: scaled so its longest edge is at most MAX_PHOTO_EDGE and encoded as
 * JPEG, lowering the quality until it fits the server's per-photo limit (phone photos are large).
 */
export async function photoFromFile(file: File): Promise<PhotoInput> {
  const img = await loadImage(file);
  const scale = Math.min(1, MAX_PHOTO_EDGE / Math.max(img.naturalWidth, img.naturalHeight, 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
  const g = canvas.getContext('2d');
  if (!g) throw new Error('canvas unavailable');
  // JPEG has no transparency: paint a white background under PNGs.
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  let quality = 0.85;
  let dataUrl = canvas.toDataURL('image/jpeg', quality);
  while (dataUrlBytes(dataUrl) > MAX_PHOTO_BYTES && quality > 0.3) {
    quality -= 0.15;
    dataUrl = canvas.toDataURL('image/jpeg', quality);
  }
  const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
  return { name: `${base.slice(0, 110)}.jpg`, dataUrl };
}
