import { z } from 'zod';

export const auditEvent = z.object({
  id: z.number().int(),
  occurredAt: z.iso.datetime(),
  actorUserId: z.uuid().nullable(),
  actorOrganisationId: z.uuid().nullable(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  /** The display name of the person who acted (resolved from their account); never a child's name. */
  actorName: z.string().nullable(),
  /** Null for a moment: until the sealer has linked the entry into the hash chain. */
  hash: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

const nzDate = z.iso.date({ error: 'Enter a date like 2026-12-07.' });

const auditFilterFields = {
  action: z.string().max(100).optional(),
  actorUserId: z.uuid().optional(),
  /** Part of the name of the person who acted, any case: entries by every staff member whose name matches. */
  actor: z.string().trim().max(200).optional(),
  subjectId: z.string().max(100).optional(),
  /** First New Zealand day included (Pacific/Auckland). */
  from: nzDate.optional(),
  /** Last New Zealand day included. */
  to: nzDate.optional(),
};

const rangeInOrder = (f: { from?: string | undefined; to?: string | undefined }) =>
  !f.from || !f.to || f.from <= f.to;
const rangeMessage = { path: ['to'], message: 'The end date must be on or after the start date.' };

/** The filters of the audit log, shared by the page and the CSV export. Dates are New Zealand days. */
export const auditFilter = z.strictObject(auditFilterFields).refine(rangeInOrder, rangeMessage);

export const auditQuery = z
  .strictObject({
    ...auditFilterFields,
    beforeId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(rangeInOrder, rangeMessage);

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBrokenId: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Entries committed but not yet linked into the chain (not covered by this check). */
  unsealed: z.number().int(),
  /** How long the oldest of them has waited, in seconds: the sealing lag. */
  oldestUnsealedSeconds: z.number().nullable(),
});

/** Audit actions in plain words, for the filter and the CSV export. Codes not listed show as themselves. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'audit.viewed': 'Audit log viewed',
  'audit.exported': 'Audit log exported',
  'auth.account_locked': 'Account locked after failed sign-ins',
  'auth.mfa_enrolled': 'Two-step sign-in set up',
  'auth.mfa_enrolment_started': 'Two-step sign-in setup started',
  'auth.mfa_reset': 'Two-step sign-in reset',
  'auth.mfa_verified': 'Two-step sign-in code accepted',
  'auth.password_changed': 'Password changed',
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_out': 'Signed out',
  'auth.sso_linked': 'Single sign-on linked',
  'break_glass.not_matched': 'Emergency access matched no case',
  'break_glass.reviewed': 'Emergency access reviewed',
  'case.action_updated': 'Case action updated',
  'case.break_glass': 'Case opened in an emergency',
  'case.closed': 'Case closed',
  'case.conference_recorded': 'Case conference recorded',
  'case.goal_added': 'Case goal added',
  'case.goal_updated': 'Case goal updated',
  'case.merged': 'Cases merged',
  'case.note_added': 'Case note added',
  'case.opened': 'Case opened',
  'case.reopened': 'Case reopened',
  'case.team_member_added': 'Case team member added',
  'case.team_organisation_removed': 'Organisation removed from case team',
  'case.unmerged': 'Cases separated again',
  'case.viewed': 'Case viewed',
  'decision.assigned': 'Decision assigned',
  'decision.made': 'Identification decision made',
  'disclosure.made': 'Information disclosed',
  'export.htcds': 'Data exported to the international standard (HTCDS)',
  'extract.declined': 'Research extract declined',
  'extract.downloaded': 'Research extract downloaded',
  'extract.expired': 'Research extract expired',
  'extract.produced': 'Research extract produced',
  'extract.requested': 'Research extract requested',
  'import.completed': 'Referrals imported from a file',
  'link.rejected': 'Possible match rejected',
  'linkage.model_learnt': 'Matching model learnt from reviews',
  'linkage.model_activated': 'Matching model put in use',
  'organisation.created': 'Organisation added',
  'organisation.updated': 'Organisation changed',
  'panel.convened': 'Decision panel convened',
  'panel.view_recorded': 'Panel member view recorded',
  'privacy.export': 'Privacy file downloaded',
  'privacy_request.requested': 'Privacy request made',
  'privacy_request.approved': 'Privacy request approved',
  'privacy_request.declined': 'Privacy request declined',
  'privacy_request.expired': 'Privacy request expired',
  'privacy_request.not_matched': 'Privacy request matched no child',
  'privileged_request.requested': 'Request for a powerful role made',
  'privileged_request.approved': 'Request for a powerful role approved',
  'privileged_request.declined': 'Request for a powerful role declined',
  'privileged_request.expired': 'Request for a powerful role expired',
  'reconsideration.requested': 'Reconsideration of a decision requested',
  'referral.assigned': 'Referral assigned',
  'referral.attached': 'Referral added to a case',
  'referral.duplicate_check': 'Referral checked for an existing child',
  'referral.screened_out': 'Referral screened out',
  'referral.submitted': 'Referral submitted',
  'referral.viewed': 'Referral viewed',
  'retention.purged': 'Records removed at the end of retention',
  'search.performed': 'Search made',
  'service.created': 'Service added to the directory',
  'service.updated': 'Service changed in the directory',
  'service_referral.proposed': 'Referral for support proposed',
  'service_referral.sent': 'Referral for support sent',
  'service_referral.engaged': 'Child engaged with support',
  'service_referral.accepted': 'Referral for support accepted',
  'service_referral.declined': 'Referral for support declined',
  'service_referral.withdrawn': 'Referral for support withdrawn',
  'service_referral.completed': 'Support completed',
  'service_referral.note_added': 'Note added to a referral for support',
  'service_referral.viewed': 'Referral for support viewed',
  'statistics.event_added': 'Statistics event added',
  'statistics.series_imported': 'Statistics series imported',
  'statistics.probing_alert': 'Statistics query budget exceeded (possible probing)',
  'statistics.iwi_granted': 'Iwi statistics approved for a person (Māori data governance)',
  'statistics.iwi_revoked': 'Iwi statistics approval withdrawn (Māori data governance)',
  'statistics.iwi_viewed': 'Iwi statistics viewed',
  'statistics.iwi_annex_approved':
    'Iwi annex of a quarterly bulletin approved for release (Māori data governance)',
  'statistics.iwi_annex_withdrawn': 'Approval to release an iwi annex withdrawn (Māori data governance)',
  'unmet_need.met': 'Unmet need met',
  'unmet_need.recorded': 'Unmet need recorded',
  'user.created': 'Account created',
  'user.password_reset': 'Password reset by an administrator',
  'user.roles_changed': 'Roles changed',
  'user.updated': 'Account changed',
};

/** An audit action in words (the code itself when it has no label yet). */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}
