import { randomUUID } from 'node:crypto';
import type { Insertable, Transaction } from 'kysely';
import {
  CURRENT_TAXONOMY,
  taxonomyVersion,
  screenIndicators,
  URGENT_ACTIONS,
  type ReferralAcknowledgement,
  type ReferralContent,
  type ReferralData,
  type ReferralDetail,
  type ReferralSummary,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { insertJsonRows } from '../../db/bulk.ts';
import type { Schema } from '../../db/schema.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { idempotent, type Outcome } from '../../http/idempotency.ts';
import type { KeyRing } from '../../security/keyring.ts';
import { recordAudits, type Actor, type AuditInput } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  childEncodedContext,
  decryptIdentity,
  encryptIdentity,
  referralAccess,
  referralAccessSql,
  referralProtectedContext,
  requireAccess,
  type ChildIdentity,
} from '../child-record/index.ts';
import { enqueueMany } from '../jobs/index.ts';
import {
  getReferralSummary,
  listCaseReferralsWithIdentity,
  listReferralsSubmittedBy,
  nextReferralNumbers,
  readReferralAudited,
  type ReferralSummaryRow,
  type ReferralWithIdentityRow,
} from './queries.ts';
import { deleteDraft } from './drafts.ts';
import { ageBandOf, blockIndexes, nameIndexes } from './identity-indexes.ts';

export { ageBandOf, blockIndexes, nameIndexes };

/** Who submits: a signed-in person, or an organisation's system through an API key. */
export interface Submitter {
  organisationId: string;
  userId: string | null;
  apiKeyId: string | null;
}

export interface SubmissionSource {
  importBatchId?: string;
  /** A stable key of the source row: the same row imported twice makes one referral. */
  sourceKey?: string;
  /** When first received, for history brought over from another system; otherwise today. */
  receivedOn?: string;
}

interface ReferralProtected {
  referrer: ReferralData['referrer'];
  narrative: string;
  childViews?: string | undefined;
  evidenceReferences: ReferralData['evidenceReferences'];
}

function presentSummary(row: ReferralSummaryRow): ReferralSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as ReferralSummary['status'],
    submittedAt: row.submitted_at.toISOString(),
    concernDate: row.concern_date,
    region: row.region,
    manifestations: row.manifestations,
    urgent: row.urgent,
    concernLevel: row.concern_level as ReferralSummary['concernLevel'],
    childIdentified: row.identified,
  };
}

function acknowledgementOf(row: ReferralSummaryRow): ReferralAcknowledgement {
  return {
    ...presentSummary(row),
    taxonomyVersion: row.taxonomy_version,
    // Judged under the taxonomy the referral was recorded with, not today's.
    screen: screenIndicators(row.indicators, taxonomyVersion(row.taxonomy_version) ?? CURRENT_TAXONOMY),
    urgentActions: row.urgent ? [...URGENT_ACTIONS] : [],
  };
}

/** One referral to record: what was submitted and, for imports, where it came from. */
export interface NewReferral {
  data: ReferralData;
  source?: SubmissionSource;
}

/** Rows per INSERT (each statement sends its rows as one JSON parameter). */
const REFERRALS_PER_INSERT = 1000;
/** Small enough that one job finishes well inside its lease, even on the embedded database. */
const CHILDREN_PER_LINKAGE_JOB = 100;

/**
 * Records a referral and a child record for it, in the caller's transaction. Identity and
 * narrative are encrypted before they reach the database; the audit entry holds no names.
 */
export async function insertReferral(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  submitter: Submitter,
  data: ReferralData,
  source: SubmissionSource = {},
): Promise<ReferralAcknowledgement> {
  const [acknowledgement] = await insertReferrals(ctx, trx, actor, submitter, [{ data, source }]);
  if (!acknowledgement) throw new Error('insertReferrals returned nothing for one referral');
  return acknowledgement;
}

/**
 * Records many referrals at once (a bulk import's chunk): the same rows, encryption, linkage jobs
 * and one audit entry per referral as one at a time, in a few multi-row statements.
 */
