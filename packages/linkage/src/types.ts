/** A record about a child (or, for FEBRL-style data, any person) as an agency reported it. */
export interface LinkRecord {
  id: string;
  /** First is the name the child is known by; the rest are middle names. */
  givenNames: string[];
  /** One or more family names (hyphenated or multiple names may also be one string). */
  familyNames: string[];
  aliases?: { given?: string; family?: string }[];
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** When only an age was estimated: the child was between min and max years old on atDate. */
  estimatedAge?: { min: number; max: number; atDate: string };
  gender?: string;
  region?: string;
  // FEBRL fields, usable as comparison or blocking fields too.
  suburb?: string;
  postcode?: string;
  state?: string;
  streetNumber?: string;
  address1?: string;
  address2?: string;
  phone?: string;
  socId?: string;
}

/** Single-valued text fields that generic comparisons and blocking keys may use. */
export const TEXT_FIELDS = [
  'gender',
  'region',
  'suburb',
  'postcode',
  'state',
  'streetNumber',
  'address1',
  'address2',
  'phone',
  'socId',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** One way two values may agree, checked in order; the first that holds is the level. */
export type TextLevel =
  | { type: 'exact' }
  | { type: 'jaroWinkler'; min: number }
  | { type: 'damerauLevenshtein'; max: number }
  | { type: 'phonetic' };

export type ComparisonSpec =
  | { kind: 'givenName'; termFrequency?: boolean }
  | { kind: 'familyName'; termFrequency?: boolean }
  | { kind: 'dateOfBirth' }
  | {
      kind: 'text';
      field: TextField;
      levels: TextLevel[];
      termFrequency?: boolean;
      /**
       * Fields that change together (the parts of an address when a family moves): when none of a
       * group's fields agrees, only the strongest disagreement counts, once.
       */
      group?: string;
    };

/**
 * A blocking key part. Name parts are evaluated per name variant (the primary name and each
 * alias), so a child is also found under an alias.
 */
export type KeyPart =
  | 'given'
  | 'givenPhonetic'
  | 'givenInitial'
  | 'family'
  | 'familyPhonetic'
  | 'namePhoneticSorted'
  /** The known forms of the first given name (Bill, Wiremu → william), else its sound. */
  | 'givenForm'
  /** First three letters of given name and of family name, in either order (swapped names). */
  | 'namePrefixSorted'
  | 'dateOfBirth'
  /** Date of birth with day and month in either order (a day–month swap keeps the key). */
  | 'dateOfBirthUnordered'
  | 'birthYear'
  | 'birthMonthDay'
  /** Each year of birth the date of birth or estimated age allows. */
  | 'birthYearRange'
  /**
   * birthYearRange, and a year either side of a date that is only a year (1 January or 1 July:
   * an estimate).
   */
  | 'birthYearWide'
  | TextField;

/** Candidate pairs agree on every part of at least one rule. */
export interface BlockingRule {
  parts: KeyPart[];
}

export interface LinkageConfig {
  comparisons: ComparisonSpec[];
  blocking: BlockingRule[];
  /** Blocks larger than this are skipped (and counted in stats) so one common key cannot explode the work. */
  maxBlockSize?: number;
}

export interface LevelParameters {
  label: string;
  m: number;
  u: number;
  /** Levels that carry no evidence of their own (counted under another comparison). */
  neutral?: boolean;
}

export interface ComparisonParameters {
  label: string;
  levels: LevelParameters[];
}

/** A fitted Fellegi–Sunter model: plain JSON, can be stored and reloaded. */
export interface Model {
  version: 1;
  config: LinkageConfig;
  /** Probability that a candidate pair is a match, before looking at any field. */
  lambda: number;
  comparisons: ComparisonParameters[];
  /** Term frequencies of exact-match values, per comparison label (counts of values seen at least twice). */
  termFrequencies: Record<string, { total: number; counts: Record<string, number> }>;
  /**
   * Log2 odds that a pair with the sibling pattern (same family name and home or date of birth,
   * different given name) is one child, estimated from the data; absent when it holds no households.
   */
  household?: { weight: number; pairs: number; siblings: number };
  /**
   * Fields of a group (the parts of an address) weighed as one comparison: each part's weight is
   * corrected by how much its agreement depends on the nearest finer part given on both sides
   * (suburb, then postcode, then region), measured on random pairs (non-matches) and on anchor
   * pairs (matches). `order`: the group's comparisons, finest first; `bits[i][s][a]`: the
   * correction, in bits, for order[i] agreeing (a = 0) or not (a = 1) when the finer part agreed
   * (s = 0) or not (s = 1). Absent (models learnt before): the group rules of GROUP_SHARE.
   */
  groupChains?: Record<string, { order: number[]; bits: number[][][] }>;
  /** How the parameters were estimated (for the record, and for the triage screen). */
  training: { candidatePairs: number; emIterations: number; converged: boolean; randomPairs: number };
}

export interface FieldExplanation {
  comparison: string;
  level: string;
  /** log2 Bayes factor this field contributes, term-frequency adjustment included. */
  weight: number;
  termFrequencyAdjustment: number;
  m: number | null;
  u: number | null;
  valueA: string;
  valueB: string;
}

export interface Explanation {
  /** log2 prior odds of a match. */
  prior: number;
  /** Prior plus every field's weight: log2 posterior odds. */
  weight: number;
  probability: number;
  fields: FieldExplanation[];
}

export interface ScoredPair {
  a: string;
  b: string;
  weight: number;
  probability: number;
}
