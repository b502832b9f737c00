import { sql, type Transaction } from 'kysely';
import { csvComment, csvDocument, csvLine } from '@tiaki/disclosure';
import {
  MAORI_DATA_VARIABLES,
  pageRequest,
  type ExtractListQuery,
  type ExtractRequestInput,
  type ExtractVariable,
  type ExtractView,
  type Page,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { escapeLike } from '../../db/like.ts';
import { countUpTo } from '../../db/paging.ts';
import type { Schema } from '../../db/schema.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { seal, unseal } from '../child-record/index.ts';
import { enqueue } from '../jobs/index.ts';
import { EXTRACT_K, produceExtract } from './produce.ts';

/** Days a produced extract may be downloaded (sooner when the request needs it for less). */
export const EXTRACT_AVAILABLE_DAYS = 30;

type ApprovalKind = 'steward' | 'maori';
type Status = ExtractView['status'];

const SUBJECT = 'extract';

interface RequestRow {
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

interface ApprovalRow {
  extract_id: string;
  kind: ApprovalKind;
  approved_by_user_id: string;
  approver_name: string;
  approved_at: Date;
  note: string | null;
}

interface FileRow {
  id: string;
  content_enc: string | null;
  row_count: number;
  report: StoredReport;
  produced_at: Date;
  expires_on: string;
  cleared_at: Date | null;
}

interface StoredReport {
  k: number;
  levels: Record<string, { level: number; name: string }>;
  rowsIn: number;
  rowsOut: number;
  rowsSuppressed: number;
  classes: number;
  smallestClass: number | null;
}

const isApprover = (auth: AuthContext) =>
  auth.permissions.has('extracts.approve') || auth.permissions.has('extracts.approve_maori');

/** Anyone who takes part in extracts; everyone else is refused outright (deny by default). */
export function requireExtractRole(auth: AuthContext): void {
  if (!isApprover(auth) && !auth.permissions.has('extracts.request'))
    throw new HttpError(403, 'forbidden', 'Research extracts are for analysts and their approvers only.');
}

export const touchesMaoriData = (variables: readonly string[]) =>
  variables.some((v) => (MAORI_DATA_VARIABLES as readonly string[]).includes(v));

const requiredApprovals = (row: { needs_maori_approval: boolean }): ApprovalKind[] =>
  row.needs_maori_approval ? ['steward', 'maori'] : ['steward'];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function createExtractRequest(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: ExtractRequestInput,
): Promise<string> {
  const needsMaori = touchesMaoriData(input.variables);
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await sql<{ id: string }>`
      INSERT INTO extract_request (requested_by_user_id, organisation_id, purpose, variables, period_from,
        period_to, ethics_committee, ethics_reference, ethics_approved_on, needs_until, needs_maori_approval)
      VALUES (${auth.userId}, ${auth.organisation.id}, ${input.purpose}, ${input.variables}, ${input.from},
        ${input.to}, ${input.ethicsApproval.committee}, ${input.ethicsApproval.reference},
        ${input.ethicsApproval.approvedOn}, ${input.needsUntil ?? null}, ${needsMaori})
      RETURNING id`.execute(trx);
    const id = inserted.rows[0]?.id;
    if (!id) throw new Error('extract request not stored');
    await recordAudit(trx, actor, {
      action: 'extract.requested',
      subjectType: SUBJECT,
      subjectId: id,
      details: {
        variables: input.variables,
        from: input.from,
        to: input.to,
        approvalsRequired: needsMaori ? ['steward', 'maori'] : ['steward'],
      },
    });
    return id;
  });
}

async function loadRequest(
  trx: Transaction<Schema> | AppContext['db'],
  id: string,
): Promise<RequestRow | null> {
  const result = await sql<RequestRow>`
    SELECT e.*, u.display_name AS requester_name, d.display_name AS decliner_name
    FROM extract_request e
    JOIN app_user u ON u.id = e.requested_by_user_id
    LEFT JOIN app_user d ON d.id = e.declined_by_user_id
    WHERE e.id = ${id}`.execute(trx);
  return result.rows[0] ?? null;
}

/** A request the caller may see: approvers see every request, requesters only their own. */
async function visibleRequest(
  trx: Transaction<Schema> | AppContext['db'],
  auth: AuthContext,
  id: string,
): Promise<RequestRow> {
  requireExtractRole(auth);
  const row = await loadRequest(trx, id);
  if (!row || (!isApprover(auth) && row.requested_by_user_id !== auth.userId)) throw notFound('That extract');
  return row;
}

/**
 * Clears the stored file of an extract past its expiry date, and marks the request expired.
 * Called whenever an extract is looked at, so nothing outlives its date for long.
 */
