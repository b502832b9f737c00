/**
 * Words of the national referral mechanism's workflow, shared by the server's rules and the
 * web app's labels. Codes are stable identifiers; labels live in the web app's translations.
 */

export const REFERRAL_STATUSES = [
  'submitted',
  'in_triage',
  'case_opened',
  'attached',
  'screened_out',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Referrals still waiting for the lead agency. */
export const UNTRIAGED_STATUSES: readonly ReferralStatus[] = ['submitted', 'in_triage'];

/** Why triage can end without a case, in words that never blame the child. */
export const SCREEN_OUT_REASONS = [
  'not_exploitation_concern',
  'referred_elsewhere',
  'insufficient_information',
  'duplicate_of_existing_referral',
] as const;
export type ScreenOutReason = (typeof SCREEN_OUT_REASONS)[number];

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Why a case closes. Each maps to the HTCDS v2 case status (`cas_Status`: Closed or
 * ClosedReferred); the reason itself goes to `cas_ReasonForCaseClosure`.
 */
export const CLOSURE_REASONS = {
  needs_met: 'Closed',
  transferred_to_other_agency: 'ClosedReferred',
  moved_out_of_new_zealand: 'ClosedReferred',
  turned_18_referred_to_adult_services: 'ClosedReferred',
  child_and_whanau_declined_further_support: 'Closed',
  no_exploitation_identified: 'Closed',
  merged_with_another_case: 'Closed',
  other: 'Closed',
} as const;
export type ClosureReason = keyof typeof CLOSURE_REASONS;
export const CLOSURE_REASON_CODES = Object.keys(CLOSURE_REASONS) as [ClosureReason, ...ClosureReason[]];

/** Roles a case manager gives a member of a case team. */
export const ASSIGNABLE_TEAM_ROLES = [
  'caseworker',
  'lead_caseworker',
  'decision_maker',
  'panel_member',
  'support',
] as const;
export type AssignableTeamRole = (typeof ASSIGNABLE_TEAM_ROLES)[number];

/**
 * Every role a case team member can hold: the assignable ones, and `triage`, which the server
 * gives the triage officer who opens a case or attaches a referral to one.
 */
export const TEAM_ROLES = [...ASSIGNABLE_TEAM_ROLES, 'triage'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** The kinds of help a child may need: the directory's vocabulary and the unmet-need ledger's. */
export const NEED_TYPES = [
  'emergency_accommodation',
  'crisis_response',
  'counselling',
  'health',
  'sexual_harm_medical',
  'acc_sensitive_claims',
  'legal_advocacy',
  'education_support',
  'kaupapa_maori',
  'pacific',
  'whanau_support',
  'interpreter',
  'immigration_advice',
  'youth_housing',
  'drug_and_alcohol',
  'mental_health',
  'online_harm_removal',
  'cultural_support',
] as const;
export type NeedType = (typeof NEED_TYPES)[number];

/**
 * How soon a child needs a service: it shortens the provider's answer deadline
 * (`urgent` the same day, `soon` within two working days, `routine` the usual period).
 */
export const SERVICE_URGENCIES = ['urgent', 'soon', 'routine'] as const;
export type ServiceUrgency = (typeof SERVICE_URGENCIES)[number];
/** Working days a provider has to answer at each urgency; routine uses the configured period. */
export const URGENCY_WORKING_DAYS: Readonly<Record<Exclude<ServiceUrgency, 'routine'>, number>> = {
  urgent: 0,
  soon: 2,
};

export const SERVICE_CAPACITIES = ['accepting', 'waitlist', 'full'] as const;
export type ServiceCapacity = (typeof SERVICE_CAPACITIES)[number];

export const SERVICE_REFERRAL_STATUSES = [
  'proposed',
  'sent',
  'accepted',
  'declined',
  'engaged',
  'completed',
  'withdrawn',
] as const;
export type ServiceReferralStatus = (typeof SERVICE_REFERRAL_STATUSES)[number];

export const DECLINE_REASONS = ['no_capacity', 'not_eligible', 'child_declined', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Who moves a service referral: the case team (sender) or the provider (receiver). */
export type ServiceReferralParty = 'case_team' | 'provider';

/** The lifecycle: each allowed step, and which side takes it. */
export const SERVICE_REFERRAL_STEPS: Readonly<
  Record<ServiceReferralStatus, Partial<Record<ServiceReferralStatus, ServiceReferralParty>>>
> = {
  proposed: { sent: 'case_team', withdrawn: 'case_team' },
  sent: { accepted: 'provider', declined: 'provider', withdrawn: 'case_team' },
  accepted: { engaged: 'provider', withdrawn: 'case_team' },
  declined: {},
  engaged: { completed: 'provider', withdrawn: 'case_team' },
  completed: {},
  withdrawn: {},
};

export function nextServiceReferralSteps(
  status: ServiceReferralStatus,
  party: ServiceReferralParty,
): ServiceReferralStatus[] {
  return Object.entries(SERVICE_REFERRAL_STEPS[status])
    .filter(([, who]) => who === party)
    .map(([to]) => to as ServiceReferralStatus);
}

/** Statuses in which the provider holds the referral and so may see the shared fields. */
export const PROVIDER_HOLDS: readonly ServiceReferralStatus[] = ['accepted', 'engaged', 'completed'];

/**
 * What a case team may share with a provider, each a named group of fields; the minimum
 * necessary is chosen per referral and recorded in the disclosure log.
 */
export const SHAREABLE_FIELDS = [
  'name',
  'date_of_birth',
  'age_band',
  'gender',
  'ethnicity_and_iwi',
  'languages',
  'current_location',
  'needs_summary',
] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/**
 * Why a need is unmet. Looking in the directory records nothing: `no_suitable_service` is a
 * caseworker saying so, `declined_no_capacity` a provider declining for capacity. The other two
 * were recorded by directory searches before issue 14 and stay for the history.
 */
export const UNMET_NEED_REASONS = [
  'no_service_in_region',
  'declined_no_capacity',
  'waitlist',
  'no_suitable_service',
] as const;
export type UnmetNeedReason = (typeof UNMET_NEED_REASONS)[number];

export const CHILD_CONSULTED = ['yes', 'no_not_practicable', 'no_would_increase_risk'] as const;
