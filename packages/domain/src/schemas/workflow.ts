import { z } from 'zod';
import { CURRENT_TAXONOMY, hasCode } from '../taxonomy/index.ts';
import { REGION_CODES } from '../reference/regions.ts';
import {
  ASSIGNABLE_TEAM_ROLES,
  CASE_STATUSES,
  CHILD_CONSULTED,
  CLOSURE_REASON_CODES,
  DECLINE_REASONS,
  NEED_TYPES,
  REFERRAL_STATUSES,
  SCREEN_OUT_REASONS,
  SERVICE_CAPACITIES,
  SERVICE_REFERRAL_STATUSES,
  SHAREABLE_FIELDS,
  TEAM_ROLES,
  UNMET_NEED_REASONS,
} from '../workflow/vocabulary.ts';
import {
  DECISION_KINDS,
  DECISION_OUTCOMES,
  DECISION_STATUSES,
  DEADLINE_STATES,
} from '../workflow/decision-vocabulary.ts';
import { rowVersion, text } from './common.ts';

const isoDate = z.iso.date('Use the format YYYY-MM-DD');
const version = rowVersion.describe('The version you last saw: a stale version answers 409');
/** A professional, by name only. */
export const person = z.object({ id: z.uuid(), displayName: z.string() });
const organisationRef = z.object({ id: z.uuid(), name: z.string(), kind: z.string() });
const lawfulBasis = z
  .string()
  .max(64)
  .refine((code) => hasCode(CURRENT_TAXONOMY.lawfulBases, code), 'Unknown lawful basis code');
const regionCode = z.string().refine((code) => REGION_CODES.includes(code), 'Unknown region code');

/* ---------------------------------------------------------------- triage */

export const triageQueueQuery = z.strictObject({
  region: regionCode.optional(),
  manifestation: z.string().max(64).optional(),
  organisationId: z.uuid().optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
});
export type TriageQueueQuery = z.infer<typeof triageQueueQuery>;

/** A row of the triage queue: facts and deadlines, no names (those are one audited click away). */
export const triageItem = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  urgent: z.boolean(),
  concernLevel: z.enum(['none', 'possible', 'clear']),
  submittedAt: z.iso.datetime(),
  receivedOn: isoDate,
  region: z.string(),
  manifestations: z.array(z.string()),
  ageBand: z.string().nullable(),
  childIdentified: z.boolean(),
  referringOrganisation: organisationRef,
  assignee: person.nullable(),
  reasonableGroundsDueOn: isoDate.describe('5 working days (configurable) after the referral was received'),
  possibleMatches: z.number().int().describe('Children already known who may be this one, not yet reviewed'),
  version: z.number().int(),
});
export type TriageItem = z.infer<typeof triageItem>;

export const assignReferralsInput = z.strictObject({
  referralIds: z.array(z.uuid()).min(1, 'Choose at least one referral').max(200, 'At most 200 at a time'),
  assigneeId: z.uuid().nullable().describe('A lead-agency triage officer, or null to unassign'),
});

/** A child already known who may be the one this referral is about, with why. */
/** One field's part in a match score: how the two records compare and how much that counts. */
export const matchField = z.object({
  comparison: z.string().describe('e.g. "given name", "date of birth"'),
  level: z.string().describe('e.g. "exact", "sounds alike", "day and month swapped"'),
  weight: z.number().describe('Evidence in bits: positive for, negative against'),
});
export const matchExplanation = z.object({
  probability: z.number().min(0).max(1),
  prior: z.number().describe('Evidence in bits before looking at any field'),
  fields: z.array(matchField),
  model: z.string().describe('Which fitted model scored it'),
});
export type MatchExplanation = z.infer<typeof matchExplanation>;