export async function expireIfDue(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const due = await sql<{ id: string; expires_on: string }>`
      UPDATE extract_file SET content_enc = NULL, cleared_at = now()
      WHERE id = ${id} AND expires_on < ${ctx.today()} AND cleared_at IS NULL
      RETURNING id, expires_on`.execute(trx);
    const row = due.rows[0];
    if (!row) return;
    await sql`UPDATE extract_request SET status = 'expired' WHERE id = ${id}`.execute(trx);
    await recordAudit(trx, actor, {
      action: 'extract.expired',
      subjectType: SUBJECT,
      subjectId: id,
      details: { expiresOn: row.expires_on },
    });
  });
}

/** Clears every extract past its expiry, whether or not anyone opens it again (a daily job). */
export async function expireDueExtracts(ctx: AppContext, actor: Actor): Promise<number> {
  const due = await sql<{ id: string }>`
    SELECT id FROM extract_file WHERE expires_on < ${ctx.today()} AND cleared_at IS NULL`.execute(ctx.db);
  for (const { id } of due.rows) await expireIfDue(ctx, actor, id);
  return due.rows.length;
}

/**
 * Extract requests a page at a time (the requester's own, or every request for approvers): newest
 * first unless sorted otherwise, by status and by part of the purpose or ethics reference.
 */
export async function listExtracts(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  query: ExtractListQuery,
): Promise<Page<ExtractView>> {
  requireExtractRole(auth);
  const mine = !isApprover(auth);
  // Anything past its expiry date is cleared first, so the status filter sees it as expired.
  const due = await sql<{ id: string }>`
    SELECT f.id FROM extract_file f JOIN extract_request e ON e.id = f.id
    WHERE f.expires_on < ${ctx.today()} AND f.cleared_at IS NULL
      AND ${mine ? sql`e.requested_by_user_id = ${auth.userId}` : sql`true`}`.execute(ctx.db);
  for (const { id } of due.rows) await expireIfDue(ctx, actor, id);

  let base = ctx.db.selectFrom('extract_request as e');
  if (mine || query.mine) base = base.where('e.requested_by_user_id', '=', auth.userId);
  if (query.waiting) {
    // As the screens say "waiting for you": an approval this person's roles give is still missing.
    const missing = (kind: 'steward' | 'maori') =>
      sql<boolean>`NOT EXISTS (SELECT 1 FROM extract_approval a WHERE a.extract_id = e.id AND a.kind = ${kind})`;
    const gives = [
      ...(auth.permissions.has('extracts.approve') ? [missing('steward')] : []),
      ...(auth.permissions.has('extracts.approve_maori')
        ? [sql<boolean>`(e.needs_maori_approval AND ${missing('maori')})`]
        : []),
    ];
    base = base
      .where('e.status', '=', 'awaiting_approvals')
      .where('e.requested_by_user_id', '<>', auth.userId)
      .where(gives.length ? sql<boolean>`(${sql.join(gives, sql` OR `)})` : sql<boolean>`false`);
  }
  if (query.status) base = base.where('e.status', '=', query.status);
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    base = base.where(sql<boolean>`(e.purpose ILIKE ${like} OR e.ethics_reference ILIKE ${like})`);
  }
  const paging = pageRequest(query, { sort: 'requested', dir: 'desc' });
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
    countUpTo(ctx.db, base.select('e.id')),
  ]);
  const items: ExtractView[] = [];
  for (const { id } of rows) items.push(await getExtract(ctx, auth, actor, id));
  return { items, ...counted, page: paging.page, pageSize: paging.pageSize };
}

