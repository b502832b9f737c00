// The matching model screen of data stewards (issue 16, learning from reviewers).
import { z } from 'zod';

/** Precision, recall and F1 on the reviews at the link threshold, with the counts behind them. */
export const matchingFigures = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  truePositives: z.number().int(),
  falsePositives: z.number().int(),
  falseNegatives: z.number().int(),
  pairs: z.number().int(),
});

export const matchingModelVersion = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  /** in_use: new matching uses it; candidate: learnt, never put in use; earlier: was in use. */
  status: z.enum(['in_use', 'candidate', 'earlier']),
  reviewsConfirmed: z.number().int(),
  reviewsRejected: z.number().int(),
  figures: z.object({
    /** The model in use when this version was learnt, on the same reviews. */
    before: matchingFigures,
    /** This version, each review scored by a model learnt without it (cross-validation). */
    after: matchingFigures,
    beforeModel: z.string(),
    /** How many of these reviews the model in use had learnt from: its "before" flatters it. */
    beforeSeen: z.number().int().optional(),
    folds: z.number().int(),
    threshold: z.number(),
  }),
  createdAt: z.string(),
  createdBy: z.string(),
  activatedAt: z.string().nullable(),
  activatedBy: z.string().nullable(),
});

export const matchingModelView = z.object({
  reviews: z.object({
    confirmed: z.number().int(),
    rejected: z.number().int(),
    minimumEach: z.number().int(),
    enough: z.boolean(),
  }),
  inUse: z.object({ id: z.string(), number: z.number().int(), name: z.string() }).nullable(),
  builtInName: z.string(),
  versions: z.array(matchingModelVersion),
});
export type MatchingModelView = z.infer<typeof matchingModelView>;
export type MatchingModelVersion = z.infer<typeof matchingModelVersion>;

export const learntModel = z.object({ id: z.string(), number: z.number().int() });
export const activateModelInput = z.object({ versionId: z.union([z.literal('built-in'), z.uuid()]) });
export const modelInUse = z.object({ inUse: z.string() });
/** Learning takes no input: it learns from every review so far. */
export const reestimateModelInput = z.strictObject({});
