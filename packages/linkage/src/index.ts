export type * from './types.ts';
export { TEXT_FIELDS } from './types.ts';
export { childConfig, febrlConfig } from './config.ts';
export {
  deduplicate,
  estimate,
  explain,
  link,
  LinkageIndex,
  scorePairs,
  type Candidate,
  type DedupeResult,
  type LinkResult,
  type Phase,
  type ProgressEvent,
  type RunOptions,
  type RunStats,
} from './linkage.ts';
export { buildModel, probabilityOf, weightOf } from './model.ts';
export { calibrateOneToOne, expectedF1Threshold, type OneToOneCalibration } from './calibrate.ts';
export { LinkageInputError } from './prepare.ts';
export { normalise, jaroWinkler, damerauLevenshtein } from './text.ts';
export { phoneticKey, soundex } from './phonetic.ts';
export { areNicknames } from './nicknames.ts';
export { CsvError, parseRecords, readRecords, tiakiHeader, tiakiRow, type CsvFormat } from './csv.ts';
export { entityOf, evaluateClusters, evaluateLinks, type Quality } from './evaluate.ts';
export {
  childEncoding,
  febrlEncoding,
  febrlFieldEncoding,
  encodeRecord,
  Encoder,
  type EncodedRecord,
  type EncodingKeys,
  type EncodingSchema,
} from './encode.ts';
export {
  deduplicateEncoded,
  linkEncoded,
  fitMixture,
  EncodingError,
  type EncodedDedupeResult,
  type EncodedLinkResult,
  type EncodedOptions,
  type EncodedPair,
  type Mixture,
} from './encoded.ts';
export type { FieldLevelModel } from './encoded-fields.ts';
export { generateRecords, generateLinkPair, type GenerateOptions } from './generate.ts';

import defaultModel from '../models/child-default.json' with { type: 'json' };
import type { Model as FittedModel } from './types.ts';

/**
 * The model Tiaki scores with until an installation has enough children of its own to fit one:
 * EM on synthetic NZ-style records (src/scripts/train-default-model.ts). Synthetic, so it holds no name
 * of any real child.
 */
export function defaultChildModel(): FittedModel {
  return defaultModel as FittedModel;
}
export {
  crossValidate,
  figuresOn,
  labelledWeight,
  LINK_THRESHOLD,
  MIN_LABELS_EACH,
  NotEnoughLabelsError,
  relearn,
  type Figures,
  type LabelledPair,
} from './relearn.ts';
