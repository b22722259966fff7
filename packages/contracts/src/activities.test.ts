import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceMinutes } from './activities.js';

/** Hand-computed examples of the service-minute rule (design.md §4). */
describe('serviceMinutes', () => {
  const activity = (rules = { minSharePercent: 60, capMinutes: null as number | null }) => ({
    startsAt: '2026-12-04T06:00:00.000Z', // 14:00 China time
    endsAt: '2026-12-04T08:00:00.000Z', // 16:00, 120 minutes
    rules,
  });
  const at = (hhmm: string) => `2026-12-04T${hhmm}:00.000Z`;

  it('counts only the time inside the activity (early arrival and late stay are not service)', () => {
    assert.equal(serviceMinutes(activity(), at('05:30'), at('08:45')), 120);
    assert.equal(serviceMinutes(activity(), at('06:10'), at('07:55')), 105);
  });

  it('counts nothing under the minimum share, and exactly the share counts', () => {
    assert.equal(serviceMinutes(activity(), at('06:00'), at('07:11')), 0); // 71 of 120 = 59.2 %
    assert.equal(serviceMinutes(activity(), at('06:00'), at('07:12')), 72); // 72 = 60 %
    assert.equal(serviceMinutes(activity({ minSharePercent: 0, capMinutes: null }), at('06:00'), at('06:05')), 5);
  });

  it('caps the minutes, and a check-out before the start is nothing', () => {
    assert.equal(serviceMinutes(activity({ minSharePercent: 50, capMinutes: 90 }), at('06:00'), at('08:00')), 90);
    assert.equal(serviceMinutes(activity(), at('04:00'), at('05:00')), 0);
  });
});
