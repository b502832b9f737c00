import { describe, expect, it } from 'vitest';
import { newZealandToday } from '../workflow/dates.ts';
import { referralInput } from './referrals.ts';

const concernDate = referralInput.shape.concern.shape.date;

describe('dates in New Zealand', () => {
  it('accepts today in New Zealand and refuses tomorrow, whatever the device’s time zone', () => {
    const nz = newZealandToday(new Date(), 'latest');
    // New Zealand is ahead of UTC: its date is never behind the UTC date.
    expect(nz >= new Date().toISOString().slice(0, 10)).toBe(true);
    expect(concernDate.safeParse(nz).success).toBe(true);
    const tomorrow = new Date(`${nz}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const result = concernDate.safeParse(tomorrow.toISOString().slice(0, 10));
    expect(result.success).toBe(false);
  });
});

describe('today in New Zealand', () => {
  it('turns over at midnight in Auckland, and 45 minutes earlier in the Chatham Islands', () => {
    // 2026-07-13 11:30 UTC is 23:30 NZST on the 13th in Auckland and 00:15 on the 14th on Chatham.
    const lateEvening = new Date('2026-07-13T11:30:00Z');
    expect(newZealandToday(lateEvening)).toBe('2026-07-13');
    expect(newZealandToday(lateEvening, 'latest')).toBe('2026-07-14');
    // In daylight time (NZDT, UTC+13) midnight in Auckland is 11:00 UTC the day before.
    expect(newZealandToday(new Date('2026-12-31T10:59:00Z'))).toBe('2026-12-31');
    expect(newZealandToday(new Date('2026-12-31T11:00:00Z'))).toBe('2027-01-01');
  });

  it('gives the right date at the last and first millisecond of a day, asked in any order', () => {
    // The date is kept for a minute once computed: it must never be carried over midnight.
    expect(newZealandToday(new Date('2026-12-31T10:59:00.000Z'))).toBe('2026-12-31');
    expect(newZealandToday(new Date('2026-12-31T10:59:59.999Z'))).toBe('2026-12-31');
    expect(newZealandToday(new Date('2026-12-31T11:00:00.000Z'))).toBe('2027-01-01');
    expect(newZealandToday(new Date('2026-12-31T10:59:59.999Z'))).toBe('2026-12-31');
    expect(newZealandToday(new Date('2026-12-31T10:14:59.999Z'), 'latest')).toBe('2026-12-31');
    expect(newZealandToday(new Date('2026-12-31T10:15:00.000Z'), 'latest')).toBe('2027-01-01');
    expect(() => newZealandToday(new Date(Number.NaN))).toThrow();
  });

  it('refuses a concern dated after today on the Chatham Islands', () => {
    const latest = newZealandToday(new Date(), 'latest');
    const dayAfter = new Date(`${latest}T00:00:00Z`);
    dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
    expect(concernDate.safeParse(dayAfter.toISOString().slice(0, 10)).success).toBe(false);
  });
});
