/**
 * Rules for residents' personal data that server and web both apply:
 * validation of mainland ID numbers (GB 11643) and mobile numbers, and masking (design.md §5).
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Check digit for the first 17 digits of an 18-digit ID number. */
export function idNumberCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

/** Returns null when the 18-digit ID number is valid, otherwise what is wrong with it. */
export function checkIdNumber(raw: string): IdNumberProblem | null {
  const id = normalizeIdNumber(raw);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  ) {
    return 'birth_date';
  }
  if (idNumberCheckDigit(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Birth date (YYYY-MM-DD) and gender encoded in a valid ID number. */
export function idNumberFacts(id: string): { birthDate: string; gender: 'male' | 'female' } {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Mainland mobile numbers (11 digits starting 1[3-9]) or landlines like 0512-65123456. */
export function checkPhone(raw: string): boolean {
  const p = normalizePhone(raw);
  return /^1[3-9]\d{9}$/.test(p) || /^0\d{2,3}-?\d{7,8}$/.test(p);
}

export function normalizePhone(raw: string): string {
  return raw.replace(/[\s()]/g, '').replace(/^\+?86-?/, '');
}

/** 138****1234 */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return phone.slice(0, 1) + '*'.repeat(Math.max(phone.length - 1, 0));
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** First 4 and last 4 characters of the ID number visible. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** Surname + one star per remaining character (compound surnames keep two characters). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const keep = COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) && chars.length > 2 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木',
]);
