import { newZealandToday } from '@tiaki/domain';

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last day of a month (month 1–12). */
export function lastDay(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The last 12 full months before today (in New Zealand). */
export function lastTwelveMonths(today = newZealandToday(new Date())): Period {
  return lastFullMonths(12, today);
}

/** The last `count` full months before today (in New Zealand): a month still under way would look low. */
export function lastFullMonths(count: number, today = newZealandToday(new Date())): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  // The month before this one, and the months before that.
  const endYear = month === 1 ? year - 1 : year;
  const endMonth = month === 1 ? 12 : month - 1;
  const startIndex = endYear * 12 + (endMonth - 1) - (count - 1);
  const startYear = Math.floor(startIndex / 12);
  const startMonth = (startIndex % 12) + 1;
  return { from: `${startYear}-${pad(startMonth)}-01`, to: lastDay(endYear, endMonth) };
}

export interface Quarter extends Period {
  year: number;
  /** 1–4: January–March, April–June, July–September, October–December. */
  quarter: number;
}

/** A whole quarter (1–4) of a year. */
export function quarterOf(year: number, quarter: number): Quarter {
  const startMonth = (quarter - 1) * 3 + 1;
  return { year, quarter, from: `${year}-${pad(startMonth)}-01`, to: lastDay(year, startMonth + 2) };
}

/** This quarter (so far) and the four before it, latest first. */
export function recentQuarters(today = newZealandToday(new Date()), count = 5): Quarter[] {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const quarters: Quarter[] = [];
  for (let i = 0; i < count; i += 1) {
    const index = year * 4 + (quarter - 1) - i;
    const whole = quarterOf(Math.floor(index / 4), (index % 4) + 1);
    quarters.push(i === 0 && whole.to > today ? { ...whole, to: today } : whole);
  }
  return quarters;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | null): value is string {
  return value !== null && ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
