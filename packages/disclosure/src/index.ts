export {
  baseFor,
  cellDraw,
  cellKey,
  DEFAULT_THRESHOLD,
  DisclosureError,
  MIN_SECRET_BYTES,
  randomRound,
  roundCount,
  type DisclosureOptions,
  type Labels,
  type PublishedValue,
  type RoundingMethod,
  type SuppressionReason,
} from './rounding.ts';
export { describeRules, SUPPRESSION_MARKERS, type RulesNote } from './rules.ts';
export {
  entries,
  protectSeries,
  protectTable,
  tabulate,
  type Cell,
  type Dimension,
  type Entry,
  type EntryKind,
  type ExactTable,
  type PublishedTable,
  type ResolvedDimension,
  type SeriesInput,
  type TableInput,
  type TableShape,
} from './table.ts';
export { csvComment, csvDocument, csvField, csvLine, toCsv, type CsvOptions } from './csv.ts';
export {
  DEFAULT_MIN_UNITS,
  protectMean,
  protectMedian,
  protectSum,
  type MagnitudeOptions,
} from './magnitude.ts';
export {
  ageHierarchy,
  dateHierarchy,
  DEFAULT_K,
  DEFAULT_MAX_SUPPRESSED,
  kAnonymise,
  regionHierarchy,
  type Generalised,
  type Hierarchy,
  type HierarchyLevel,
  type KAnonymityOptions,
  type KAnonymityReport,
  type KAnonymityResult,
  type QiValue,
} from './kanon.ts';
export { assertNoSmallDifferences, smallDifferences, type SmallDifference } from './differencing.ts';
