import { TAG_LABELS, type Locale } from '@haitang/contracts';

/** A resident tag's display name in the UI language (the code itself when unknown). */
export function tagLabel(tag: string, locale: Locale): string {
  return TAG_LABELS[tag]?.[locale] ?? tag;
}

export function genderKey(gender: string | null): string | null {
  return gender === 'male' || gender === 'female' ? `resident.gender.${gender}` : null;
}