export async function getExtract(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<ExtractView> {
  await visibleRequest(ctx.db, auth, id);
  await expireIfDue(ctx, actor, id);
  const row = await visibleRequest(ctx.db, auth, id);
  const approvals = await loadApprovals(ctx.db, id);
  const file = await loadFile(ctx.db, id);
  return {
    id: row.id,
    status: row.status,
    purpose: row.purpose,
    variables: row.variables as ExtractVariable[],
    period: { from: row.period_from, to: row.period_to },
    ethicsApproval: {
      committee: row.ethics_committee,
      reference: row.ethics_reference,
      approvedOn: row.ethics_approved_on,
    },
    needsUntil: row.needs_until,
    requestedBy: { id: row.requested_by_user_id, displayName: row.requester_name },
    requestedAt: row.created_at.toISOString(),
    approvalsRequired: requiredApprovals(row),
    approvals: approvals.map((a) => ({
      kind: a.kind,
      approvedBy: { id: a.approved_by_user_id, displayName: a.approver_name },
      approvedAt: a.approved_at.toISOString(),
      note: a.note,
    })),
    declined:
      row.declined_at && row.declined_by_user_id
        ? {
            by: { id: row.declined_by_user_id, displayName: row.decliner_name ?? '' },
            at: row.declined_at.toISOString(),
            reason: row.decline_reason ?? '',
          }
        : null,
    file: file
      ? {
          rowCount: file.row_count,
          producedAt: file.produced_at.toISOString(),
          expiresOn: file.expires_on,
          available: file.content_enc !== null,
          k: file.report.k,
          generalisation: Object.fromEntries(Object.entries(file.report.levels).map(([q, l]) => [q, l.name])),
          rowsSuppressed: file.report.rowsSuppressed,
        }
      : null,
  };
}

async function loadApprovals(db: Transaction<Schema> | AppContext['db'], id: string): Promise<ApprovalRow[]> {
  const result = await sql<ApprovalRow>`
    SELECT a.*, u.display_name AS approver_name
    FROM extract_approval a JOIN app_user u ON u.id = a.approved_by_user_id
    WHERE a.extract_id = ${id} ORDER BY a.approved_at, a.kind`.execute(db);
  return result.rows;
}

async function loadFile(db: Transaction<Schema> | AppContext['db'], id: string): Promise<FileRow | null> {
  const result = await sql<FileRow>`SELECT * FROM extract_file WHERE id = ${id}`.execute(db);
  return result.rows[0] ?? null;
}

/**
 * Records one approval (the data steward's, or the Māori data governance group's). Nobody approves
 * their own request. Once every approval the request needs is recorded, the extract is produced.
 */
export async function approveExtract(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  kind: ApprovalKind,
  note: string | undefined,
): Promise<void> {
  const complete = await ctx.db.transaction().execute(async (trx) => {
    const row = await visibleRequest(trx, auth, id);
    await sql`SELECT id FROM extract_request WHERE id = ${id} FOR UPDATE`.execute(trx);
    assertDecidable(auth, row);
    if (kind === 'maori' && !row.needs_maori_approval)
      throw new HttpError(
        409,
        'approval_not_required',
        'This request holds no ethnicity or iwi data, so it needs no Māori data governance approval.',
      );
    const existing = await loadApprovals(trx, id);
    if (existing.some((a) => a.kind === kind))
      throw new HttpError(409, 'already_approved', 'This approval has already been recorded.');
    await sql`
      INSERT INTO extract_approval (extract_id, kind, approved_by_user_id, note)
      VALUES (${id}, ${kind}, ${auth.userId}, ${note ?? null})`.execute(trx);
    await recordAudit(trx, actor, {
      action: kind === 'steward' ? 'extract.approved' : 'extract.approved_maori',
      subjectType: SUBJECT,
      subjectId: id,
      details: { kind },
    });
    const have = new Set([...existing.map((a) => a.kind), kind]);
    const all = requiredApprovals(row).every((k) => have.has(k));
    // Committed with the approval: if producing fails now (or the server stops), the job retries.
    if (all) await enqueue(trx, EXTRACT_PRODUCE_JOB, { id });
    return all;
  });
  if (!complete) return;
  try {
    await produce(ctx, actor, id);
  } catch {
    // The approval stands; the queued job produces the extract (with retries, and logs failures).
  }
}

export const EXTRACT_PRODUCE_JOB = 'extracts.produce';

/** The background job: produces an extract whose approvals are all recorded, once. */
export async function produceApprovedExtract(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const row = await loadRequest(ctx.db, id);
  if (row?.status !== 'awaiting_approvals') return;
  const have = new Set((await loadApprovals(ctx.db, id)).map((a) => a.kind));
  if (requiredApprovals(row).every((k) => have.has(k))) await produce(ctx, actor, id);
}

function assertDecidable(auth: AuthContext, row: RequestRow): void {
  if (row.requested_by_user_id === auth.userId)
    throw new HttpError(403, 'own_request', 'You cannot approve or decline your own extract request.');
  if (row.status !== 'awaiting_approvals')
    throw new HttpError(409, 'not_awaiting_approval', `This request is ${row.status.replace('_', ' ')}.`);
}

export async function declineExtract(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<void> {
  if (!isApprover(auth))
    throw new HttpError(
      403,
      'forbidden',
      'Only the data steward or the Māori data governance group may decline.',
    );
  await ctx.db.transaction().execute(async (trx) => {
    const row = await visibleRequest(trx, auth, id);
    await sql`SELECT id FROM extract_request WHERE id = ${id} FOR UPDATE`.execute(trx);
    assertDecidable(auth, row);
    await sql`
      UPDATE extract_request
      SET status = 'declined', declined_by_user_id = ${auth.userId}, declined_at = now(), decline_reason = ${reason}
      WHERE id = ${id}`.execute(trx);
    await recordAudit(trx, actor, {
      action: 'extract.declined',
      subjectType: SUBJECT,
      subjectId: id,
      details: { as: auth.permissions.has('extracts.approve') ? 'steward' : 'maori' },
    });
  });
}

/** Reads the facts, makes the extract k-anonymous, and stores it encrypted with its expiry. */
async function produce(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const row = await loadRequest(ctx.db, id);
  if (row?.status !== 'awaiting_approvals') return;
  const extract = await produceExtract(ctx, row.variables as ExtractVariable[], {
    from: row.period_from,
    to: row.period_to,
  });
  const approvals = await loadApprovals(ctx.db, id);
  let expiresOn = addDays(ctx.today(), EXTRACT_AVAILABLE_DAYS);
  if (row.needs_until !== null && row.needs_until < expiresOn) expiresOn = row.needs_until;
  const { report } = extract;
  const quasi = extract.quasiIdentifiers;
  const labels = { steward: 'data steward', maori: 'Māori data governance group' } as const;
  const lines = [
    csvComment(`Tiaki research extract ${id}`),
    csvComment(`Purpose: ${row.purpose}`),
    csvComment(
      `Referrals received ${row.period_from} to ${row.period_to}; one row per child, in random order`,
    ),
    csvComment(
      `Ethics approval: ${row.ethics_committee}, reference ${row.ethics_reference}, approved ${row.ethics_approved_on}`,
    ),
    ...approvals.map((a) =>
      csvComment(
        `Approved by the ${labels[a.kind]}: ${a.approver_name}, ${a.approved_at.toISOString().slice(0, 10)}`,
      ),
    ),
    csvComment(
      quasi.length === 0
        ? `k-anonymity: no quasi-identifiers requested (k = ${report.k})`
        : `k-anonymity: k = ${report.k}; every combination of ${quasi.join(', ')} is shared by at least ${report.k} rows`,
    ),
    csvComment(
      `Generalisation: ${
        quasi.length === 0
          ? 'none'
          : quasi.map((q) => `${q} = ${report.levels[q]?.name ?? 'exact'}`).join('; ')
      }`,
    ),
    csvComment(
      `Rows: ${report.rowsOut} of ${report.rowsIn} children (${report.rowsSuppressed} suppressed in groups smaller than ${report.k})`,
    ),
    csvComment(
      `Expires: ${expiresOn}. Delete every copy by then. Do not try to identify anyone, or link these rows to other data.`,
    ),
  ];
  const csv = csvDocument([...lines, csvLine(extract.header), ...extract.rows.map(csvLine)]);
  const stored: StoredReport = {
    k: report.k,
    levels: report.levels,
    rowsIn: report.rowsIn,
    rowsOut: report.rowsOut,
    rowsSuppressed: report.rowsSuppressed,
    classes: report.classes,
    smallestClass: report.smallestClass,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Only one approval's request produces the extract, however they race.
    const claimed = await sql`
      UPDATE extract_request SET status = 'produced'
      WHERE id = ${id} AND status = 'awaiting_approvals' RETURNING id`.execute(trx);
    if (claimed.rows.length === 0) return;
    await sql`
      INSERT INTO extract_file (id, content_enc, row_count, report, expires_on)
      VALUES (${id}, ${seal(ctx.keyring, 'extract_file', 'content_enc', id, csv)}, ${report.rowsOut},
        ${JSON.stringify(stored)}, ${expiresOn})`.execute(trx);
    await recordAudit(trx, actor, {
      action: 'extract.produced',
      subjectType: SUBJECT,
      subjectId: id,
      details: {
        ...stored,
        levels: Object.fromEntries(quasi.map((q) => [q, report.levels[q]?.name])),
        expiresOn,
      },
    });
  });
}

/** The extract's CSV, for its requester only, while it has not expired. Every download is audited. */
export async function downloadExtract(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
): Promise<{ csv: string; filename: string }> {
  const first = await visibleRequest(ctx.db, auth, id);
  if (first.requested_by_user_id !== auth.userId) throw notFound('That extract');
  await expireIfDue(ctx, actor, id);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await visibleRequest(trx, auth, id);
    const file = await loadFile(trx, id);
    if (row.status === 'expired' || (file && file.content_enc === null))
      throw new HttpError(
        410,
        'extract_expired',
        `This extract expired on ${file?.expires_on ?? 'its expiry date'} and its file has been deleted. Ask for a new extract if you still need the data.`,
      );
    if (!file || row.status !== 'produced')
      throw new HttpError(
        409,
        'extract_not_ready',
        row.status === 'declined'
          ? 'This request was declined, so there is no extract to download.'
          : 'This extract is still waiting for its approvals.',
      );
    const csv = unseal(ctx.keyring, 'extract_file', 'content_enc', id, file.content_enc);
    if (csv === null) throw new Error('unreachable');
    await recordAudit(trx, actor, {
      action: 'extract.downloaded',
      subjectType: SUBJECT,
      subjectId: id,
      details: { rowCount: file.row_count, expiresOn: file.expires_on },
    });
    return { csv, filename: `tiaki-extract-${id.slice(0, 8)}.csv` };
  });
}

export { EXTRACT_K };
