// The SQL of the data-quality report (quality.ts): per submitting organisation, how complete its
// referrals of a period are. Coded facts only (referral_fact), never identity or narrative.
import { sql } from 'kysely';
import type { DataQualityRow } from '@tiaki/domain';
import type { Db } from '../../../db/database.ts';
import type { Period } from './facts.ts';

/** Gender codes that say the gender is not known. */
const GENDER_UNKNOWN = ['unknown', 'not_stated'];
/** Stats NZ residual ethnicity codes: don't know, refused, repeated, unidentifiable, outside scope, not stated. */
const ETHNICITY_RESIDUAL = ['94', '95', '96', '97', '98', '99'];
const FORM_OTHER = 'other_sexual_exploitation';

/** One row per organisation with referrals received in the period, by organisation name. */
export async function dataQualityRows(trx: Db, period: Period): Promise<DataQualityRow[]> {
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
  return rows.rows;
}
