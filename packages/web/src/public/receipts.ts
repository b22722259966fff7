import type { PublicReportReceipt } from '@haitang/contracts';

/** Receipts of reports sent from this phone, newest first, so a resident can follow them again. */
export interface SavedReceipt extends PublicReportReceipt {
  at: string;
  summary: string;
}

const KEY = 'haitang.receipts';
const MAX = 20;

export function savedReceipts(): SavedReceipt[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as SavedReceipt[]).filter((r) => r && typeof r.number === 'string' && typeof r.accessCode === 'string') : [];
  } catch {
    return [];
  }
}

export function saveReceipt(r: SavedReceipt): void {
  try {
    const rest = savedReceipts().filter((x) => x.number !== r.number);
    localStorage.setItem(KEY, JSON.stringify([r, ...rest].slice(0, MAX)));
  } catch {
    // storage full or private mode: the receipt on screen is all there is
  }
}

export function forgetReceipt(number: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(savedReceipts().filter((x) => x.number !== number)));
  } catch {
    // nothing to do
  }
}

/** The follow-up page of a receipt (the link on the receipt and in the saved list). */
export function trackUrl(r: PublicReportReceipt): string {
  return `/track?number=${encodeURIComponent(r.number)}&code=${encodeURIComponent(r.accessCode)}`;
}

/** Copies text, also where the Clipboard API is missing (plain http on a LAN). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
