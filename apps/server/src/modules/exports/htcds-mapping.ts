import {
  CLOSURE_REASONS,
  CURRENT_TAXONOMY,
  type ClosureReason,
  type NeedType,
  type OrganisationKind,
} from '@tiaki/domain';

/**
 * The HTCDS v2.0 fields an export writes, in column order, under their `Field Name including
 * Prefix`. Kept in code (the standard is not read at run time); htcds.test.ts
 * checks every name against the standard's CSV and every value against the field's picklist.
 */
export const HTCDS_FIELDS = [
  'prs_FirstName',
  'prs_SecondName',
  'prs_Birthdate',
  'prs_Gender',
  'prs_Citizenship',
  'vic_TraffickingStatus',
  'vic_TraffickingStatusDecisionMakingOrg',
  'vic_TypeOfExploitation',
  'vic_TypeOfSexExploitation',
  'org_Type',
  'cas_Status',
  'cas_ReasonForCaseClosure',
  'cas_IncomingReferralDate',
  'hte_Type',
  'hte_Country',
  'hte_State',
  'hte_Date',
  'spl_Type',
] as const;
export type HtcdsField = (typeof HTCDS_FIELDS)[number];

/** Identity fields: written only under an explicit, audited authorisation (docs/exports.md). */
export const IDENTITY_FIELDS: readonly HtcdsField[] = ['prs_FirstName', 'prs_SecondName', 'prs_Birthdate'];

/**
 * The one column that is not an HTCDS field: a keyed pseudonym of the child (HTCDS v2.0 has no
 * record-id field). Its prefix is not one of the standard's, so it cannot be mistaken for one.
 */
export const PSEUDONYM_COLUMN = 'nzl_CaseKey';

/** Fields whose picklist allows several values, joined with ";" (Salesforce multiselect). */
export const MULTISELECT_FIELDS: readonly HtcdsField[] = [
  'prs_Citizenship',
  'vic_TypeOfExploitation',
  'vic_TypeOfSexExploitation',
  'spl_Type',
];
export const MULTI_SEPARATOR = ';';

/** Gender code → prs_Gender, from the taxonomy (checked against the CSV by taxonomy.test.ts). */
export const GENDER_TO_HTCDS: Readonly<Record<string, string | null>> = Object.fromEntries(
  CURRENT_TAXONOMY.genders.map((g) => [g.code, g.htcds]),
);

/** Manifestation code → vic_TypeOfExploitation / vic_TypeOfSexExploitation, from the taxonomy. */
export const MANIFESTATION_TO_HTCDS: Readonly<
  Record<string, { exploitationType: string; sexExploitationTypes: readonly string[] } | null>
> = Object.fromEntries(CURRENT_TAXONOMY.manifestations.map((m) => [m.code, m.htcds]));

/**
 * Citizenship status → prs_Citizenship (ISO 3166-1 alpha-2). Only statuses that name a country
 * map; residence and visa statuses say nothing about nationality, so they are reported unmapped.
 */
export const CITIZENSHIP_TO_HTCDS: Readonly<Record<string, string | null>> = {
  nz_citizen: 'NZ',
  australian_citizen: 'AU',
};

/** The referring organisation's kind → org_Type. */
export const ORGANISATION_KIND_TO_HTCDS: Readonly<Record<OrganisationKind, string | null>> = {
  lead_agency: 'CentralGovernmentOrganisation',
  police: 'LawEnforcement',
  oranga_tamariki: 'CentralGovernmentOrganisation',
  health: 'HealthServiceOrganisation',
  school: 'SchoolOrCollege',
  ngo: 'NGO',
  kaupapa_maori: 'NGO',
  pacific: 'NGO',
  dia: 'CentralGovernmentOrganisation',
  customs: 'LawEnforcement',
  immigration: 'ImmigrationService',
  acc: 'CentralGovernmentOrganisation',
  other: null,
};

/** Closure reason → cas_Status (the domain's own mapping). */
export const CLOSURE_REASON_TO_STATUS: Readonly<Record<ClosureReason, string>> = CLOSURE_REASONS;

/** A service referral's need type → spl_Type (support plan type). null: no HTCDS type fits. */
export const NEED_TYPE_TO_HTCDS: Readonly<Record<NeedType, string | null>> = {
  emergency_accommodation: 'SocialCare',
  crisis_response: 'SocialCare',
  counselling: 'Health',
  health: 'Health',
  sexual_harm_medical: 'Health',
  acc_sensitive_claims: 'Health',
  legal_advocacy: 'Legal',
  education_support: 'Education',
  kaupapa_maori: null,
  pacific: null,
  whanau_support: 'SocialCare',
  interpreter: null,
  immigration_advice: 'Legal',
  youth_housing: 'SocialCare',
  drug_and_alcohol: 'Health',
  mental_health: 'Health',
  online_harm_removal: null,
  cultural_support: null,
};

/** Service referral statuses that mean the child received (or is receiving) the service. */
export const SERVICE_RECEIVED_STATUSES: readonly string[] = ['accepted', 'engaged', 'completed'];

/**
 * Lawful bases under which a referral's facts may go into an HTCDS export: the young person's
 * or a parent's, guardian's or whānau member's agreement, or disclosure for a purpose the
 * information was collected for (counting and researching CSEC is a stated purpose of the
 * national referral mechanism). The s66C purposes, s66, FVA s20 and the IPP 11 emergency
 * exceptions are about one child's safety, not statistics; "another enactment" names no law.
 */
export const EXPORT_LAWFUL_BASES: readonly string[] = [
  'consent_young_person',
  'consent_parent_whanau',
  'privacy_ipp11_purpose',
];

/** Roles that may authorise an export with identity. */
export const IDENTITY_AUTHORISER_ROLES: readonly string[] = ['data_steward', 'privacy_officer'];
