import type { DataQualityReport } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { HttpError } from '../../http/errors.ts';
import { dataQualityRows } from './queries/quality.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) =>
  `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;

/** The dates of a named standard period: 2026-07 (a month), 2026Q3 (a quarter) or 2026 (a year). */
export function namedPeriod(name: string): { name: string; from: string; to: string } {
  const year = Number(name.slice(0, 4));
  const quarter = /^\d{4}Q([1-4])$/.exec(name);
  const month = /^\d{4}-(\d{2})$/.exec(name);
  if (quarter) {
    const start = (Number(quarter[1]) - 1) * 3 + 1;
    return { name, from: `${year}-${pad(start)}-01`, to: lastDay(year, start + 2) };
  }
  if (month) {
    const m = Number(month[1]);
    return { name, from: `${year}-${pad(m)}-01`, to: lastDay(year, m) };
  }
  if (/^\d{4}$/.test(name)) return { name, from: `${year}-01-01`, to: `${year}-12-31` };
  throw new HttpError(
    400,
    'nonstandard_period',
    'Choose a month (2026-07), a quarter (2026Q3) or a year (2026).',
  );
}

/**
 * Data quality of each submitting organisation's referrals received in a period, for data stewards:
 * exact counts (their exact view), organisations by name, nothing about any one child. Reads only
 * coded facts (never identity, narrative or encrypted columns: a date of birth is "recorded" when
 * its birth year is). The read is audited.
 */
export async function dataQuality(
  ctx: AppContext,
  actor: Actor,
  periodName: string,
): Promise<DataQualityReport> {
  const period = namedPeriod(periodName);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await dataQualityRows(trx, period);
    await recordAudit(trx, actor, {
      action: 'statistics.data_quality_viewed',
      subjectType: 'statistics',
      details: { period: period.name },
    });
    return { period, exact: true as const, organisations: rows };
  });
}
