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
  SERVICE_URGENCIES,
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
import { keepWording, rowVersion, text } from './common.ts';
import { listText, pageOf, pageQueryFields, queryFlag, workFilterFields } from './lists.ts';

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

/** How the triage queue sorts: urgent first then the oldest unless asked otherwise. */
export const TRIAGE_SORTS = ['urgent', 'received', 'due', 'reference', 'region'] as const;
export type TriageSort = (typeof TRIAGE_SORTS)[number];

export const triageQueueQuery = z.strictObject({
  ...pageQueryFields(TRIAGE_SORTS),
  ...workFilterFields,
  q: listText.describe('Part of a referral reference'),
  region: regionCode.optional(),
  manifestation: z.string().max(64).optional(),
  organisationId: z.uuid().optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
});
export type TriageQueueQuery = z.infer<typeof triageQueueQuery>;
/** The triage queue's query as a client writes it (every field optional). */
export type TriageQueueRequest = z.input<typeof triageQueueQuery>;

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

/**
 * What the matching review shows: at most `limit` children, each at least `threshold` likely to be
 * the same child, most likely first. A long list of unlikely children is harder to check, not
 * safer: the limit keeps it short. The threshold is the engine's review band (10%), not its match
 * rule (50%): on several agencies' generated files imported through the product (issue 16,
 * bench/linkage/product-path.ts), a third of the true matches triage missed scored 10–50% (one
 * child's records under a step-parent's family name, with only an estimated age, or after a move),
 * while a referral still showed a median of none and at most five.
 */
export const MATCH_REVIEW = { threshold: 0.1, limit: 5 } as const;

export const duplicateCandidateList = z.object({
  candidates: z.array(duplicateCandidate),
  threshold: z.number().min(0).max(1).describe('Only children at least this likely to be the same are shown'),
  limit: z.number().int().describe('At most this many are shown, most likely first'),
  leftOut: z
    .number()
    .int()
    .describe('Children suggested by the engine but below the threshold or past the limit'),
});
export type DuplicateCandidateList = z.infer<typeof duplicateCandidateList>;

/** The answer to a triage officer's request that a case's lead add a referral: it names no case. */
export const attachRequestCreated = z.object({ id: z.uuid(), status: z.literal('pending') });
/** A request waiting for the case's lead (references only, never a child). */
export const attachRequestItem = z.object({
  id: z.uuid(),
  referralId: z.uuid(),
  referralReference: z.string(),
  caseId: z.uuid(),
  caseReference: z.string(),
  requestedBy: z.string().describe('The name of the triage officer who asked'),
  requestedByOrganisation: z.string().describe("The name of the asking officer's organisation"),
  requestedAt: z.string(),
});
export type AttachRequestItem = z.infer<typeof attachRequestItem>;
export const attachRequestDecided = z.object({
  status: z.enum(['approved', 'rejected']),
  caseId: z.uuid(),
  referralId: z.uuid(),
});

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
  opensLater: z
    .boolean()
    .describe(
      'Pending but not yet open today (New Zealand date): it cannot be recorded before `earliestOn`, so the form is shown as not yet open',
    ),
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
  keepWording,
});

export const convenePanelInput = z.strictObject({
  memberIds: z.array(z.uuid()).min(2, 'A panel has at least two members').max(12),
  version,
});

export const panelViewInput = z.strictObject({
  view: z.enum(DECISION_OUTCOMES, 'Choose positive or negative'),
  comment: text(5000),
  keepWording,
});

export const reconsiderationInput = z.strictObject({ grounds: text(10_000), keepWording });

export const assignDecisionInput = z.strictObject({ assigneeId: z.uuid().nullable(), version });

/** How the deadline board sorts: the most urgent first unless asked otherwise. */
export const DEADLINE_SORTS = ['due', 'reference', 'kind', 'region'] as const;
export type DeadlineSort = (typeof DEADLINE_SORTS)[number];

