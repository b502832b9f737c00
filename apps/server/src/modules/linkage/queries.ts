import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** A child record with its indexes, case, and the region and date of its referral, for scoring. */
export function probeChild(db: Db, childId: string) {
  return db
    .selectFrom('child as c')
    .leftJoin('referral as r', 'r.child_id', 'c.id')
    .select([
      'c.id',
      'c.identified',
      'c.identity_enc',
      'c.name_index',
      'c.block_index',
      'c.dob_index',
      'c.gender',
      'c.age_band',
      'c.case_id',
      'r.region',
      'r.received_on',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirst();
}

/**
 * Identified children on another case that share a blocking key with the probe (keyed name,
 * sound-alike or birth-date index), at most 500.
 */
export function blockedCandidates(
  db: Db,
  probe: {
    id: string;
    name_index: string[];
    block_index: string[];
    dob_index: string | null;
    case_id: string | null;
  },
) {
  let q = db
    .selectFrom('child as c')
    .innerJoin('case_record as k', 'k.id', 'c.case_id')
    .select(['c.id', 'c.identity_enc', 'c.gender', 'c.age_band', 'c.created_at', 'k.region'])
    .where('c.id', '<>', probe.id)
    .where('c.identified', '=', true)
    .where((eb) =>
      eb.or([
        eb(sql<string[]>`c.name_index`, '&&', sql<string[]>`${probe.name_index}::text[]`),
        eb(sql<string[]>`c.block_index`, '&&', sql<string[]>`${probe.block_index}::text[]`),
        ...(probe.dob_index ? [eb('c.dob_index', '=', probe.dob_index)] : []),
      ]),
    );
  if (probe.case_id) q = q.where('c.case_id', '<>', probe.case_id);
  return q.limit(500).execute();
}

/** Keeps a candidate link, or re-scores it while it is undecided (a decided link keeps its decision). */
export async function upsertCandidateLink(
  db: Db,
  link: {
    childId: string;
    candidateChildId: string;
    probability: number;
    explanation: string;
    model: string;
  },
): Promise<void> {
  await db
    .insertInto('child_link')
    .values({
      child_id: link.childId,
      candidate_child_id: link.candidateChildId,
      probability: link.probability,
      explanation: link.explanation,
      model: link.model,
    })
    .onConflict((oc) =>
      oc
        .columns(['child_id', 'candidate_child_id'])
        .doUpdateSet({
          probability: link.probability,
          explanation: link.explanation,
          model: link.model,
          updated_at: new Date(),
        })
        .where('child_link.status', '=', 'candidate'),
    )
    .execute();
}
