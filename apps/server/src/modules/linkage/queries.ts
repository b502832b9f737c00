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
 * sound-alike or birth-date index), at most 500: those sharing the whole name or the date of birth
 * first, then those sharing the most sound-alike keys, then the newest. Without an order the cap
 * kept whichever 500 the database met first; with common names (a sound key shared by hundreds of
 * children) that left the same child out once the population grew.
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
  const strong = probe.dob_index
    ? sql<boolean>`(c.name_index && ${probe.name_index}::text[] OR c.dob_index = ${probe.dob_index})`
    : sql<boolean>`(c.name_index && ${probe.name_index}::text[])`;
  return q
    .orderBy(strong, 'desc')
    .orderBy(
      sql<number>`cardinality(ARRAY(SELECT unnest(c.block_index) INTERSECT SELECT unnest(${probe.block_index}::text[])))`,
      'desc',
    )
    .orderBy('c.created_at', 'desc')
    .limit(500)
    .execute();
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

// Learning from reviewers (learning.ts).

/** Keeps a reviewer's decision on a pair, replacing an earlier decision on the same pair. */
export async function upsertLabel(
  db: Db,
  label: {
    pairKey: string;
    label: 'match' | 'non_match';
    vectorEnc: string;
    decidedBy: string | null;
    decidedAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('linkage_label')
    .values({
      pair_key: label.pairKey,
      label: label.label,
      vector_enc: label.vectorEnc,
      decided_by_user_id: label.decidedBy,
      decided_at: label.decidedAt,
    })
    .onConflict((oc) =>
      oc.column('pair_key').doUpdateSet({
        label: label.label,
        vector_enc: label.vectorEnc,
        decided_by_user_id: label.decidedBy,
        decided_at: label.decidedAt,
      }),
    )
    .execute();
}

/** Every labelled pair, oldest decision first. */
export function allLabels(db: Db) {
  return db
    .selectFrom('linkage_label')
    .select(['pair_key', 'label', 'vector_enc', 'decided_at'])
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
}

/** How many pairs of each label there are. */
export async function labelCounts(db: Db): Promise<{ confirmed: number; rejected: number }> {
  const rows = await db
    .selectFrom('linkage_label')
    .select(['label', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('label')
    .execute();
  const of = (label: string) => Number(rows.find((r) => r.label === label)?.n ?? 0);
  return { confirmed: of('match'), rejected: of('non_match') };
}

/** The model in use for new scoring; undefined: the built-in one. */
export function activeVersion(db: Db) {
  return db
    .selectFrom('linkage_model_version')
    .select(['id', 'number', 'model_enc'])
    .where('active', '=', true)
    .executeTakeFirst();
}

/** Every version with who made and last activated it, newest first. */
export function listVersions(db: Db) {
  return db
    .selectFrom('linkage_model_version as v')
    .innerJoin('app_user as c', 'c.id', 'v.created_by_user_id')
    .leftJoin('app_user as a', 'a.id', 'v.activated_by_user_id')
    .select([
      'v.id',
      'v.number',
      'v.model_enc',
      'v.labels_confirmed',
      'v.labels_rejected',
      'v.figures',
      'v.created_at',
      'c.display_name as created_by',
      'v.active',
      'v.activated_at',
      'a.display_name as activated_by',
    ])
    .orderBy('v.number', 'desc')
    .execute();
}

export function versionById(db: Db, id: string) {
  return db
    .selectFrom('linkage_model_version')
    .select(['id', 'number', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Advisory-lock class for the model versions (numbering and the one in use). */
const MODEL_VERSION_LOCK = 727278;

/**
 * Queues this transaction behind any other numbering a version or changing the one in use, so two
 * data stewards at once each get a result instead of a unique-index violation.
 */
export async function lockModelVersions(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${MODEL_VERSION_LOCK})`.execute(db);
}

export async function nextVersionNumber(db: Db): Promise<number> {
  const row = await db
    .selectFrom('linkage_model_version')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return (row?.n ?? 0) + 1;
}

export async function insertVersion(
  db: Db,
  v: {
    id: string;
    number: number;
    modelEnc: string;
    confirmed: number;
    rejected: number;
    figures: string;
    createdBy: string;
  },
): Promise<void> {
  await db
    .insertInto('linkage_model_version')
    .values({
      id: v.id,
      number: v.number,
      model_enc: v.modelEnc,
      based_on_version_id: null,
      labels_confirmed: v.confirmed,
      labels_rejected: v.rejected,
      figures: v.figures,
      created_by_user_id: v.createdBy,
    })
    .execute();
}

/** Puts one version in use (none: the built-in model); the version in use before, if any. */
export async function setActiveVersion(db: Db, id: string | null, byUserId: string, at: Date): Promise<void> {
  await db.updateTable('linkage_model_version').set({ active: false }).where('active', '=', true).execute();
  if (id)
    await db
      .updateTable('linkage_model_version')
      .set({ active: true, activated_by_user_id: byUserId, activated_at: at })
      .where('id', '=', id)
      .execute();
}
