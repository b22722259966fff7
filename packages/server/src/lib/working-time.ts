/**
 * Working time on the official Chinese calendar (design.md §3). A working day is Monday to Friday,
 * unless the calendar lists it as a holiday, or a weekend day the calendar lists as an adjusted
 * working day (调休). Days are Beijing days (UTC+8, no daylight saving).
 *
 * A limit of N working days is N × 24 hours of working time: time accrues only on working days.
 * An order dispatched on Monday at 10:00 with 5 working days is due the next Monday at 10:00; one
 * dispatched on a Saturday starts accruing on Monday at 00:00 and is due at the end of Friday.
 * The same measure gives handling time in working hours.
 */
export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;

/** The Beijing date (YYYY-MM-DD) of an instant. */
export function beijingDate(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which a Beijing date begins. */
function dayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

export function isWorkingDay(cal: WorkCalendar, date: string): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
}

/** Working milliseconds between two instants (0 when `to` is not after `from`). */
export function workingMsBetween(cal: WorkCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (let d = dayStart(from); d < to; d += DAY_MS) {
    if (!isWorkingDay(cal, beijingDate(d))) continue;
    total += Math.min(to, d + DAY_MS) - Math.max(from, d);
  }
  return total;
}

/** The instant at which `ms` of working time has accrued after `from`. */
export function addWorkingMs(cal: WorkCalendar, from: number, ms: number): number {
  let left = ms;
  let t = from;
  // A calendar never has more than a few weeks without a working day; bound the walk anyway.
  for (let guard = 0; guard < 3660; guard++) {
    const start = dayStart(t);
    const end = start + DAY_MS;
    if (isWorkingDay(cal, beijingDate(start))) {
      if (t + left <= end) return t + left;
      left -= end - t;
    }
    t = end;
  }
  throw new Error('working-time walk exceeded ten years');
}

export function addWorkingDays(cal: WorkCalendar, from: number, days: number): number {
  return addWorkingMs(cal, from, days * DAY_MS);
}

/** Whether an instant falls inside a return window of `days` working days after `from`. */
export function withinWorkingDays(cal: WorkCalendar, from: number, days: number, at: number): boolean {
  return at <= addWorkingDays(cal, from, days);
}
