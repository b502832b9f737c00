import { describe, expect, it } from 'vitest';
import type { TrendsReport } from './api.ts';
import { trendRows } from './trendRows.ts';

const report: TrendsReport = {
  exact: false,
  points: [
    { period: '2026-01', value: { suppressed: true, reason: 'primary' }, baseline: null, unusual: false },
    { period: '2026-02', value: { suppressed: false, value: 15 }, baseline: 4, unusual: true },
  ],
  overlays: {
    schoolHolidays: [{ start: '2025-12-19', end: '2026-02-08' }],
    publicHolidays: [
      { date: '2026-01-02', name: 'Day after New Year’s Day' },
      { date: '2026-02-06', name: 'Waitangi Day' },
    ],
    events: [
      {
        id: '00000000-0000-4000-8000-000000000001',
        name: 'Demo event',
        start: '2026-01-30',
        end: '2026-02-01',
      },
    ],
    external: [
      {
        series: 'Weekly demo',
        points: [
          { period: '2026-02-02', value: 10 },
          { period: '2026-02-09', value: 5 },
        ],
      },
    ],
  },
};

describe('trendRows', () => {
  it('places holidays, events and imported values in the months they touch', () => {
    const [january, february] = trendRows(report);
    expect(january).toMatchObject({
      month: '2026-01',
      schoolHolidays: [{ start: '2026-01-01', end: '2026-01-31' }],
      publicHolidays: [{ name: 'Day after New Year’s Day' }],
      events: [{ name: 'Demo event' }],
      // No value that month: a gap, not a zero.
      external: [null],
    });
    expect(february).toMatchObject({
      unusual: true,
      baseline: 4,
      schoolHolidays: [{ start: '2026-02-01', end: '2026-02-08' }],
      publicHolidays: [{ name: 'Waitangi Day' }],
      events: [{ name: 'Demo event' }],
      external: [15],
    });
  });
});
