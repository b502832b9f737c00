import type { REGIONS } from '../reference/regions.ts';

/** One coded entry of a taxonomy list. `code` is stable and never reused for a different meaning. */
export interface TaxonomyEntry {
  code: string;
  label: string;
  /** Plain language, one or two sentences, for frontline workers. */
  definition: string;
}

/** A form of commercial sexual exploitation of children (CSEC). */
export interface Manifestation extends TaxonomyEntry {
  /** HTCDS v2 mapping: value names exactly as in the CSV's "Value Names (if picklist)" column */
  htcds: {
    /** A value of vic_TypeOfExploitation. */
    exploitationType: string;
    /** Values of vic_TypeOfSexExploitation; empty when the form alone does not say which. */
    sexExploitationTypes: string[];
  };
  /** Narrower forms. Subtype codes are unique across the whole taxonomy. */
  subtypes?: TaxonomyEntry[];
}

export const INDICATOR_GROUP_CODES = ['physical', 'behavioural', 'situational', 'online', 'control'] as const;
export type IndicatorGroupCode = (typeof INDICATOR_GROUP_CODES)[number];

/** An identification indicator: something a worker may notice. It informs, it never decides. */
export interface Indicator extends TaxonomyEntry {
  group: IndicatorGroupCode;
  /** 'strong': on its own a clear sign of exploitation. 'supporting': a sign to weigh with others. */
  strength: 'strong' | 'supporting';
  /** What to look for and what to do. */
  guidance: string;
}

export interface LawProvision extends TaxonomyEntry {
  act: string;
  section: string;
}

export interface LawfulBasis extends TaxonomyEntry {
  act: string;
  section: string;
  /** True when information shared on this basis may not be used to investigate an offence (OT Act s66). */
  notForOffenceInvestigation?: boolean;
}

export interface Gender extends TaxonomyEntry {
  /** A value of prs_Gender in HTCDS v2. */
  htcds: string;
}

/** Whole years, inclusive. Narrow bands come first; a wider "age unknown" band comes last. */
export interface AgeBand extends TaxonomyEntry {
  min: number;
  max: number;
}

/** Stats NZ ethnicity (ETHNIC05) level 1 or 2; `parent` is the level-1 code of a level-2 entry. */
export interface Ethnicity {
  code: string;
  label: string;
  level: 1 | 2;
  parent: string | null;
}

/** Stats NZ iwi classification; `region` is the source's grouping code (null for the groupings). */
export interface Iwi {
  code: string;
  label: string;
  region: string | null;
}

export interface PoliceDistrict {
  code: string;
  name: string;
  /** Stats NZ regional council codes (REGC, as in REGIONS) of the regions the district mostly covers. */
  mainRegions: string[];
}

export interface Taxonomy {
  version: string;
  manifestations: Manifestation[];
  contexts: TaxonomyEntry[];
  indicatorGroups: TaxonomyEntry[];
  indicators: Indicator[];
  lawProvisions: LawProvision[];
  lawfulBases: LawfulBasis[];
  genders: Gender[];
  ageBands: AgeBand[];
  ethnicities: Ethnicity[];
  iwi: Iwi[];
  regions: typeof REGIONS;
  policeDistricts: PoliceDistrict[];
  citizenshipStatuses: TaxonomyEntry[];
}
