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
