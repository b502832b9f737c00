/** Kinds of organisation that take part in the national referral mechanism. */
export const ORGANISATION_KINDS = [
  'lead_agency',
  'police',
  'oranga_tamariki',
  'health',
  'school',
  'ngo',
  'kaupapa_maori',
  'pacific',
  'dia',
  'customs',
  'immigration',
  'acc',
  'other',
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
