/** Record linkage in the product: scoring new children against those already known. */
export { linkRecordOf, scoreChild } from './scoring.ts';
export { recordReviewLabels } from './learning.ts';