export async function insertReferrals(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  submitter: Submitter,
  items: readonly NewReferral[],
): Promise<ReferralAcknowledgement[]> {
  if (items.length === 0) return [];
  const taxonomy = CURRENT_TAXONOMY;
  const now = new Date();
  const today = ctx.today();
  const numbers = await nextReferralNumbers(trx, items.length);
  const children: Insertable<Schema['child']>[] = [];
  const referrals: Insertable<Schema['referral']>[] = [];
  const audits: AuditInput[] = [];
  const linkageChildren: string[] = [];
  const acknowledgements = items.map(({ data, source = {} }, i): ReferralAcknowledgement => {
    const childId = randomUUID();
    const referralId = randomUUID();
    const child = data.child;
    const identity: ChildIdentity = {
      givenNames: child.givenNames,
      familyName: child.familyName,
      aliases: child.aliases,
      dateOfBirth: child.dateOfBirth,
      currentLocation: child.currentLocation,
      languages: child.languages,
    };
    children.push({
      id: childId,
      identified: child.identified,
      identity_enc: encryptIdentity(ctx.keyring, childId, identity),
      name_index: child.identified ? nameIndexes(ctx.keyring, identity) : [],
      block_index: child.identified ? blockIndexes(ctx.keyring, identity) : [],
      encoded_enc: child.encoded
        ? ctx.keyring.encrypt(JSON.stringify(child.encoded), childEncodedContext(childId))
        : null,
      dob_index: child.dateOfBirth ? ctx.keyring.blindIndex(child.dateOfBirth, 'child.dob') : null,
      age_band: ageBandOf(child, data.concern.date, taxonomy),
      birth_year: child.dateOfBirth ? Number(child.dateOfBirth.slice(0, 4)) : null,
      gender: child.gender,
      ethnicities: child.ethnicities,
      iwi: child.iwi,
      citizenship: child.citizenship ?? null,
      created_by_organisation_id: submitter.organisationId,
      created_at: now,
      updated_at: now,
    });
    const reference = `TKI-${now.getUTCFullYear()}-${String(numbers[i]).padStart(6, '0')}`;
    const screen = screenIndicators(data.indicators, taxonomy);
    const protectedPart: ReferralProtected = {
      referrer: data.referrer,
      narrative: data.narrative,
      childViews: data.childViews,
      evidenceReferences: data.evidenceReferences,
    };
    referrals.push({
      id: referralId,
      reference,
      taxonomy_version: taxonomy.version,
      child_id: childId,
      organisation_id: submitter.organisationId,
      submitted_by_user_id: submitter.userId,
      submitted_by_api_key_id: submitter.apiKeyId,
      concern_date: data.concern.date,
      region: data.concern.region,
      police_district: data.concern.policeDistrict ?? null,
      manifestations: data.manifestations,
      manifestation_subtypes: data.manifestationSubtypes,
      contexts: data.contexts,
      indicators: data.indicators,
      concern_level: screen.level,
      urgent: data.immediateRisk,
      child_safety: child.safety,
      child_aware: data.childAware,
      lawful_basis: data.lawfulBasis,
      protected_enc: ctx.keyring.encrypt(JSON.stringify(protectedPart), referralProtectedContext(referralId)),
      import_batch_id: source.importBatchId ?? null,
      source_key: source.sourceKey ?? null,
      received_on: source.receivedOn ?? today,
      submitted_at: now,
      updated_at: now,
    });
    // Scored against the children already known in the background, so triage sees candidates.
    if (child.identified) linkageChildren.push(childId);
    audits.push({
      action: 'referral.submitted',
      subjectType: 'referral',
      subjectId: referralId,
      details: {
        reference,
        childId,
        manifestations: data.manifestations,
        urgent: data.immediateRisk,
        ...(submitter.apiKeyId ? { apiKeyId: submitter.apiKeyId } : {}),
        ...(source.importBatchId ? { importBatchId: source.importBatchId } : {}),
      },
    });
    return {
      id: referralId,
      reference,
      status: 'submitted',
      submittedAt: now.toISOString(),
      concernDate: data.concern.date,
      region: data.concern.region,
      manifestations: data.manifestations,
      urgent: data.immediateRisk,
      concernLevel: screen.level,
      childIdentified: child.identified,
      taxonomyVersion: taxonomy.version,
      screen,
      urgentActions: data.immediateRisk ? [...URGENT_ACTIONS] : [],
    };
  });
  // One parameter a statement (the rows as JSON), not one a value: most of a bulk import's time
  // went in building and sending multi-row VALUES.
  for (let at = 0; at < items.length; at += REFERRALS_PER_INSERT) {
    await insertJsonRows(trx, 'child', children.slice(at, at + REFERRALS_PER_INSERT));
    await insertJsonRows(trx, 'referral', referrals.slice(at, at + REFERRALS_PER_INSERT));
  }
  // Scored in groups: a bulk import queues a job per hundred children, not one per child.
  const linkageGroups: Record<string, unknown>[] = [];
  for (let at = 0; at < linkageChildren.length; at += CHILDREN_PER_LINKAGE_JOB)
    linkageGroups.push({ childIds: linkageChildren.slice(at, at + CHILDREN_PER_LINKAGE_JOB) });
  await enqueueMany(trx, 'linkage.score', linkageGroups);
  await recordAudits(trx, actor, audits);
  return acknowledgements;
}

/**
 * A referral submitted through the API, in one transaction: recorded once whatever the retries
 * (the idempotency key answers a retry with the first answer), and the draft it came from removed
 * with it.
 */