export const duplicateCandidate = z.object({
  candidateId: z.uuid().describe('The suggestion itself (the match, not the case): stable while it is open'),
  withheld: z
    .boolean()
    .describe(
      "True when the child is on a case the caller may not see: no name, date of birth, gender, case id or reference is given, only how the fields compare. The case's decision makers and lead caseworker are told of the possible match instead.",
    ),
  caseId: z.uuid().nullable().describe('Null when withheld'),
  caseReference: z.string().nullable().describe('Null when withheld'),
  caseStatus: z.enum(CASE_STATUSES),
  givenNames: z.string().nullable(),
  familyName: z.string().nullable(),
  aliases: z.array(z.string()),
  dateOfBirth: z.string().nullable(),
  ageBand: z.string().nullable(),
  gender: z.string().nullable(),
  region: z.string(),
  score: z.number().min(0).max(1).describe('The probability that this is the same child'),
  reasons: z.array(z.string()).describe('Which facts agree, in plain codes the web app words'),
  explanation: matchExplanation,
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

export const rejectCandidateInput = z.strictObject({
  caseId: z.uuid(),
  reason: text(1000).optional().describe('Why this is not the same child'),
});

export const attachReferralInput = z.strictObject({ caseId: z.uuid(), version });
export const openCaseInput = z.strictObject({
  version,
  caseworkerId: z
    .uuid()
    .optional()
    .describe('A lead-agency caseworker to lead the case (joins the case team)'),
});
export const screenOutInput = z.strictObject({
  reason: z.enum(SCREEN_OUT_REASONS, 'Choose a reason'),
  version,
});

/* ---------------------------------------------------------------- decisions */

export const panelMemberView = z.object({
  user: person,
  organisation: organisationRef,
  view: z.enum(DECISION_OUTCOMES).nullable(),
  comment: z.string().nullable(),
  recordedAt: z.iso.datetime().nullable(),
});

export const decision = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  kind: z.enum(DECISION_KINDS),
  status: z.enum(DECISION_STATUSES),
  startsOn: isoDate,
  earliestOn: isoDate.nullable().describe('Conclusive grounds: not before the recovery period ends'),
  dueOn: isoDate,
  holidaysInPeriod: z.array(z.object({ date: isoDate, name: z.string() })),
  assignee: person.nullable(),
  byPanel: z.boolean(),
  panel: z.array(panelMemberView),
  outcome: z.enum(DECISION_OUTCOMES).nullable(),
  rationale: z.string().nullable(),
  evidence: z.string().nullable(),
  decidedBy: person.nullable(),
  decidedOn: isoDate.nullable(),
  reconsidersId: z.uuid().nullable(),
  grounds: z.string().nullable(),
  reconsiderationOpenUntil: isoDate
    .nullable()
    .describe('For a negative decision: the last day a reconsideration may be requested'),
  version: z.number().int(),
});
export type Decision = z.infer<typeof decision>;

export const decideInput = z.strictObject({
  outcome: z.enum(DECISION_OUTCOMES, 'Choose positive or negative'),
  rationale: text(10_000),
  evidence: text(10_000).describe('The evidence relied on (references, not copies)'),
  version,
});

export const convenePanelInput = z.strictObject({
  memberIds: z.array(z.uuid()).min(2, 'A panel has at least two members').max(12),
  version,
});

export const panelViewInput = z.strictObject({
  view: z.enum(DECISION_OUTCOMES, 'Choose positive or negative'),
  comment: text(5000),
});

export const reconsiderationInput = z.strictObject({ grounds: text(10_000) });

export const assignDecisionInput = z.strictObject({ assigneeId: z.uuid().nullable(), version });

export const deadlineBoardQuery = z.strictObject({
  view: z.enum(['all', 'due_soon', 'overdue']).default('all'),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
});

export const deadlineItem = z.object({
  decisionId: z.uuid(),
  caseId: z.uuid(),
  caseReference: z.string(),
  kind: z.enum(DECISION_KINDS),
  region: z.string(),
  earliestOn: isoDate.nullable(),
  dueOn: isoDate,
  workingDaysLeft: z.number().int().describe('Negative when overdue'),
  state: z.enum(DEADLINE_STATES),
  assignee: person.nullable(),
});
export type DeadlineItem = z.infer<typeof deadlineItem>;

