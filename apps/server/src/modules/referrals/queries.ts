import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ReferralDraftTable } from '../../db/schema.ts';
import type { Actor } from '../audit/index.ts';

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

function referralsWithIdentity(db: Db) {
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
    ]);
}

export type ReferralWithIdentityRow = Awaited<
  ReturnType<ReturnType<typeof referralsWithIdentity>['executeTakeFirstOrThrow']>
>;

/**
 * One referral with the child's identity and how the reader may read it (`access`, an SQL
 * expression over `r`), and, when they may, its read recorded in the audit log: one statement, so
 * one round trip, that commits on its own before it answers. Nothing is recorded for a referral
 * the reader may not see (nor for one that does not exist).
 */
export async function readReferralAudited<Via extends string>(
  db: Db,
  id: string,
  access: RawBuilder<Via | null>,
  audit: { actor: Actor; occurredAt: Date; fields: readonly string[] },
): Promise<(ReferralWithIdentityRow & { via: Via | null }) | undefined> {
  const referral = referralsWithIdentity(db).select(access.as('via')).where('r.id', '=', id);
  const { actor } = audit;
  const { rows } = await sql<ReferralWithIdentityRow & { via: Via | null }>`
    WITH r AS ${referral},
    audited AS (
      INSERT INTO audit_event
        (occurred_at, actor_user_id, actor_organisation_id, action, subject_type, subject_id, details, request_id)
      SELECT ${audit.occurredAt}::timestamptz, ${actor.userId}::uuid, ${actor.organisationId}::uuid,
        'referral.viewed', 'referral', r.id::text,
        jsonb_build_object('childId', r.child_id, 'fields', ${JSON.stringify(audit.fields)}::jsonb, 'via', r.via)
          || CASE WHEN r.via = 'break_glass' THEN '{"breakGlass": true}'::jsonb ELSE '{}'::jsonb END,
        ${actor.requestId}::text
      FROM r WHERE r.via IS NOT NULL
    )
    SELECT * FROM r`.execute(db);
  return rows[0];
}

/** Every referral on a case, oldest first: the case record's evidence. */
export async function listCaseReferralsWithIdentity(
  db: Db,
  caseId: string,
): Promise<ReferralWithIdentityRow[]> {
  return referralsWithIdentity(db)
    .where('r.case_id', '=', caseId)
    .orderBy('r.submitted_at', 'asc')
    .orderBy('r.reference', 'asc')
    .execute();
}

export async function getReferralSummary(db: Db, id: string): Promise<ReferralSummaryRow | undefined> {
  return referrals(db).where('r.id', '=', id).executeTakeFirst();
}

/** A person's own drafts, the most recently saved first (at most 50). */
export function draftsOf(db: Db, userId: string) {
  return db
    .selectFrom('referral_draft')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .limit(50)
    .execute();
}

export function insertDraft(db: Db, row: Insertable<ReferralDraftTable>) {
  return db.insertInto('referral_draft').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Saves a person's own draft (at this version, when one is given); undefined if it is not theirs
 * or has moved on.
 */
export function updateDraft(
  db: Db,
  userId: string,
  id: string,
  draft: { step: number; content_enc: string; version: number | undefined },
) {
  let query = db
    .updateTable('referral_draft')
    .set((eb) => ({
      step: draft.step,
      content_enc: draft.content_enc,
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (draft.version !== undefined) query = query.where('version', '=', draft.version);
  return query.returningAll().executeTakeFirst();
}

/** The version of a person's own draft, if they have it. */
export function draftVersion(db: Db, userId: string, id: string) {
  return db
    .selectFrom('referral_draft')
    .select('version')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Deletes a person's own draft; whether there was one. */
export async function deleteOwnDraft(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('referral_draft')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Identified children after an id, a batch in id order, with their sealed identities. */
export function identifiedChildrenAfter(db: Db, after: string | null, batchSize: number) {
  return db
    .selectFrom('child')
    .select(['id', 'identity_enc'])
    .where('identified', '=', true)
    .where('identity_enc', 'is not', null)
    .$if(after !== null, (q) => q.where('id', '>', after ?? ''))
    .orderBy('id')
    .limit(batchSize)
    .execute();
}

export async function setNameIndexes(
  db: Db,
  childId: string,
  indexes: { name_index: string[]; block_index: string[] },
): Promise<void> {
  await db.updateTable('child').set(indexes).where('id', '=', childId).execute();
}