export async function submitReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  request: { referral: ReferralData; idempotencyKey?: string | undefined; draftId?: string | undefined },
): Promise<Outcome<ReferralAcknowledgement>> {
  if (auth.apiKeyId && request.draftId)
    throw new HttpError(400, 'no_drafts_for_api_keys', 'API keys have no drafts.');
  const submitter: Submitter = auth.apiKeyId
    ? { organisationId: auth.organisation.id, userId: null, apiKeyId: auth.apiKeyId }
    : { organisationId: auth.organisation.id, userId: auth.userId, apiKeyId: null };
  return ctx.db.transaction().execute(async (trx) => {
    const result = await idempotent(
      trx,
      auth.organisation.id,
      request.idempotencyKey,
      request.referral,
      async () => ({
        statusCode: 201,
        body: await insertReferral(ctx, trx, actor, submitter, request.referral),
      }),
    );
    if (request.draftId && !result.replayed) await deleteDraft(trx, auth, request.draftId);
    return result;
  });
}

export async function listMine(ctx: AppContext, auth: AuthContext): Promise<ReferralSummary[]> {
  return (await listReferralsSubmittedBy(ctx.db, auth.userId, 200)).map(presentSummary);
}

/** The acknowledgement again (reference, status, screen): no identity, so no audit entry. */
export async function readAcknowledgement(
  ctx: AppContext,
  auth: AuthContext,
  id: string,
): Promise<ReferralAcknowledgement> {
  const row = await getReferralSummary(ctx.db, id);
  if (!row || !(await referralAccess(ctx.db, auth, row))) throw notFound('The referral');
  return acknowledgementOf(row);
}

/** A referral with the child's identity: every successful read is an audit event. */
export async function readReferral(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<ReferralDetail> {
  // Access check, read and audit entry in one statement (one round trip), committed before the
  // answer is made: what referralViewed records for a read, written in SQL.
  const row = await readReferralAudited(ctx.db, id, referralAccessSql(auth), {
    actor,
    occurredAt: new Date(),
    fields: VIEWED_FIELDS,
  });
  if (!row?.via) throw notFound('The referral');
  return presentReferral(ctx.keyring, row);
}

/**
 * Every referral on a case, in full: for the case team (need to know through the one access gate,
 * `requireAccess`). Each referral read is an audit entry, as when it is opened on its own; reads
 * under break-glass are flagged.
 */
export async function readCaseReferrals(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  caseId: string,
): Promise<ReferralDetail[]> {
  const access = await requireAccess(ctx.db, auth, 'cases.read', caseId);
  const rows = await listCaseReferralsWithIdentity(ctx.db, caseId);
  const details = rows.map((row) => presentReferral(ctx.keyring, row));
  await recordAudits(
    ctx.db,
    actor,
    rows.map((row) => referralViewed(row, access.via, caseId)),
  );
  return details;
}

const VIEWED_FIELDS = ['child.identity', 'narrative', 'referrer', 'childViews', 'evidence'];

function referralViewed(
  row: ReferralWithIdentityRow,
  access: NonNullable<Awaited<ReturnType<typeof referralAccess>>>,
  caseId?: string,
): AuditInput {
  return {
    action: 'referral.viewed',
    subjectType: 'referral',
    subjectId: row.id,
    details: {
      childId: row.child_id,
      fields: VIEWED_FIELDS,
      via: access,
      ...(caseId ? { caseId } : {}),
      // Flagged as case reads are, so the privacy officer's review of break-glass finds it.
      ...(access === 'break_glass' ? { breakGlass: true } : {}),
    },
  };
}

function presentReferral(keyring: KeyRing, row: ReferralWithIdentityRow): ReferralDetail {
  const identity = decryptIdentity(keyring, row.child_id, row.identity_enc);
  const protectedPart = JSON.parse(
    keyring.decrypt(row.protected_enc, referralProtectedContext(row.id)),
  ) as ReferralProtected;
  return {
    ...acknowledgementOf(row),
    organisationId: row.organisation_id,
    referringOrganisation: {
      id: row.organisation_id,
      name: row.organisation_name,
      kind: row.organisation_kind,
    },
    caseId: row.case_id,
    version: row.version,
    data: {
      referrer: protectedPart.referrer,
      concern: {
        date: row.concern_date,
        region: row.region,
        policeDistrict: row.police_district ?? undefined,
      },
      child: {
        identified: row.identified,
        ...identity,
        ageBand: row.age_band ?? undefined,
        gender: row.gender,
        ethnicities: row.ethnicities,
        iwi: row.iwi,
        citizenship: row.citizenship ?? undefined,
        safety: row.child_safety as ReferralContent['child']['safety'],
      },
      manifestations: row.manifestations,
      manifestationSubtypes: row.manifestation_subtypes,
      contexts: row.contexts,
      indicators: row.indicators,
      narrative: protectedPart.narrative,
      immediateRisk: row.urgent,
      evidenceReferences: protectedPart.evidenceReferences,
      childViews: protectedPart.childViews,
      childAware: row.child_aware as ReferralContent['childAware'],
      lawfulBasis: row.lawful_basis,
    },
  };
}
