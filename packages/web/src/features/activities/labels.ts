import {
  ACTIVITY_KIND_LABELS,
  ACTIVITY_STATUS_LABELS,
  SIGNUP_STATUS_LABELS,
  type ActivityKind,
  type ActivityStatus,
  type Locale,
  type SignupStatus,
} from '@haitang/contracts';

export const kindLabel = (k: ActivityKind, locale: Locale) => ACTIVITY_KIND_LABELS[k][locale];
export const statusLabel = (s: ActivityStatus, locale: Locale) => ACTIVITY_STATUS_LABELS[s][locale];
export const signupStatusLabel = (s: SignupStatus, locale: Locale) => SIGNUP_STATUS_LABELS[s][locale];

export const STATUS_COLOR: Record<ActivityStatus, string> = { draft: 'default', published: 'green', cancelled: 'red', finished: 'blue' };
export const SIGNUP_COLOR: Record<SignupStatus, string> = { confirmed: 'green', waiting: 'orange', withdrawn: 'default' };

/** A time in China time (the community's clock, whatever the viewer's device says): "12-04 14:00". */
export function chinaTime(iso: string | null | undefined, withDate = true): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withDate ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}` : time;
}

/** "2026-12-04 14:00–16:00" (or both dates when it spans days). */
export function timeRange(startsAt: string, endsAt: string): string {
  const a = chinaTime(startsAt);
  const b = chinaTime(endsAt);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
}
