/**
 * English words for the workflow's codes. One source: the web app's translations are built from
 * these, and the server's published statistics tables name categories with them, so a table says
 * exactly what the screens say.
 */
import type { OrganisationKind } from './access/organisations.ts';
import type { DecisionKind, DecisionOutcome } from './workflow/decision-vocabulary.ts';
import type { ClosureReason, NeedType, ServiceReferralStatus } from './workflow/vocabulary.ts';

export const ORGANISATION_KIND_LABELS: Readonly<Record<OrganisationKind, string>> = {
  lead_agency: 'Lead agency',
  police: 'Police',
  oranga_tamariki: 'Oranga Tamariki',
  health: 'Health service',
  school: 'School or education provider',
  ngo: 'Non-governmental organisation (NGO)',
  kaupapa_maori: 'Kaupapa Māori service',
  pacific: 'Pacific service',
  dia: 'Department of Internal Affairs',
  customs: 'New Zealand Customs Service',
  immigration: 'Immigration New Zealand',
  acc: 'ACC',
  other: 'Other',
};

export const DECISION_KIND_LABELS: Readonly<Record<DecisionKind, string>> = {
  reasonable_grounds: 'Reasonable-grounds decision',
  conclusive_grounds: 'Conclusive-grounds decision',
  reconsideration: 'Reconsideration',
};

export const DECISION_OUTCOME_LABELS: Readonly<Record<DecisionOutcome, string>> = {
  positive: 'Positive',
  negative: 'Negative',
};

export const NEED_TYPE_LABELS: Readonly<Record<NeedType, string>> = {
  emergency_accommodation: 'Emergency accommodation',
  crisis_response: 'Crisis response',
  counselling: 'Counselling',
  health: 'Health care',
  sexual_harm_medical: 'Medical care after sexual harm',
  acc_sensitive_claims: 'ACC sensitive claims',
  legal_advocacy: 'Legal help and advocacy',
  education_support: 'Help with school or training',
  kaupapa_maori: 'Kaupapa Māori support',
  pacific: 'Pacific support',
  whanau_support: 'Support for whānau',
  interpreter: 'Interpreter',
  immigration_advice: 'Immigration advice',
  youth_housing: 'Housing for young people',
  drug_and_alcohol: 'Alcohol and drug support',
  mental_health: 'Mental health',
  online_harm_removal: 'Removing harmful content online',
  cultural_support: 'Cultural support',
};

export const SERVICE_REFERRAL_STATUS_LABELS: Readonly<Record<ServiceReferralStatus, string>> = {
  proposed: 'Proposed (not sent)',
  sent: 'Waiting for an answer',
  accepted: 'Accepted',
  declined: 'Declined',
  engaged: 'Working with the child',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

export const CLOSURE_REASON_LABELS: Readonly<Record<ClosureReason, string>> = {
  needs_met: "The child's needs have been met",
  transferred_to_other_agency: 'Passed to another agency',
  moved_out_of_new_zealand: 'The child has moved out of New Zealand',
  turned_18_referred_to_adult_services: 'The young person turned 18 and was referred to adult services',
  child_and_whanau_declined_further_support: 'The child and whānau did not want more support',
  no_exploitation_identified: 'Exploitation was not identified',
  merged_with_another_case: 'Joined with another case about the same child',
  other: 'Another reason',
};
