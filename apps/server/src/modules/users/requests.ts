import type { PrivilegedRequest, PrivilegedRequestKind, Role } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { generateOneTimePassword } from '../../security/passwords.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { decideRequest, expireDue as expireDueRequests, type TwoPersonRules } from '../two-person/index.ts';
import {
  addRoles,
  endSessionsOf,
  insertRequest,
  pendingRequest,
  recentRequests,
  requestById,
  removeAuthenticator,
  setOneTimePassword,
  type RequestRow,
} from './queries.ts';

/**
 * The two-person rule (issue 19, finding 2). A privileged change one administrator asks for —
 * granting a role that reaches children's identities or approves or administers, resetting a
 * password or an authenticator — waits here until a second administrator approves it. It takes
 * effect only then; nobody decides their own request or one about themselves; a request not
 * decided in time expires. Every step is audited (`privileged_request.*`). The lifecycle is the
 * one IPP 6 exports share (two-person/).
 */
export const REQUEST_LIFETIME_HOURS = 72;

const RULES: TwoPersonRules<'privileged_request'> = {
  table: 'privileged_request',
  name: 'The request',
  expiredMessage: 'This request expired before anyone approved it. Ask for the change again.',
  expiredAudit: (row) => ({
    action: 'privileged_request.expired',
    subjectType: 'user',
    subjectId: row.target_user_id,
    details: { requestId: row.id, kind: row.kind, requestedBy: row.requested_by },
  }),
};

function present(row: RequestRow): PrivilegedRequest {
  return {
    id: row.id,
    kind: row.kind,
    targetUser: { id: row.target_user_id, displayName: row.target_name, email: row.target_email },
    roles: row.roles as Role[],
    requestedBy: { id: row.requested_by, displayName: row.requester_name },
    requestedAt: row.requested_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    status: row.status,
    decidedBy:
      row.decided_by && row.decider_name ? { id: row.decided_by, displayName: row.decider_name } : null,
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

async function reload(db: Db, id: string): Promise<PrivilegedRequest> {
  const row = await requestById(db, id);
  if (!row) throw notFound('The request');
  return present(row);
}

/**
 * Opens a request (inside the caller's transaction). One pending request of a kind per account:
 * a second is refused, so an approver never sees two versions of the same change.
 */
export async function openRequest(
  trx: Db,
  actor: Actor,
  kind: PrivilegedRequestKind,
  targetUserId: string,
  roles: readonly Role[] = [],
): Promise<PrivilegedRequest> {
  if (!actor.userId) throw new Error('Only a signed-in administrator opens a request');
  await expireDue(trx);
  const open = await pendingRequest(trx, targetUserId, kind);
  if (open) {
    throw new HttpError(
      409,
      'already_requested',
      'This change is already waiting for a second administrator. Ask them to approve or reject it first.',
    );
  }
  const id = await insertRequest(trx, {
    kind,
    target_user_id: targetUserId,
    roles: [...roles].sort(),
    requested_by: actor.userId,
    expires_at: new Date(Date.now() + REQUEST_LIFETIME_HOURS * 3_600_000),
  });
  await recordAudit(trx, actor, {
    action: 'privileged_request.requested',
    subjectType: 'user',
    subjectId: targetUserId,
    details: { requestId: id, kind, roles: [...roles].sort() },
  });
  return reload(trx, id);
}

/** Marks every pending request past its time as expired, each audited. */
export function expireDue(db: Db): Promise<number> {
  return expireDueRequests(db, RULES);
}

/** Pending requests first, then the most recently decided (the last 200). */
export async function listRequests(ctx: AppContext): Promise<PrivilegedRequest[]> {
  await ctx.db.transaction().execute((trx) => expireDue(trx));
  const rows = await recentRequests(ctx.db);
  return rows.map(present);
}

export interface Decided {
  request: PrivilegedRequest;
  oneTimePassword?: string;
}

/**
 * Approves or rejects a pending request. The operator's command line (actor without a user) may
 * decide any request; an administrator only another's request about someone else.
 */
export async function decide(
  ctx: AppContext,
  actor: Actor,
  id: string,
  outcome: 'approved' | 'rejected',
): Promise<Decided> {
  // Hashed before the transaction (it is slow), used only if the request is a password reset.
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await ctx.passwords.hash(oneTimePassword);
  const refuse = (row: { requested_by: string; target_user_id: string }) => {
    if (actor.userId !== null && row.requested_by === actor.userId) {
      throw new HttpError(
        403,
        'own_request',
        'You asked for this change, so another administrator must approve or reject it.',
      );
    }
    if (actor.userId !== null && row.target_user_id === actor.userId) {
      throw new HttpError(
        403,
        'own_request',
        'This change is about your own account, so another administrator must decide it.',
      );
    }
  };
  return decideRequest(ctx.db, RULES, { id, actor, outcome, refuse }, async (trx, row): Promise<Decided> => {
    const requestDetails = { requestId: id, kind: row.kind, requestedBy: row.requested_by };
    await recordAudit(trx, actor, {
      action: `privileged_request.${outcome}`,
      subjectType: 'user',
      subjectId: row.target_user_id,
      details: { ...requestDetails, roles: row.roles, ...(actor.userId === null ? { operator: true } : {}) },
    });
    if (outcome === 'rejected') return { request: await reload(trx, id) };
    const given = await applyChange(trx, actor, row, passwordHash, requestDetails);
    return { request: await reload(trx, id), ...(given ? { oneTimePassword } : {}) };
  });
}

/** The change itself, once approved. Answers whether a new one-time password was issued. */
async function applyChange(
  trx: Db,
  actor: Actor,
  row: { kind: PrivilegedRequestKind; target_user_id: string; roles: string[] },
  passwordHash: string,
  requestDetails: Record<string, unknown>,
): Promise<boolean> {
  const target = row.target_user_id;
  switch (row.kind) {
    case 'grant_roles': {
      // Keeps who granted each existing role; the new ones are granted by the approver.
      const added = await addRoles(trx, target, row.roles as Role[], actor.userId);
      await recordAudit(trx, actor, {
        action: 'user.roles_changed',
        subjectType: 'user',
        subjectId: target,
        details: { added, removed: [], ...requestDetails },
      });
      return false;
    }
    case 'reset_password':
      await setOneTimePassword(trx, target, passwordHash);
      await endSessionsOf(trx, target);
      await recordAudit(trx, actor, {
        action: 'user.password_reset',
        subjectType: 'user',
        subjectId: target,
        details: requestDetails,
      });
      return true;
    case 'reset_mfa':
      await removeAuthenticator(trx, target);
      await endSessionsOf(trx, target);
      await recordAudit(trx, actor, {
        action: 'auth.mfa_reset',
        subjectType: 'user',
        subjectId: target,
        details: requestDetails,
      });
      return false;
  }
}
