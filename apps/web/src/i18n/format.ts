import { REGIONS } from '@tiaki/domain';
import i18n from './index.ts';

/** New Zealand conventions for dates and numbers, in the language in use. */
function locale(): string {
  return i18n.language === 'en' ? 'en-NZ' : i18n.language;
}

/**
 * Every instant Tiaki shows is shown as it was in New Zealand, whatever the time zone of the
 * machine reading it: a case opened at 00:30 on 7 December New Zealand time (11:30 on
 * 6 December UTC) was opened on 7 December.
 */
export const NEW_ZEALAND_TIME_ZONE = 'Pacific/Auckland';

/** The Chatham Islands keep their own time, 45 minutes ahead of the mainland. */
export const CHATHAM_TIME_ZONE = 'Pacific/Chatham';

/**
 * The Chatham Islands in the regions reference (Stats NZ "Area Outside Region", ISO 3166-2
 * NZ-CIT, anniversary day of the Chatham Islands): code 99.
 */
export const CHATHAM_ISLANDS_REGION = REGIONS.find((region) => region.iso === 'NZ-CIT')?.code ?? '99';

/** The time zone a record's times are shown in: Chatham time for a Chatham Islands record. */
export function timeZoneFor(region?: string | null): string {
  return region === CHATHAM_ISLANDS_REGION ? CHATHAM_TIME_ZONE : NEW_ZEALAND_TIME_ZONE;
}

/** After a time shown in Chatham time, say so: " (Chatham Islands time)". */
function zoneNote(region?: string | null): string {
  return region === CHATHAM_ISLANDS_REGION ? ` (${i18n.t('time.chatham')})` : '';
}

/** An instant ('2026-12-06T11:30:00Z') rather than a calendar date ('2026-12-07'). */
function isInstant(iso: string): boolean {
  return iso.length > 10 && iso.charAt(10) === 'T';
}

/** An instant as a date and time in New Zealand, or in the Chatham Islands for a record there. */
export function formatDateTime(iso: string, region?: string | null): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    new Intl.DateTimeFormat(locale(), {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: timeZoneFor(region),
    }).format(date) + zoneNote(region)
  );
}

export function formatTime(date: Date, region?: string | null): string {
  return (
    new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: timeZoneFor(region) }).format(date) +
    zoneNote(region)
  );
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

/** With seconds: for the audit log, where the order of events matters. */
export function formatDateTimePrecise(iso: string, region?: string | null): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    new Intl.DateTimeFormat(locale(), {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone: timeZoneFor(region),
    }).format(date) + zoneNote(region)
  );
}

/**
 * A calendar date in words, as New Zealanders write it: "13 July 2026". A calendar date
 * ('YYYY-MM-DD') is shown as it is; an instant is shown as the date it was in New Zealand (in the
 * Chatham Islands, for a record there).
 */
export function formatDate(iso: string, region?: string | null): string {
  return formatCalendar(iso, { day: 'numeric', month: 'long', year: 'numeric' }, region);
}

/** A calendar date without its year: "10 July" (an instant: its date in New Zealand). */
export function formatDayMonth(iso: string, region?: string | null): string {
  return formatCalendar(iso, { day: 'numeric', month: 'long' }, region);
}

function formatCalendar(iso: string, parts: Intl.DateTimeFormatOptions, region?: string | null): string {
  const instant = isInstant(iso);
  const date = new Date(instant ? iso : `${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    ...parts,
    timeZone: instant ? timeZoneFor(region) : 'UTC',
  }).format(date);
}

/** A percentage from a share between 0 and 1. */
export function formatPercent(share: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}
