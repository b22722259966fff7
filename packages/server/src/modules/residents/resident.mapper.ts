import { maskName, type ResidentView } from '@haitang/contracts';
import type { ResidentViewRow } from './resident.repository.js';

/** The columns mapResident reads: a residents row (masked columns only), with or without joins. */
export type ResidentMappable = Pick<
  ResidentViewRow,
  | 'id'
  | 'org_id'
  | 'household_id'
  | 'name'
  | 'gender'
  | 'birth_date'
  | 'id_number_masked'
  | 'phone_masked'
  | 'address'
  | 'relation_to_head'
  | 'tags'
  | 'status'
  | 'note'
  | 'version'
  | 'updated_at'
>;

export interface ResidentExtras {
  orgName?: string;
  householdLabel?: string | null;
  /** Names show as surname + * (design.md §5) unless the viewer may see full personal data. */
  fullName?: boolean;
}

/**
 * Row → ResidentView. Only whitelisted fields leave: the ID number and phone only masked (the
 * ciphertexts and lookup hashes are never read here). Reusable by other modules (teams, households).
 */
export function mapResident(row: ResidentMappable, extras: ResidentExtras = {}): ResidentView {
  return {
    id: row.id,
    orgId: row.org_id,
    ...(extras.orgName !== undefined ? { orgName: extras.orgName } : {}),
    householdId: row.household_id,
    ...(extras.householdLabel !== undefined ? { householdLabel: extras.householdLabel } : {}),
    name: extras.fullName ? row.name : maskName(row.name),
    gender: row.gender === 'male' || row.gender === 'female' ? row.gender : null,
    birthDate: row.birth_date,
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    address: row.address,
    relationToHead: row.relation_to_head,
    tags: parseTags(row.tags),
    status: row.status,
    note: row.note,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** A joined view row (list, detail, export) → ResidentView with org name and household label. */
export function mapResidentView(row: ResidentViewRow, viewer: { fullName: boolean }): ResidentView {
  return mapResident(row, { orgName: row.org_name, householdLabel: row.household_address, fullName: viewer.fullName });
}

export function parseTags(raw: string): string[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
