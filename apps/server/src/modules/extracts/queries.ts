import { sql } from 'kysely';
import { pageRequest, type ExtractRequestInput, type ExtractView } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';

export type ApprovalKind = 'steward' | 'maori';
export type Status = ExtractView['status'];

export interface RequestRow {
  id: string;
  requested_by_user_id: string;
  requester_name: string;
  purpose: string;
  variables: string[];
  period_from: string;
  period_to: string;
  ethics_committee: string;
  ethics_reference: string;
  ethics_approved_on: string;
  needs_until: string | null;
  needs_maori_approval: boolean;
  status: Status;
  declined_by_user_id: string | null;
  decliner_name: string | null;
  declined_at: Date | null;
  decline_reason: string | null;
  created_at: Date;
}

export interface ApprovalRow {
  extract_id: string;
  kind: ApprovalKind;
  approved_by_user_id: string;
  approver_name: string;
  approved_at: Date;
  note: string | null;
}

export interface FileRow {
  id: string;
  content_enc: string | null;
  row_count: number;
  report: StoredReport;
  produced_at: Date;
  expires_on: string;
  cleared_at: Date | null;
}

export interface StoredReport {
  k: number;
  levels: Record<string, { level: number; name: string }>;
  rowsIn: number;
  rowsOut: number;
  rowsSuppressed: number;
  classes: number;
  smallestClass: number | null;
}

export interface FactRow {
  received_month: string;
  region: string;
  police_district: string | null;
  age_band: string | null;
  gender: string | null;
  ethnicities: string[];
  iwi: string[];
  citizenship: string | null;
  manifestations: string[];
  contexts: string[];
  urgent: boolean;
  concern_level: string;
  referrer_kind: string;
  identification_outcome: string | null;
  service_needs: string[] | null;
}

/**
 * Per child unit, the first referral received in the period, with the child's latest
 * identification outcome and the needs they were referred to services for. Read in the caller's
 * transaction (as the statistics role).
 */
export async function firstReferralFacts(trx: Db, period: { from: string; to: string }): Promise<FactRow[]> {
  const result = await sql<FactRow>`
    WITH firsts AS (
      SELECT DISTINCT ON (child_unit) *
      FROM fact_referral
      WHERE received_on BETWEEN ${period.from} AND ${period.to}
      ORDER BY child_unit, received_on, referral_id
    )
    SELECT
      to_char(f.received_on, 'YYYY-MM') AS received_month,
      f.region, f.police_district, f.age_band, f.gender, f.ethnicities, f.iwi, f.citizenship,
      f.manifestations, f.contexts, f.urgent, f.concern_level, f.referrer_kind,
      (SELECT d.kind || ':' || d.outcome FROM fact_decision d
        WHERE d.child_unit = f.child_unit AND d.outcome IS NOT NULL
        ORDER BY d.decided_on DESC NULLS LAST, d.decision_id LIMIT 1) AS identification_outcome,
      (SELECT array_agg(DISTINCT s.need_type ORDER BY s.need_type) FROM fact_service_referral s
        WHERE s.child_unit = f.child_unit) AS service_needs
    FROM firsts f`.execute(trx);
  return result.rows;
}

export async function insertExtractRequest(
  trx: Db,
  requester: { userId: string; organisationId: string },
  input: ExtractRequestInput,
  needsMaori: boolean,
): Promise<string | undefined> {
  const inserted = await sql<{ id: string }>`
      INSERT INTO extract_request (requested_by_user_id, organisation_id, purpose, variables, period_from,
        period_to, ethics_committee, ethics_reference, ethics_approved_on, needs_until, needs_maori_approval)
      VALUES (${requester.userId}, ${requester.organisationId}, ${input.purpose}, ${input.variables}, ${input.from},
        ${input.to}, ${input.ethicsApproval.committee}, ${input.ethicsApproval.reference},
        ${input.ethicsApproval.approvedOn}, ${input.needsUntil ?? null}, ${needsMaori})
      RETURNING id`.execute(trx);
  return inserted.rows[0]?.id;
}

/** A request with the names of who asked and who declined. */
export async function requestWithNames(db: Db, id: string): Promise<RequestRow | null> {
  const result = await sql<RequestRow>`
    SELECT e.*, u.display_name AS requester_name, d.display_name AS decliner_name
    FROM extract_request e
    JOIN app_user u ON u.id = e.requested_by_user_id
    LEFT JOIN app_user d ON d.id = e.declined_by_user_id
    WHERE e.id = ${id}`.execute(db);
  return result.rows[0] ?? null;
}

/** Clears the stored file if it expired before `today` and is not cleared yet; its expiry date if so. */
export async function clearFileIfExpired(
  trx: Db,
  id: string,
  today: string,
): Promise<{ id: string; expires_on: string } | undefined> {
  const due = await sql<{ id: string; expires_on: string }>`
      UPDATE extract_file SET content_enc = NULL, cleared_at = now()
      WHERE id = ${id} AND expires_on < ${today} AND cleared_at IS NULL
      RETURNING id, expires_on`.execute(trx);
  return due.rows[0];
}

export async function markRequestExpired(trx: Db, id: string): Promise<void> {
  await sql`UPDATE extract_request SET status = 'expired' WHERE id = ${id}`.execute(trx);
}