/* ---------------------------------------------------------------- cases */

export const caseSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(CASE_STATUSES),
  region: z.string(),
  ageBand: z.string().nullable(),
  manifestations: z.array(z.string()),
  openedAt: z.iso.datetime(),
  owner: organisationRef,
  nextDeadline: z.object({ kind: z.enum(DECISION_KINDS), dueOn: isoDate }).nullable(),
  identification: z.enum([
    'awaiting_reasonable_grounds',
    'reasonable_grounds',
    'conclusive_grounds',
    'negative',
  ]),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const caseListQuery = z.strictObject({ status: z.enum(CASE_STATUSES).optional() });

export const disclosureEntry = z.object({
  id: z.uuid(),
  from: organisationRef,
  to: organisationRef,
  lawfulBasis: z.string(),
  purpose: z.string(),
  fields: z.array(z.string()),
  childConsulted: z.enum(CHILD_CONSULTED),
  childView: z.string().nullable(),
  notForOffenceInvestigation: z.boolean(),
  madeBy: person.nullable(),
  madeAt: z.iso.datetime(),
});

export const goal = z.object({
  id: z.uuid(),
  description: z.string(),
  status: z.enum(['open', 'achieved', 'discontinued']),
  dueOn: isoDate.nullable(),
  version: z.number().int(),
});

export const note = z.object({
  id: z.uuid(),
  body: z.string(),
  author: person.nullable(),
  organisation: organisationRef,
  createdAt: z.iso.datetime(),
});

export const conferenceAction = z.object({
  id: z.uuid(),
  description: z.string(),
  ownerOrganisation: organisationRef,
  owner: person.nullable(),
  dueOn: isoDate,
  status: z.enum(['open', 'done']),
  version: z.number().int(),
});

export const conference = z.object({
  id: z.uuid(),
  heldOn: isoDate,
  attendees: z.array(
    z.object({ organisation: organisationRef, user: person.nullable(), role: z.string().nullable() }),
  ),
  decisions: z.string(),
  actions: z.array(conferenceAction),
  recordedAt: z.iso.datetime(),
});

export const timelineEntry = z.object({
  at: z.iso.datetime(),
  kind: z.string().describe('e.g. referral.attached, decision.made, service_referral.accepted'),
  subjectId: z.uuid().nullable(),
  details: z.record(z.string(), z.unknown()),
  actor: person.nullable(),
  organisation: organisationRef.nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntry>;

export const caseChild = z.object({
  identified: z.boolean(),
  givenNames: z.string().nullable(),
  familyName: z.string().nullable(),
  aliases: z.array(z.string()),
  dateOfBirth: z.string().nullable(),
  ageBand: z.string().nullable(),
  gender: z.string().nullable(),
  ethnicities: z.array(z.string()),
  iwi: z.array(z.string()),
  languages: z.array(z.string()),
  currentLocation: z.string().nullable(),
});

export const addTeamOrganisationInput = z.strictObject({
  organisationId: z.uuid(),
  lawfulBasis,
  purpose: text(2000),
  fields: z
    .array(z.enum(SHAREABLE_FIELDS))
    .min(1, 'Choose what is shared')
    .refine((v) => new Set(v).size === v.length, 'Each may be chosen once'),
  childConsulted: z.enum(CHILD_CONSULTED, 'Say whether the child was consulted'),
  childView: text(5000).optional(),
});

export const addTeamMemberInput = z.strictObject({
  userId: z.uuid(),
  teamRole: z.enum(ASSIGNABLE_TEAM_ROLES),
});

export const goalInput = z.strictObject({ description: text(2000), dueOn: isoDate.optional() });
export const goalUpdateInput = z.strictObject({
  status: z.enum(['open', 'achieved', 'discontinued']),
  version,
});
export const noteInput = z.strictObject({ body: text(20_000) });

export const conferenceInput = z.strictObject({
  heldOn: isoDate,
  attendees: z
    .array(
      z.strictObject({
        organisationId: z.uuid(),
        userId: z.uuid().optional(),
        role: text(100).optional(),
      }),
    )
    .min(2, 'A conference has at least two attendees')
    .max(40),
  decisions: text(20_000),
  actions: z
    .array(
      z.strictObject({
        description: text(2000),
        ownerOrganisationId: z.uuid(),
        ownerUserId: z.uuid().optional(),
        dueOn: isoDate,
      }),
    )
    .max(50)
    .default([]),
});

export const actionUpdateInput = z.strictObject({ status: z.enum(['open', 'done']), version });

export const closeCaseInput = z.strictObject({
  reason: z.enum(CLOSURE_REASON_CODES, 'Choose why the case is closing'),
  detail: text(5000).optional(),
  version,
});
export const reopenCaseInput = z.strictObject({ reason: text(2000), version });

export const breakGlassInput = z.strictObject({
  reason: text(2000).refine((value) => value.length >= 20, 'Explain the emergency in at least 20 characters'),
});
export const breakGlassByReferenceInput = z.strictObject({
  caseReference: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^CASE-\d{4}-\d{6}$/, 'A case reference looks like CASE-2026-000123'),
  reason: breakGlassInput.shape.reason,
});
export const breakGlassEntry = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  caseReference: z.string(),
  user: person,
  organisation: organisationRef,
  reason: z.string(),
  grantedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  reviewedAt: z.iso.datetime().nullable(),
  reviewOutcome: z.enum(['justified', 'not_justified']).nullable(),
});
export const breakGlassReviewInput = z.strictObject({
  outcome: z.enum(['justified', 'not_justified']),
  note: text(2000).optional(),
});

