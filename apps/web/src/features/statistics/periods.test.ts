import { describe, expect, it } from 'vitest';
import { wholeWeeksWithin } from './periods.ts';

describe('wholeWeeksWithin', () => {
  it('keeps the whole Monday-to-Sunday weeks of a period', () => {
    // 1 June 2026 is a Monday; 31 August 2026 a Monday, so the last whole week ends on the 30th.
    expect(wholeWeeksWithin({ from: '2026-06-01', to: '2026-08-31' })).toEqual({
      from: '2026-06-01',
      to: '2026-08-30',
    });
    // July 2026 starts on a Wednesday: the first whole week starts on Monday 6 July.
    expect(wholeWeeksWithin({ from: '2026-07-01', to: '2026-07-31' })).toEqual({
      from: '2026-07-06',
      to: '2026-07-26',
    });
  });

  it('keeps the latest weeks when the period is longer than allowed, and none when no week fits', () => {
    expect(wholeWeeksWithin({ from: '2021-01-01', to: '2026-06-30' }, 4)).toEqual({
      from: '2026-06-01',
      to: '2026-06-28',
    });
    expect(wholeWeeksWithin({ from: '2026-07-01', to: '2026-07-04' })).toBeNull();
  });
});