export const deadlineBoardQuery = z.strictObject({
  ...pageQueryFields(DEADLINE_SORTS),
  ...workFilterFields,
  q: listText.describe('Part of a case reference'),
  view: z.enum(['all', 'due_soon', 'overdue']).default('all'),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
});
export type DeadlineBoardQuery = z.infer<typeof deadlineBoardQuery>;

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

/** How the case list sorts: the newest first unless asked otherwise. */
export const CASE_SORTS = ['opened', 'due', 'reference', 'region', 'status'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export const caseListQuery = z.strictObject({
  ...pageQueryFields(CASE_SORTS),
  ...workFilterFields,
  q: listText.describe('Part of a case reference'),
  status: z.enum(CASE_STATUSES).optional(),
});
export type CaseListQuery = z.infer<typeof caseListQuery>;
export type CaseListRequest = z.input<typeof caseListQuery>;

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
  keepWording,
});

export const addTeamMemberInput = z.strictObject({
  userId: z.uuid(),
  teamRole: z.enum(ASSIGNABLE_TEAM_ROLES),
});

export const goalInput = z.strictObject({
  description: text(2000),
  dueOn: isoDate.optional(),
  keepWording,
});
export const goalUpdateInput = z.strictObject({
  status: z.enum(['open', 'achieved', 'discontinued']),
  version,
});
export const noteInput = z.strictObject({ body: text(20_000), keepWording });

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
  keepWording,
});

export const actionUpdateInput = z.strictObject({ status: z.enum(['open', 'done']), version });

export const closeCaseInput = z.strictObject({
  reason: z.enum(CLOSURE_REASON_CODES, 'Choose why the case is closing'),
  detail: text(5000).optional(),
  version,
  keepWording,
});
export const reopenCaseInput = z.strictObject({ reason: text(2000), version });

export const breakGlassInput = z.strictObject({
  reason: text(2000).refine((value) => value.length >= 20, 'Explain the emergency in at least 20 characters'),
});
/**
 * A case reference is sequential, so guessable: beside it, the child's date of birth or family
 * name as the record holds it (as privacy requests ask). A miss answers as an unknown reference.
 */
export const breakGlassByReferenceInput = z
  .strictObject({
    caseReference: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^CASE-\d{4}-\d{6}$/, 'A case reference looks like CASE-2026-000123'),
    dateOfBirth: z.iso
      .date('Use the format YYYY-MM-DD')
      .optional()
      .describe("The child's date of birth as the record holds it"),
    familyName: text(200).optional().describe("The child's family name as the record holds it"),
    reason: breakGlassInput.shape.reason,
  })
  .refine((value) => value.dateOfBirth !== undefined || value.familyName !== undefined, {
    message: "Give the child's date of birth or family name beside the case reference",
    path: ['dateOfBirth'],
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
  noneAvailable: z
    .boolean()
    .describe(
      'True when no service serves the child’s region and age, or all are full. Looking records nothing: the case team records an unmet need itself (POST /api/cases/:id/unmet-needs)',
    ),
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
  respondBy: isoDate
    .optional()
    .describe('Default: 5 working days from today; never later than the urgency allows'),
  urgency: z
    .enum(SERVICE_URGENCIES, 'Say how soon the child needs this')
    .default('routine')
    .describe('urgent: the provider answers today; soon: within 2 working days; routine: the usual period'),
  send: z.boolean().default(true).describe('Send now, or keep as proposed'),
  keepWording,
});

