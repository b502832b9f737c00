import { describe, expect, it, vi } from 'vitest';

// The wording module sets the page's language: a stand-in page, as these tests run without a browser.
vi.hoisted(() => {
  Object.assign(globalThis, { document: { documentElement: { lang: '' } } });
});
import {
  CHATHAM_ISLANDS_REGION,
  formatDate,
  formatDateTime,
  formatDayMonth,
  formatTime,
  timeZoneFor,
} from './format.ts';

// 10:30 UTC on 6 December: 23:30 on 6 December in Auckland (NZDT, +13:00), 00:15 on 7 December in
// the Chatham Islands (+13:45).
const LATE_EVENING = '2026-12-06T10:30:00Z';

describe('dates and times in New Zealand time', () => {
  it('finds the Chatham Islands in the regions reference', () => {
    expect(CHATHAM_ISLANDS_REGION).toBe('99');
    expect(timeZoneFor(CHATHAM_ISLANDS_REGION)).toBe('Pacific/Chatham');
    expect(timeZoneFor('02')).toBe('Pacific/Auckland');
    expect(timeZoneFor(null)).toBe('Pacific/Auckland');
    expect(timeZoneFor(undefined)).toBe('Pacific/Auckland');
  });

  it('shows an instant as it was in New Zealand, whatever the machine’s zone', () => {
    expect(formatDate('2026-12-06T11:30:00Z')).toBe('7 December 2026');
    expect(formatDateTime('2026-12-06T11:30:00Z')).toMatch(/7 Dec 2026.*12:30\s?am/i);
    expect(formatDate(LATE_EVENING)).toBe('6 December 2026');
  });

  it('shows a Chatham Islands record’s times in Chatham time, and says so', () => {
    expect(formatDate(LATE_EVENING, '99')).toBe('7 December 2026');
    expect(formatDayMonth(LATE_EVENING, '99')).toBe('7 December');
    const chatham = formatDateTime(LATE_EVENING, '99');
    expect(chatham).toMatch(/7 Dec 2026.*12:15\s?am/i);
    expect(chatham).toContain('Chatham Islands time');
    expect(formatDateTime(LATE_EVENING, '02')).toMatch(/6 Dec 2026.*11:30\s?pm/i);
    expect(formatDateTime(LATE_EVENING, '02')).not.toContain('Chatham');
    expect(formatTime(new Date(LATE_EVENING), '99')).toMatch(/12:15\s?am \(Chatham Islands time\)/i);
  });

  it('keeps a calendar date as it is, wherever the record is', () => {
    expect(formatDate('2026-07-13')).toBe('13 July 2026');
    expect(formatDate('2026-07-13', '99')).toBe('13 July 2026');
  });

  it('follows daylight saving: 45 minutes ahead of Auckland in winter too', () => {
    // 12:00 UTC on 1 July: 00:00 on 2 July in Auckland (NZST, +12:00), 00:45 in the Chatham Islands.
    expect(formatDateTime('2026-07-01T12:00:00Z')).toMatch(/2 Jul 2026.*12:00\s?am/i);
    expect(formatDateTime('2026-07-01T12:00:00Z', '99')).toMatch(/2 Jul 2026.*12:45\s?am/i);
  });
});
