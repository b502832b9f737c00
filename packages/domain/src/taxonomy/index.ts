/**
 * The versioned CSEC taxonomy and reference data (docs/taxonomy.md).
 * Terminology follows the Luxembourg Guidelines; law references are reference information, not legal advice.
 */
export type {
  AgeBand,
  Ethnicity,
  Gender,
  Indicator,
  IndicatorGroupCode,
  Iwi,
  LawfulBasis,
  LawProvision,
  Manifestation,
  PoliceDistrict,
  Taxonomy,
  TaxonomyEntry,
} from './types.ts';
export { INDICATOR_GROUP_CODES } from './types.ts';
export {
  ageBandForAge,
  CURRENT_TAXONOMY,
  CURRENT_TAXONOMY_VERSION,
  findByCode,
  hasCode,
  manifestationSubtypes,
  TAXONOMIES,
  taxonomyVersion,
} from './registry.ts';
export { SCREEN_SUPPORTING_THRESHOLD, SCREENING_RULE, screenIndicators } from './screen.ts';
export type { ConcernLevel, IndicatorScreen } from './screen.ts';

/**
 * Codes of the Stats NZ classifications that record how an answer was not given ("Residual
 * Categories", "Don't Know", "Refused to Answer", "Repeated Value", "Response Unidentifiable",
 * "Response Outside Scope", "Not Stated"). They are for coders of census forms, not choices for a
 * person: the pickers leave them out (the field is optional, so "not known" is left empty). Stored
 * values still read with their labels.
 */
export function isResidualEthnicity(code: string): boolean {
  return code === '9' || /^9\d/.test(code);
}

/** Iwi groupings 44 (Don't Know) to 99 (Not Stated) and their entries; see isResidualEthnicity. */
export function isResidualIwi(code: string): boolean {
  return ['44', '55', '77', '88', '99'].includes(code.slice(0, 2));
}
