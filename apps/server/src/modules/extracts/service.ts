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
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { seal, unseal } from '../child-record/index.ts';
import { enqueue } from '../jobs/index.ts';
import { EXTRACT_K, produceExtract } from './produce.ts';
import {
  approvalsOf,
  claimForProduction,
  clearFileIfExpired,
  expiredUnclearedExtracts,
  fileOf,
  insertApproval,
  insertExtractFile,
  insertExtractRequest,
  lockExtractRequest,
  markRequestDeclined,
  markRequestExpired,
  pageOfExtractIds,
  requestWithNames,
  type ApprovalKind,
  type RequestRow,
  type StoredReport,
} from './queries.ts';

/** Days a produced extract may be downloaded (sooner when the request needs it for less). */
export const EXTRACT_AVAILABLE_DAYS = 30;

const SUBJECT = 'extract';

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
    const id = await insertExtractRequest(
      trx,
      { userId: auth.userId, organisationId: auth.organisation.id },
      input,
      needsMaori,
    );
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

/** A request the caller may see: approvers see every request, requesters only their own. */
async function visibleRequest(trx: AppContext['db'], auth: AuthContext, id: string): Promise<RequestRow> {
  requireExtractRole(auth);
  const row = await requestWithNames(trx, id);
  if (!row || (!isApprover(auth) && row.requested_by_user_id !== auth.userId)) throw notFound('That extract');
  return row;
}

/**
 * Clears the stored file of an extract past its expiry date, and marks the request expired.
 * Called whenever an extract is looked at, so nothing outlives its date for long.
 */
export async function expireIfDue(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await clearFileIfExpired(trx, id, ctx.today());
    if (!row) return;
    await markRequestExpired(trx, id);
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
  const due = await expiredUnclearedExtracts(ctx.db, ctx.today());
  for (const { id } of due) await expireIfDue(ctx, actor, id);
  return due.length;
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
  const due = await expiredUnclearedExtracts(ctx.db, ctx.today(), mine ? auth.userId : null);
  for (const { id } of due) await expireIfDue(ctx, actor, id);

  const paging = pageRequest(query, { sort: 'requested', dir: 'desc' });
  const { rows, counted } = await pageOfExtractIds(
    ctx.db,
    {
      requestedBy: mine || query.mine ? auth.userId : undefined,
      waitingFor: query.waiting
        ? {
            userId: auth.userId,
            steward: auth.permissions.has('extracts.approve'),
            maori: auth.permissions.has('extracts.approve_maori'),
          }
        : undefined,
      status: query.status,
      q: query.q,
    },
    paging,
  );
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
  const approvals = await approvalsOf(ctx.db, id);
  const file = await fileOf(ctx.db, id);
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
    await lockExtractRequest(trx, id);
    assertDecidable(auth, row);
    if (kind === 'maori' && !row.needs_maori_approval)
      throw new HttpError(
        409,
        'approval_not_required',
        'This request holds no ethnicity or iwi data, so it needs no Māori data governance approval.',
      );
    const existing = await approvalsOf(trx, id);
    if (existing.some((a) => a.kind === kind))
      throw new HttpError(409, 'already_approved', 'This approval has already been recorded.');
    await insertApproval(trx, id, kind, auth.userId, note ?? null);
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
  const row = await requestWithNames(ctx.db, id);
  if (row?.status !== 'awaiting_approvals') return;
  const have = new Set((await approvalsOf(ctx.db, id)).map((a) => a.kind));
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
    await lockExtractRequest(trx, id);
    assertDecidable(auth, row);
    await markRequestDeclined(trx, id, auth.userId, reason);
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
  const row = await requestWithNames(ctx.db, id);
  if (row?.status !== 'awaiting_approvals') return;
  const extract = await produceExtract(ctx, row.variables as ExtractVariable[], {
    from: row.period_from,
    to: row.period_to,
  });
  const approvals = await approvalsOf(ctx.db, id);
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
    if (!(await claimForProduction(trx, id))) return;
    await insertExtractFile(trx, {
      id,
      contentEnc: seal(ctx.keyring, 'extract_file', 'content_enc', id, csv),
      rowCount: report.rowsOut,
      report: stored,
      expiresOn,
    });
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
    const file = await fileOf(trx, id);
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