/* ---------------------------------------------------------------- services */

export const serviceInput = z
  .strictObject({
    providerOrganisationId: z.uuid(),
    name: text(200),
    description: z.string().trim().max(2000).default(''),
    needTypes: z.array(z.enum(NEED_TYPES)).min(1, 'Choose at least one kind of help'),
    regions: z.array(regionCode).min(1, 'Choose at least one region'),
    minAge: z.number().int().min(0).max(25).default(0),
    maxAge: z.number().int().min(0).max(25).default(17),
    capacity: z.enum(SERVICE_CAPACITIES).default('accepting'),
    contact: z.string().trim().max(500).default(''),
  })
  .refine((s) => s.minAge <= s.maxAge, { path: ['maxAge'], message: 'Must not be below the youngest age' });

export const serviceUpdateInput = z.strictObject({
  name: text(200).optional(),
  description: z.string().trim().max(2000).optional(),
  needTypes: z.array(z.enum(NEED_TYPES)).min(1).optional(),
  regions: z.array(regionCode).min(1).optional(),
  minAge: z.number().int().min(0).max(25).optional(),
  maxAge: z.number().int().min(0).max(25).optional(),
  capacity: z.enum(SERVICE_CAPACITIES).optional(),
  contact: z.string().trim().max(500).optional(),
  isActive: z.boolean().optional(),
  version,
});

export const service = z.object({
  id: z.uuid(),
  provider: organisationRef,
  name: z.string(),
  description: z.string(),
  needTypes: z.array(z.enum(NEED_TYPES)),
  regions: z.array(z.string()),
  minAge: z.number().int(),
  maxAge: z.number().int(),
  capacity: z.enum(SERVICE_CAPACITIES),
  contact: z.string(),
  isActive: z.boolean(),
  version: z.number().int(),
});
export type Service = z.infer<typeof service>;

export const serviceQuery = z.strictObject({
  needType: z.enum(NEED_TYPES).optional(),
  region: regionCode.optional(),
  age: z.coerce.number().int().min(0).max(25).optional(),
  providerOrganisationId: z.uuid().optional(),
});

export const needsCheckInput = z.strictObject({ needType: z.enum(NEED_TYPES, 'Choose a kind of help') });
export const needsCheckResult = z.object({
  services: z.array(service),
  unmetNeedRecorded: z.boolean().describe('True when no service serves the child’s region and age'),
});

