import {
  CURRENT_TAXONOMY,
  NEED_TYPE_LABELS,
  REGIONS,
  taxonomyVersion,
  type Taxonomy,
  type TaxonomyEntry,
} from '@tiaki/domain';

/**
 * The privacy (IPP 6) file is read by a child or their whānau: every code Tiaki stores is written
 * out in words here, every date and time as it was in New Zealand. A code with no words of its
 * own is still turned into words ("lead_caseworker" → "Lead caseworker"), never shown raw.
 */

const NEW_ZEALAND = 'Pacific/Auckland';

const DATE_TIME = new Intl.DateTimeFormat('en-NZ', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: NEW_ZEALAND,
});
const DATE = new Intl.DateTimeFormat('en-NZ', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** An instant as it was in New Zealand: "7 December 2026 at 12:30 am (New Zealand time)". */
export function nzDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${DATE_TIME.format(date).replace(', ', ' at ')} (New Zealand time)`;
}

/** A calendar date ('2026-12-07') in words: "7 December 2026". */
export function nzDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : DATE.format(date);
}

/** "some_code.more" → "Some code more": the last resort for a code with no words of its own. */
export function humanise(code: string): string {
  const text = code.replaceAll(/[._]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A list in words, or '' when it is empty (an empty list is left out, never shown as "[]"). */
export function listWords(values: readonly string[] | null | undefined): string {
  return values && values.length ? values.join(', ') : '';
}

function entryLabel(entries: readonly { code: string; label: string }[], code: string): string {
  return entries.find((entry) => entry.code === code)?.label ?? humanise(code);
}

/** The taxonomy a referral was recorded with (its labels), else today's. */
export function taxonomyOf(version: string | null | undefined): Taxonomy {
  return (version ? taxonomyVersion(version) : undefined) ?? CURRENT_TAXONOMY;
}

export function regionWords(code: string | null | undefined): string {
  if (!code) return '';
  return REGIONS.find((region) => region.code === code)?.name ?? humanise(code);
}

export function ageBandWords(code: string | null | undefined, taxonomy: Taxonomy = CURRENT_TAXONOMY): string {
  if (!code) return '';
  const band = taxonomy.ageBands.find((entry) => entry.code === code);
  if (!band) return humanise(code);
  return band.min === 0
    ? `Under ${String(band.max + 1)} years`
    : `${String(band.min)} to ${String(band.max)} years`;
}

export const labels = {
  of: (
    entries: readonly TaxonomyEntry[] | readonly { code: string; label: string }[],
    codes: readonly string[],
  ) => listWords(codes.map((code) => entryLabel(entries, code))),
  one: (entries: readonly { code: string; label: string }[], code: string | null | undefined) =>
    code ? entryLabel(entries, code) : '',
};

const WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  referralStatus: {
    submitted: 'Received, waiting to be looked at',
    in_triage: 'Being looked at',
    case_opened: 'A case was opened',
    attached: 'Added to the child’s existing case',
    screened_out: 'Looked at: no case was opened',
  },
  screenOut: {
    not_exploitation_concern: 'It was not a concern about exploitation',
    referred_elsewhere: 'It was passed to another service better placed to help',
    insufficient_information: 'There was not enough information to act on yet',
    duplicate_of_existing_referral: 'It repeated a referral already received about the same concern',
  },
  concernLevel: { none: 'No signs shown yet', possible: 'Possible', clear: 'Clear' },
  caseStatus: { open: 'Open', closed: 'Closed' },
  closure: {
    needs_met: 'The child’s needs were met',
    transferred_to_other_agency: 'Passed to another agency',
    moved_out_of_new_zealand: 'The child moved out of New Zealand',
    turned_18_referred_to_adult_services: 'Turned 18 and was referred to adult services',
    child_and_whanau_declined_further_support: 'The child and whānau said no to more support',
    no_exploitation_identified: 'No exploitation was found',
    merged_with_another_case: 'Joined with another case about the same child',
    other: 'Another reason',
  },
  decisionKind: {
    reasonable_grounds: 'Reasonable-grounds decision (the first decision)',
    conclusive_grounds: 'Conclusive-grounds decision (the final decision)',
    reconsideration: 'Second look at a decision (reconsideration)',
  },
  decisionStatus: { pending: 'Not made yet', made: 'Made' },
  outcome: {
    positive: 'Yes: the child is recognised as a victim of exploitation',
    negative: 'No, not at this time',
  },
  teamRole: {
    caseworker: 'Caseworker',
    lead_caseworker: 'Lead caseworker',
    decision_maker: 'Decision maker',
    panel_member: 'Decision panel member',
    support: 'Support',
    triage: 'Triage officer (looked at the referral first)',
  },
  serviceStatus: {
    proposed: 'Suggested, not sent yet',
    sent: 'Sent to the service',
    accepted: 'Accepted by the service',
    declined: 'The service said no',
    engaged: 'Working with the child',
    completed: 'Finished',
    withdrawn: 'Withdrawn',
  },
  declineReason: {
    no_capacity: 'The service had no room',
    not_eligible: 'The child was outside what the service covers',
    child_declined: 'The child did not want this support',
    other: 'Another reason',
  },
  childConsulted: {
    yes: 'Yes',
    no_not_practicable: 'No: it was not practical to ask',
    no_would_increase_risk: 'No: asking would have put the child at more risk',
  },
  sharedField: {
    name: 'Name',
    date_of_birth: 'Date of birth',
    age_band: 'Age group',
    gender: 'Gender',
    ethnicity_and_iwi: 'Ethnicity and iwi',
    languages: 'Languages',
    current_location: 'Where the child is staying',
    needs_summary: 'What the child needs',
  },
  unmetReason: {
    no_service_in_region: 'No service in the region',
    declined_no_capacity: 'The service had no room',
    waitlist: 'On a waiting list',
  },
  linkStatus: {
    suggested: 'Suggested by Tiaki, not checked yet',
    confirmed: 'Checked by a person: the same child',
    rejected: 'Checked by a person: not the same child',
  },
  audit: {
    'case.viewed': 'Looked at the case',
    'referral.viewed': 'Looked at a referral',
    'referral.submitted': 'Sent the referral',
    'referral.assigned': 'Gave the referral to someone to look at',
    'referral.attached': 'Added the referral to the child’s case',
    'referral.screened_out': 'Decided no case was needed',
    'referral.duplicate_check': 'Checked whether the child was already known',
    'case.opened': 'Opened the case',
    'case.closed': 'Closed the case',
    'case.reopened': 'Reopened the case',
    'case.note_added': 'Wrote a note',
    'case.goal_added': 'Added a goal to the plan',
    'case.goal_updated': 'Updated a goal',
    'case.conference_recorded': 'Recorded a meeting about the child',
    'case.action_updated': 'Updated an agreed action',
    'case.team_member_added': 'Added a person to the case team',
    'case.team_organisation_removed': 'Removed an organisation from the case team',
    'case.break_glass': 'Used emergency access to see the case',
    'case.merged': 'Joined two cases about the same child',
    'case.unmerged': 'Separated two cases that had been joined',
    'disclosure.made': 'Shared information with another organisation',
    'decision.assigned': 'Gave a decision to a decision maker',
    'decision.made': 'Made a decision',
    'panel.convened': 'Set up a decision panel',
    'panel.view_recorded': 'A panel member gave their view',
    'reconsideration.requested': 'Asked for a second look at a decision',
    'service_referral.viewed': 'Looked at a referral to a service',
    'service_referral.note_added': 'Wrote a note on a referral to a service',
    'unmet_need.recorded': 'Recorded a need no service could meet',
    'unmet_need.met': 'Recorded that a need was met',
    'case.charge_recorded': 'Recorded a charge laid against a person who exploited the child',
    'case.charge_updated': 'Recorded the outcome of a charge',
    'case.charges_read': 'Looked at the charges laid',
    'link.rejected': 'Decided two records were not about the same child',
    'privacy.export': 'Prepared a copy of this information (a privacy request)',
    'retention.purged': 'Removed information that was no longer needed',
    'break_glass.reviewed': 'Checked a use of emergency access',
  },
  recordKind: {
    case: 'The case',
    referral: 'A referral',
    child: 'The child’s record',
    decision: 'A decision',
    service_referral: 'A referral to a service',
  },
  caseEvent: {
    'case.opened': 'The case was opened',
    'referral.received': 'A referral was received',
    'referral.attached': 'A referral was added to the case',
    'decision.due': 'A decision was started',
    'decision.made': 'A decision was made',
    'panel.convened': 'A decision panel was set up',
    'reconsideration.requested': 'A second look at a decision was asked for',
    'disclosure.made': 'Information was shared with another organisation',
    'team.organisation_added': 'An organisation joined the case team',
    'team.organisation_removed': 'An organisation left the case team',
    'team.member_added': 'A person joined the case team',
    'plan.goal_added': 'A goal was added to the plan',
    'plan.goal_updated': 'A goal was updated',
    'conference.held': 'A meeting about the child was held',
    'conference.action_updated': 'An agreed action was updated',
    'case.closed': 'The case was closed',
    'case.reopened': 'The case was reopened',
    'case.merged_in': 'Another case about the same child was joined to this one',
    'case.merged_away': 'This case was joined to another case about the same child',
    'case.unmerged': 'Two joined cases were separated again',
    'unmet_need.recorded': 'A need no service could meet was recorded',
    'justice.charge_recorded': 'A charge was laid against a person who exploited the child',
    'justice.charge_updated': 'The outcome of a charge was recorded',
  },
};

export type WordList = keyof typeof WORDS;

/** A stored code in words, from the given list; a code the list does not know, humanised. */
export function words(list: WordList, code: string | null | undefined): string {
  if (!code) return '';
  return (
    WORDS[list]?.[code] ??
    (list === 'caseEvent' && code.startsWith('service_referral.')
      ? `Referral to a service: ${(WORDS.serviceStatus?.[code.slice('service_referral.'.length)] ?? humanise(code)).toLowerCase()}`
      : humanise(code))
  );
}

/** Codes of one list in words. */
export function wordsOf(list: WordList, codes: readonly string[] | null | undefined): string {
  return listWords((codes ?? []).map((code) => words(list, code)));
}

const NEEDS: Readonly<Record<string, string>> = NEED_TYPE_LABELS;

/** A kind of need ("emergency_accommodation") in the words the screens use. */
export function needWords(code: string | null | undefined): string {
  return code ? (NEEDS[code] ?? humanise(code)) : '';
}

/** Which list of words a column of a row section uses, by table and column. */
export const COLUMN_WORDS: Readonly<Record<string, WordList>> = {
  'case_member.team_role': 'teamRole',
  'case_event.kind': 'caseEvent',
  'service_referral_event.status': 'serviceStatus',
  'service_referral_event.from_status': 'serviceStatus',
  'service_referral_event.to_status': 'serviceStatus',
  'unmet_need.need_type': 'unmetReason',
  'unmet_need.reason': 'unmetReason',
  'child_link.status': 'linkStatus',
  'panel_member.view': 'outcome',
  'conference_action.status': 'decisionStatus',
};