/** Extracts whose file expired before `today` and is not cleared yet (of one requester, if given). */
export async function expiredUnclearedExtracts(
  db: Db,
  today: string,
  requesterId: string | null = null,
): Promise<{ id: string }[]> {
  if (requesterId === null) {
    const due = await sql<{ id: string }>`
    SELECT id FROM extract_file WHERE expires_on < ${today} AND cleared_at IS NULL`.execute(db);
    return due.rows;
  }
  const due = await sql<{ id: string }>`
    SELECT f.id FROM extract_file f JOIN extract_request e ON e.id = f.id
    WHERE f.expires_on < ${today} AND f.cleared_at IS NULL
      AND e.requested_by_user_id = ${requesterId}`.execute(db);
  return due.rows;
}

export interface ExtractFilter {
  /** Only this person's requests. */
  requestedBy?: string | undefined;
  /** Awaiting an approval this person gives (`steward`, `maori`), not of their own requests. */
  waitingFor?: { userId: string; steward: boolean; maori: boolean } | undefined;
  status?: Status | undefined;
  /** Part of the purpose or ethics reference. */
  q?: string | undefined;
}

/** One page of request ids, filtered and sorted by the database, and how many match. */
export async function pageOfExtractIds(
  db: Db,
  filter: ExtractFilter,
  paging: ReturnType<typeof pageRequest>,
) {
  let base = db.selectFrom('extract_request as e');
  if (filter.requestedBy) base = base.where('e.requested_by_user_id', '=', filter.requestedBy);
  if (filter.waitingFor) {
    // As the screens say "waiting for you": an approval this person's roles give is still missing.
    const missing = (kind: 'steward' | 'maori') =>
      sql<boolean>`NOT EXISTS (SELECT 1 FROM extract_approval a WHERE a.extract_id = e.id AND a.kind = ${kind})`;
    const gives = [
      ...(filter.waitingFor.steward ? [missing('steward')] : []),
      ...(filter.waitingFor.maori ? [sql<boolean>`(e.needs_maori_approval AND ${missing('maori')})`] : []),
    ];
    base = base
      .where('e.status', '=', 'awaiting_approvals')
      .where('e.requested_by_user_id', '<>', filter.waitingFor.userId)
      .where(gives.length ? sql<boolean>`(${sql.join(gives, sql` OR `)})` : sql<boolean>`false`);
  }
  if (filter.status) base = base.where('e.status', '=', filter.status);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    base = base.where(sql<boolean>`(e.purpose ILIKE ${like} OR e.ethics_reference ILIKE ${like})`);
  }
  let ids = base.select('e.id');
  switch (paging.sort) {
    case 'requested':
      ids = ids.orderBy('e.created_at', paging.dir);
      break;
    case 'status':
      ids = ids.orderBy('e.status', paging.dir).orderBy('e.created_at', 'desc');
      break;
    case 'purpose':
      ids = ids.orderBy(sql`lower(e.purpose)`, paging.dir).orderBy('e.created_at', 'desc');
      break;
  }
  const [rows, counted] = await Promise.all([
    ids
      .orderBy('e.id')
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    countUpTo(db, base.select('e.id')),
  ]);
  return { rows, counted };
}

/** A request's approvals with the approvers' names, in the order given. */
export async function approvalsOf(db: Db, id: string): Promise<ApprovalRow[]> {
  const result = await sql<ApprovalRow>`
    SELECT a.*, u.display_name AS approver_name
    FROM extract_approval a JOIN app_user u ON u.id = a.approved_by_user_id
    WHERE a.extract_id = ${id} ORDER BY a.approved_at, a.kind`.execute(db);
  return result.rows;
}

export async function fileOf(db: Db, id: string): Promise<FileRow | null> {
  const result = await sql<FileRow>`SELECT * FROM extract_file WHERE id = ${id}`.execute(db);
  return result.rows[0] ?? null;
}

/** Locks a request until the transaction ends: approvals and declines on it queue. */
export async function lockExtractRequest(trx: Db, id: string): Promise<void> {
  await sql`SELECT id FROM extract_request WHERE id = ${id} FOR UPDATE`.execute(trx);
}

export async function insertApproval(
  trx: Db,
  id: string,
  kind: ApprovalKind,
  userId: string,
  note: string | null,
): Promise<void> {
  await sql`
      INSERT INTO extract_approval (extract_id, kind, approved_by_user_id, note)
      VALUES (${id}, ${kind}, ${userId}, ${note})`.execute(trx);
}

export async function markRequestDeclined(
  trx: Db,
  id: string,
  userId: string,
  reason: string,
): Promise<void> {
  await sql`
      UPDATE extract_request
      SET status = 'declined', declined_by_user_id = ${userId}, declined_at = now(), decline_reason = ${reason}
      WHERE id = ${id}`.execute(trx);
}

/** Marks a request produced if it still awaits approvals; false when another got there first. */
export async function claimForProduction(trx: Db, id: string): Promise<boolean> {
  const claimed = await sql`
      UPDATE extract_request SET status = 'produced'
      WHERE id = ${id} AND status = 'awaiting_approvals' RETURNING id`.execute(trx);
  return claimed.rows.length > 0;
}

export async function insertExtractFile(
  trx: Db,
  file: { id: string; contentEnc: string; rowCount: number; report: StoredReport; expiresOn: string },
): Promise<void> {
  await sql`
      INSERT INTO extract_file (id, content_enc, row_count, report, expires_on)
      VALUES (${file.id}, ${file.contentEnc}, ${file.rowCount},
        ${JSON.stringify(file.report)}, ${file.expiresOn})`.execute(trx);
}