export const serviceReferralInput = z.strictObject({
  serviceId: z.uuid(),
  needType: z.enum(NEED_TYPES),
  sharedFields: z
    .array(z.enum(SHAREABLE_FIELDS))
    .min(1, 'Choose what is shared with the provider')
    .refine((v) => new Set(v).size === v.length, 'Each may be chosen once'),
  lawfulBasis,
  purpose: text(2000),
  childConsulted: z.enum(CHILD_CONSULTED, 'Say whether the child was consulted'),
  childView: text(5000).optional(),
  needsSummary: text(5000).optional(),
  respondBy: isoDate.optional().describe('Default: 5 working days from today'),
  send: z.boolean().default(true).describe('Send now, or keep as proposed'),
});

export const serviceReferralTransitionInput = z
  .strictObject({
    to: z.enum(SERVICE_REFERRAL_STATUSES),
    declineReason: z.enum(DECLINE_REASONS).optional(),
    detail: text(5000).optional().describe('Decline detail, withdrawal reason or outcome'),
    version,
  })
  .refine((v) => v.to !== 'declined' || v.declineReason !== undefined, {
    path: ['declineReason'],
    message: 'Say why the referral is declined',
  });

export const serviceReferralEvent = z.object({
  from: z.enum(SERVICE_REFERRAL_STATUSES).nullable(),
  to: z.enum(SERVICE_REFERRAL_STATUSES),
  reason: z.string().nullable(),
  by: person.nullable(),
  organisation: organisationRef.nullable(),
  at: z.iso.datetime(),
});

/** The child as the provider sees it: only the fields shared, and only once it holds the referral. */
export const sharedChild = z.object({
  givenNames: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  dateOfBirth: z.string().nullable().optional(),
  ageBand: z.string().nullable().optional(),
  gender: z.string().nullable().optional(),
  ethnicities: z.array(z.string()).optional(),
  iwi: z.array(z.string()).optional(),
  languages: z.array(z.string()).optional(),
  currentLocation: z.string().nullable().optional(),
  needsSummary: z.string().nullable().optional(),
});

export const serviceReferral = z.object({
  id: z.uuid(),
  caseId: z.uuid().nullable().describe('Null for the provider: it sees the referral, not the case'),
  caseReference: z.string(),
  service: z.object({ id: z.uuid(), name: z.string() }),
  provider: organisationRef,
  referrer: organisationRef,
  needType: z.enum(NEED_TYPES),
  status: z.enum(SERVICE_REFERRAL_STATUSES),
  region: z.string(),
  ageBand: z.string().nullable(),
  sharedFields: z.array(z.enum(SHAREABLE_FIELDS)),
  lawfulBasis: z.string(),
  respondBy: isoDate,
  overdue: z.boolean(),
  declineReason: z.enum(DECLINE_REASONS).nullable(),
  child: sharedChild.nullable(),
  events: z.array(serviceReferralEvent),
  notes: z.array(note),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
  reference: z
    .string()
    .optional()
    .describe('The service referral’s own reference, to quote between case team and provider'),
  declineDetail: z.string().nullable().optional().describe('Why it was declined, in the provider’s words'),
  outcome: z
    .string()
    .nullable()
    .optional()
    .describe('Completion outcome; to the case team also the reason for a withdrawal'),
  nextSteps: z
    .array(z.enum(SERVICE_REFERRAL_STATUSES))
    .optional()
    .describe('The steps you may take now (detail view only)'),
});
export type ServiceReferral = z.infer<typeof serviceReferral>;
export type ServiceReferralEvent = z.infer<typeof serviceReferralEvent>;
export type SharedChild = z.infer<typeof sharedChild>;
export type ServiceQuery = z.infer<typeof serviceQuery>;

