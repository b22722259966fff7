import dayjs, { type Dayjs } from 'dayjs';

/** UTC+8, where the server counts its days (server/src/lib/working-time.ts). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * Today's date in Beijing, as a local-midnight Dayjs: periods such as "this month" are the
 * server's days, whatever time zone the browser is set to (at 00:30 in Beijing a browser on UTC
 * still has yesterday, and this month's figures would leave today's orders out).
 */
export function beijingToday(now = Date.now()): Dayjs {
  return dayjs(new Date(now + BEIJING_OFFSET_MS).toISOString().slice(0, 10));
}
