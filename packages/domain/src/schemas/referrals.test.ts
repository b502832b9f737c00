import { describe, expect, it } from 'vitest';
import { referralInput, todayInNewZealand } from './referrals.ts';

const concernDate = referralInput.shape.concern.shape.date;

describe('dates in New Zealand', () => {
  it('accepts today in New Zealand and refuses tomorrow, whatever the device’s time zone', () => {
    const nz = todayInNewZealand();
    // New Zealand is ahead of UTC: its date is never behind the UTC date.
    expect(nz >= new Date().toISOString().slice(0, 10)).toBe(true);
    expect(concernDate.safeParse(nz).success).toBe(true);
    const tomorrow = new Date(`${nz}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const result = concernDate.safeParse(tomorrow.toISOString().slice(0, 10));
    expect(result.success).toBe(false);
  });
});