export const serviceReferralListQuery = z.strictObject({
  view: z.enum(['provider', 'overdue']).default('provider'),
  status: z.enum(SERVICE_REFERRAL_STATUSES).optional(),
});
export type ServiceReferralListQuery = z.infer<typeof serviceReferralListQuery>;

export const unmetNeed = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  needType: z.enum(NEED_TYPES),
  region: z.string(),
  ageBand: z.string().nullable(),
  reason: z.enum(UNMET_NEED_REASONS),
  recordedAt: z.iso.datetime(),
  metAt: z.iso.datetime().nullable(),
});
export type UnmetNeed = z.infer<typeof unmetNeed>;

/* ---------------------------------------------------------------- merging cases */

export const mergeCasesInput = z.strictObject({
  otherCaseId: z.uuid().describe('The case to merge into this one (it closes, nothing is deleted)'),
  reason: text(2000),
  version: rowVersion.describe('This case’s version'),
});
export const unmergeInput = z.strictObject({ reason: text(2000) });
export const caseMerge = z.object({
  id: z.uuid(),
  keptCase: z.object({ id: z.uuid(), reference: z.string() }),
  mergedCase: z.object({ id: z.uuid(), reference: z.string() }),
  reason: z.string(),
  mergedBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  mergedAt: z.iso.datetime(),
  unmergedAt: z.iso.datetime().nullable(),
});

/* ---------------------------------------------------------------- the whole case */

export const caseDetail = caseSummary.extend({
  child: caseChild,
  closureReason: z.enum(CLOSURE_REASON_CODES).nullable(),
  closureDetail: z.string().nullable(),
  closedAt: z.iso.datetime().nullable(),
  referrals: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      organisation: organisationRef,
      receivedOn: isoDate,
      manifestations: z.array(z.string()),
      urgent: z.boolean(),
    }),
  ),
  decisions: z.array(decision),
  team: z.object({
    organisations: z.array(
      z.object({ organisation: organisationRef, isOwner: z.boolean(), addedAt: z.iso.datetime() }),
    ),
    members: z.array(z.object({ user: person, organisation: organisationRef, teamRole: z.enum(TEAM_ROLES) })),
  }),
  disclosures: z.array(disclosureEntry),
  goals: z.array(goal),
  notes: z.array(note),
  conferences: z.array(conference),
  merges: z.array(caseMerge).describe('Cases merged into this one, or this one into another'),
  serviceReferrals: z.array(serviceReferral),
  unmetNeeds: z.array(unmetNeed),
  timeline: z.array(timelineEntry),
  access: z
    .object({ via: z.enum(['case_team', 'break_glass']), expiresAt: z.iso.datetime().nullable() })
    .describe('Why you can see this case'),
  permissions: z
    .object({ manage: z.boolean(), decide: z.boolean() })
    .describe('What the screen may offer you'),
  version: z.number().int(),
});
export type CaseDetail = z.infer<typeof caseDetail>;

/* ---------------------------------------------------------------- notifications */

export const notificationItem = z.object({
  id: z.uuid(),
  kind: z.string(),
  message: z.string(),
  link: z.string().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});

/* ---------------------------------------------------------------- people and organisations to choose from */

export const organisationDirectoryEntry = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  regionsServed: z.array(z.string()),
});

export const colleaguesQuery = z.strictObject({
  permission: z.enum(['referrals.triage', 'decisions.make', 'cases.manage', 'cases.read']),
});

export const teamCandidate = z.object({
  id: z.uuid(),
  displayName: z.string(),
  organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
});

/** Answers of the workflow's actions that return more than `{ ok: true }`. */
export const caseOpened = z.object({ caseId: z.uuid(), reference: z.string() });
export const referralsAssigned = z.object({ assigned: z.number().int() });
export const breakGlassGranted = z.object({ expiresAt: z.iso.datetime() });
export const breakGlassByReferenceGranted = breakGlassGranted.extend({ caseId: z.uuid() });
export const casesMerged = z.object({ mergeId: z.uuid() });
export const reconsiderationRequested = z.object({ decisionId: z.uuid() });
