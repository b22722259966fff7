import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The rotating check-in code on the organiser's screen: `<window>.<mac>`, where window counts
 * WINDOW_SECONDS periods since the epoch and mac = HMAC-SHA256(key, activity, direction, window).
 * A code is accepted in its own window and the next one only, so a photo of the screen stops
 * working within a minute; the screen fetches a fresh code as each window begins.
 */
export const WINDOW_SECONDS = 30;

export type Direction = 'in' | 'out';

export class CheckInCodes {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'haitang/activity-checkin/v1', 32));
  }

  private mac(activityId: number, direction: Direction, window: number): string {
    return createHmac('sha256', this.key).update(`${activityId}:${direction}:${window}`).digest('base64url').slice(0, 22);
  }

  /** The code of the current window, when it expires and when the next one starts. */
  issue(activityId: number, direction: Direction, nowMs: number): { token: string; expiresAt: string; refreshInSeconds: number } {
    const window = Math.floor(nowMs / 1000 / WINDOW_SECONDS);
    const nextStart = (window + 1) * WINDOW_SECONDS * 1000;
    return {
      token: `${window}.${this.mac(activityId, direction, window)}`,
      expiresAt: new Date((window + 2) * WINDOW_SECONDS * 1000).toISOString(),
      refreshInSeconds: Math.max(1, Math.ceil((nextStart - nowMs) / 1000)),
    };
  }

  /** Whether the token is this activity's code for this direction, of this window or the last. */
  verify(activityId: number, direction: Direction, token: string, nowMs: number): boolean {
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!m) return false;
    const window = Number(m[1]);
    const current = Math.floor(nowMs / 1000 / WINDOW_SECONDS);
    if (window !== current && window !== current - 1) return false;
    const want = Buffer.from(this.mac(activityId, direction, window));
    const got = Buffer.from(m[2]!);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
