import {
  checkIdNumber,
  checkPhone,
  idNumberFacts,
  maskIdNumber,
  maskPhone,
  normalizeIdNumber,
  normalizePhone,
  type ResidentTag,
} from '@haitang/contracts';
import { pinyin } from 'pinyin-pro';
import type { NewResident } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { PiiCrypto } from '../../lib/pii-crypto.js';

/** Full pinyin without tones ("zhangxiaoming") and initials ("zxm") of a Chinese name, for search. */
export function namePinyin(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' }) as string[];
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean);
  return { full: clean.join(''), initials: clean.map((s) => s[0]).join('') };
}

/** The encrypted, hashed and masked columns of an ID number (validated; throws INVALID_ID_NUMBER). */
export function idNumberColumns(crypto: PiiCrypto, raw: string | null | undefined) {
  if (raw == null || raw.trim() === '') {
    return { id_number_enc: null, id_number_hash: null, id_number_masked: null };
  }
  const problem = checkIdNumber(raw);
  if (problem) throw new AppError('INVALID_ID_NUMBER', { reason: ID_PROBLEM_LABEL[problem] }, { field: 'idNumber', problem });
  const id = normalizeIdNumber(raw);
  return { id_number_enc: crypto.encrypt(id), id_number_hash: crypto.lookupHash(`id:${id}`), id_number_masked: maskIdNumber(id) };
}

/** The encrypted, hashed and masked columns of a phone number (validated; throws INVALID_PHONE). */
export function phoneColumns(crypto: PiiCrypto, raw: string | null | undefined) {
  if (raw == null || raw.trim() === '') return { phone_enc: null, phone_hash: null, phone_masked: null };
  if (!checkPhone(raw)) throw new AppError('INVALID_PHONE', {}, { field: 'phone' });
  const phone = normalizePhone(raw);
  return { phone_enc: crypto.encrypt(phone), phone_hash: crypto.lookupHash(`phone:${phone}`), phone_masked: maskPhone(phone) };
}

/** Lookup hashes for a search term that looks like an ID number or a phone. */
export function searchHashes(crypto: PiiCrypto, q: string): { idHash?: string; phoneHash?: string } {
  const t = q.trim();
  const out: { idHash?: string; phoneHash?: string } = {};
  if (/^[1-9]\d{16}[\dXx]$/.test(t)) out.idHash = crypto.lookupHash(`id:${normalizeIdNumber(t)}`);
  if (checkPhone(t)) out.phoneHash = crypto.lookupHash(`phone:${normalizePhone(t)}`);
  return out;
}

const ID_PROBLEM_LABEL = { format: '格式应为18位', birth_date: '出生日期无效', check_digit: '校验位错误' } as const;

export interface ResidentFields {
  name: string;
  orgId: number;
  householdId?: number | null;
  idNumber?: string | null;
  phone?: string | null;
  gender?: 'male' | 'female' | null;
  birthDate?: string | null;
  address?: string | null;
  relationToHead?: string | null;
  tags?: readonly ResidentTag[];
  note?: string | null;
}

/**
 * Turns validated input into an insertable residents row: personal data encrypted, hashed for
 * lookup and masked for lists; gender and birth date taken from the ID number when not given.
 * Used by the residents service, the spreadsheet import and the demo data alike.
 */
export function buildResidentRow(crypto: PiiCrypto, f: ResidentFields, now: string): NewResident {
  const name = f.name.trim();
  const py = namePinyin(name);
  const id = idNumberColumns(crypto, f.idNumber);
  const facts = f.idNumber && id.id_number_enc ? idNumberFacts(normalizeIdNumber(f.idNumber)) : null;
  return {
    org_id: f.orgId,
    household_id: f.householdId ?? null,
    name,
    name_pinyin: py.full,
    name_initials: py.initials,
    gender: f.gender ?? facts?.gender ?? null,
    birth_date: f.birthDate ?? facts?.birthDate ?? null,
    ...id,
    ...phoneColumns(crypto, f.phone),
    address: f.address?.trim() || null,
    relation_to_head: f.relationToHead?.trim() || null,
    tags: JSON.stringify([...(f.tags ?? [])].sort()),
    note: f.note?.trim() || null,
    created_at: now,
    updated_at: now,
  };
}