export const serviceReferralTransitionInput = z
  .strictObject({
    to: z.enum(SERVICE_REFERRAL_STATUSES),
    declineReason: z.enum(DECLINE_REASONS).optional(),
    detail: text(5000).optional().describe('Decline detail, withdrawal reason or outcome'),
    version,
    keepWording,
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
  urgency: z.enum(SERVICE_URGENCIES).describe('How soon the child needs the service: shown to the provider'),
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

/** How a list of service referrals sorts: when sent, the answer deadline, status or service. */
/** `urgency`: waiting for an answer and urgent first (a safe bed tonight), then soon, then newest. */
export const SERVICE_REFERRAL_SORTS = ['urgency', 'sent', 'respondBy', 'status', 'service'] as const;
export type ServiceReferralSort = (typeof SERVICE_REFERRAL_SORTS)[number];

export const serviceReferralListQuery = z.strictObject({
  view: z.enum(['provider', 'overdue']).default('provider'),
  status: z.enum(SERVICE_REFERRAL_STATUSES, { error: 'Not a service referral status' }).optional(),
  ...pageQueryFields(SERVICE_REFERRAL_SORTS),
  overdue: workFilterFields.overdue.describe(
    'Only referrals waiting for an answer past their respond-by date',
  ),
  dueThisWeek: workFilterFields.dueThisWeek.describe(
    'Only referrals waiting for an answer due from today to Sunday of this week',
  ),
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
  note: z.string().nullable().describe('What the caseworker wrote when recording it (case team only)'),
});
export type UnmetNeed = z.infer<typeof unmetNeed>;

/** A caseworker says no service could meet a need: the unmet-need ledger records it. */
export const unmetNeedInput = z.strictObject({
  needType: z.enum(NEED_TYPES, 'Choose a kind of help'),
  note: text(2000).describe('What was tried and why no service could meet the need'),
  keepWording,
});

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
    .object({
      via: z.enum(['case_team', 'oversight', 'break_glass']),
      expiresAt: z.iso.datetime().nullable(),
    })
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

/** My reminders, newest first unless sorted otherwise; "unread" narrows them. */
export const NOTIFICATION_SORTS = ['created', 'read'] as const;
export const notificationListQuery = z.strictObject({
  ...pageQueryFields(NOTIFICATION_SORTS),
  unread: queryFlag.describe('Only reminders not read yet'),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

export const notificationPage = pageOf(notificationItem).extend({
  unread: z.number().int().describe('How many of all my reminders are unread (whatever the filters)'),
});

/* ---------------------------------------------------------------- my work */

/** What a work-queue item asks of the signed-in person. */
export const MY_WORK_KINDS = [
  'referral_to_triage',
  'decision_due',
  'panel_view_due',
  'goal_due',
  'action_due',
  'service_referral_awaiting',
  'service_referral_to_answer',
] as const;
export type MyWorkKind = (typeof MY_WORK_KINDS)[number];

export const myWorkItem = z.object({
  kind: z.enum(MY_WORK_KINDS),
  /** The record the work is on (referral, decision, goal, action or service referral). */
  id: z.uuid(),
  /** The case's reference (the referral's, for triage): never a child's name. */
  reference: z.string(),
  /** A code saying what it is: the decision kind, the need type; null when there is none. */
  detail: z.string().nullable(),
  dueOn: isoDate.nullable().describe('New Zealand date'),
  overdue: z.boolean(),
  urgent: z.boolean(),
  region: z.string().nullable(),
  /** Where in Tiaki the work is done. */
  link: z.string(),
});
export type MyWorkItem = z.infer<typeof myWorkItem>;

export const myWork = z.object({
  today: isoDate.describe('Today, New Zealand date: "overdue" means due before it'),
  items: z.array(myWorkItem),
  /** True when a kind had more items than are listed (the full lists have them). */
  truncated: z.boolean(),
  /** Pending decisions of the organisation's cases assigned to nobody; null for those who do not decide. */
  unassignedDecisions: z.number().int().nullable(),
  /**
   * Referrals waiting in the triage queue with no one assigned, and how many of them are urgent;
   * null for those who do not triage.
   */
  unassignedReferrals: z.object({ total: z.number().int(), urgent: z.number().int() }).nullable(),
  unreadReminders: z.number().int(),
});
export type MyWork = z.infer<typeof myWork>;

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
