import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** The next `count` referral numbers, in ascending order. */
export async function nextReferralNumbers(db: Db, count: number): Promise<number[]> {
  const result = await sql<{
    n: string | number;
  }>`SELECT nextval('referral_number_seq') AS n FROM generate_series(1, ${count})`.execute(db);
  return result.rows.map((row) => Number(row.n)).sort((a, b) => a - b);
}

const summaryColumns = [
  'r.id',
  'r.reference',
  'r.status',
  'r.submitted_at',
  'r.concern_date',
  'r.region',
  'r.manifestations',
  'r.urgent',
  'r.concern_level',
  'r.organisation_id',
  'r.taxonomy_version',
  'r.indicators',
  'r.child_id',
  'r.case_id',
  'c.identified',
] as const;

function referrals(db: Db) {
  return db.selectFrom('referral as r').innerJoin('child as c', 'c.id', 'r.child_id').select(summaryColumns);
}

export type ReferralSummaryRow = Awaited<ReturnType<ReturnType<typeof referrals>['executeTakeFirstOrThrow']>>;

export async function listReferralsSubmittedBy(
  db: Db,
  userId: string,
  limit: number,
): Promise<ReferralSummaryRow[]> {
  return referrals(db)
    .where('r.submitted_by_user_id', '=', userId)
    .orderBy('r.submitted_at', 'desc')
    .limit(limit)
    .execute();
}

export async function getReferralWithIdentity(db: Db, id: string) {
  return referrals(db)
    .select([
      'r.protected_enc',
      'c.identity_enc',
      'c.gender',
      'c.ethnicities',
      'c.iwi',
      'c.citizenship',
      'c.age_band',
    ])
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select(['o.name as organisation_name', 'o.kind as organisation_kind', 'r.version'])
    .select([
      'r.concern_date',
      'r.police_district',
      'r.manifestation_subtypes',
      'r.contexts',
      'r.child_safety',
      'r.child_aware',
      'r.lawful_basis',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function getReferralSummary(db: Db, id: string): Promise<ReferralSummaryRow | undefined> {
  return referrals(db).where('r.id', '=', id).executeTakeFirst();
}
