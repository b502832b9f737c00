import { sql } from 'kysely';
import type { DataQualityReport, DataQualityRow } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { HttpError } from '../../http/errors.ts';

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

/** Gender codes that say the gender is not known. */
const GENDER_UNKNOWN = ['unknown', 'not_stated'];
/** Stats NZ residual ethnicity codes: don't know, refused, repeated, unidentifiable, outside scope, not stated. */
const ETHNICITY_RESIDUAL = ['94', '95', '96', '97', '98', '99'];
const FORM_OTHER = 'other_sexual_exploitation';

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
    const rows = await sql<DataQualityRow>`
      SELECT o.name AS organisation,
        count(*)::int AS "referrals",
        count(*) FILTER (WHERE f.region IS NOT NULL AND f.region <> '')::int AS "withRegion",
        count(*) FILTER (WHERE f.gender IS NOT NULL)::int AS "withGender",
        count(*) FILTER (WHERE cardinality(f.ethnicities) > 0)::int AS "withEthnicity",
        count(*) FILTER (WHERE cardinality(f.manifestations) > 0)::int AS "withForm",
        count(*) FILTER (WHERE c.birth_year IS NOT NULL)::int AS "withDateOfBirth",
        count(*) FILTER (WHERE c.birth_year IS NULL AND f.age_band IS NOT NULL)::int AS "withEstimatedAgeOnly",
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY (f.received_on - f.concern_date)))::float8 AS "medianDaysToReferral",
        count(*) FILTER (WHERE
          EXISTS (
            SELECT 1 FROM referral_fact e JOIN referral er ON er.id = e.referral_id
            WHERE e.child_unit = f.child_unit AND e.referral_id <> f.referral_id
              AND (er.submitted_at, er.id) < (r.submitted_at, r.id))
          OR EXISTS (
            SELECT 1 FROM child_link l
            WHERE (l.child_id = f.child_id OR l.candidate_child_id = f.child_id)
              AND l.status NOT IN ('candidate', 'rejected'))
        )::int AS "linkedToKnownChild",
        count(*) FILTER (WHERE f.gender = ANY(${GENDER_UNKNOWN}::text[]))::int AS "genderUnknown",
        count(*) FILTER (WHERE cardinality(f.ethnicities) > 0
          AND f.ethnicities <@ ${ETHNICITY_RESIDUAL}::text[])::int AS "ethnicityUnknown",
        count(*) FILTER (WHERE ${FORM_OTHER} = ANY(f.manifestations))::int AS "formOther",
        count(*) FILTER (WHERE f.citizenship = 'unknown')::int AS "citizenshipUnknown"
      FROM referral_fact f
      JOIN referral r ON r.id = f.referral_id
      JOIN child c ON c.id = f.child_id
      JOIN organisation o ON o.id = f.organisation_id
      WHERE f.received_on BETWEEN ${period.from} AND ${period.to}
      GROUP BY o.id, o.name
      ORDER BY o.name, o.id`.execute(trx);
    await recordAudit(trx, actor, {
      action: 'statistics.data_quality_viewed',
      subjectType: 'statistics',
      details: { period: period.name },
    });
    return { period, exact: true as const, organisations: rows.rows };
  });
}
