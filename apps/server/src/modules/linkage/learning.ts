// Learning from reviewers (issue 16). Every "same child" or "not the same child" decision in triage
// is kept as a labelled pair: the agreement level of each compared field and the weights the
// reviewer saw, never a name, a date or a child's id (encrypted all the same, keyed by a keyed hash
// of the link so a changed decision replaces the earlier one). A data steward re-estimates the
// installation's model from them (packages/linkage relearn.ts), sees the before and after figures
// measured by cross-validation, puts the new version in use, and can go back to any earlier one
// or to the built-in model. Every version is kept, encrypted, with who made it and when.
import { randomUUID } from 'node:crypto';
import {
  crossValidate,
  defaultChildModel,
  figuresOn,
  LINK_THRESHOLD,
  MIN_LABELS_EACH,
  NotEnoughLabelsError,
  relearn,
  type Figures,
  type LabelledPair,
  type Model,
} from '@tiaki/linkage';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import type { KeyRing } from '../../security/keyring.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import {
  activeVersion,
  allLabels,
  insertVersion,
  labelCounts,
  listVersions,
  lockModelVersions,
  nextVersionNumber,
  setActiveVersion,
  upsertLabel,
  versionById,
} from './queries.ts';

const BUILT_IN = defaultChildModel();
export const BUILT_IN_NAME = 'child-default: fitted on synthetic NZ records';
/** Cross-validation folds for the before/after figures. */
export const FOLDS = 5;

export const versionName = (number: number) => `learnt from reviews: version ${number}`;

/** What a label keeps of a link: the model that scored it and each field's level and weight. */
interface StoredVector {
  model: string;
  fields: { comparison: string; level: string; weight: number }[];
}

const labelContext = (pairKey: string) => `linkage_label.vector_enc:${pairKey}`;
const modelContext = (id: string) => `linkage_model_version.model_enc:${id}`;

/**
 * Keeps reviewers' decisions on candidate links as labelled pairs. Called in the transaction
 * that records the decision; links without an explanation (a match no engine suggested) teach
 * nothing and are skipped.
 */
export async function recordReviewLabels(
  db: Db,
  keyring: KeyRing,
  links: { id: string; explanation: unknown; model: string }[],
  label: 'match' | 'non_match',
  decidedBy: string | null,
  at: Date,
): Promise<number> {
  let kept = 0;
  for (const link of links) {
    const fields = (link.explanation as { fields?: unknown } | null)?.fields;
    if (!Array.isArray(fields) || fields.length === 0) continue;
    const vector: StoredVector = {
      model: link.model,
      fields: fields.map((f: { comparison?: unknown; level?: unknown; weight?: unknown }) => ({
        comparison: typeof f.comparison === 'string' ? f.comparison : '',
        level: typeof f.level === 'string' ? f.level : '',
        weight: Number(f.weight ?? 0),
      })),
    };
    const pairKey = keyring.blindIndex(link.id, 'linkage_label.pair');
    await upsertLabel(db, {
      pairKey,
      label,
      vectorEnc: keyring.encrypt(JSON.stringify(vector), labelContext(pairKey)),
      decidedBy,
      decidedAt: at,
    });
    kept++;
  }
  return kept;
}

// The model in use, decrypted once per version and process.
const decrypted = new Map<string, Model>();

function openModel(keyring: KeyRing, id: string, modelEnc: string): Model {
  let model = decrypted.get(id);
  if (!model) {
    model = JSON.parse(keyring.decrypt(modelEnc, modelContext(id))) as Model;
    decrypted.set(id, model);
  }
  return model;
}

/** The model new scoring uses, and its name as explanations record it. */
export async function scoringModel(ctx: AppContext): Promise<{ model: Model; name: string }> {
  const row = await activeVersion(ctx.db);
  if (!row) return { model: BUILT_IN, name: BUILT_IN_NAME };
  return { model: openModel(ctx.keyring, row.id, row.model_enc), name: versionName(row.number) };
}

/**
 * The labelled pairs as the engine learns from them: each field's level, and what the pair's
 * weight held besides its level weights under the model that scored it (term frequencies, the
 * address and household rules).
 */
async function labelledPairs(ctx: AppContext, models: Map<string, Model>): Promise<LabelledPair[]> {
  const rows = await allLabels(ctx.db);
  return rows.map((row) => {
    const vector = JSON.parse(
      ctx.keyring.decrypt(row.vector_enc, labelContext(row.pair_key)),
    ) as StoredVector;
    const model = models.get(vector.model) ?? BUILT_IN;
    const levels: Record<string, string> = {};
    let adjustment = 0;
    for (const f of vector.fields) {
      adjustment += f.weight;
      const c = model.comparisons.find((x) => x.label === f.comparison);
      if (!c) continue;
      levels[f.comparison] = f.level;
      const level = c.levels.find((l) => l.label === f.level);
      if (level && !level.neutral) adjustment -= Math.log2(Math.max(level.m, 1e-6) / Math.max(level.u, 1e-6));
    }
    return { levels, adjustment, match: row.label === 'match' };
  });
}

async function versionsWithModels(ctx: AppContext) {
  const versions = await listVersions(ctx.db);
  const models = new Map<string, Model>([[BUILT_IN_NAME, BUILT_IN]]);
  for (const v of versions) models.set(versionName(v.number), openModel(ctx.keyring, v.id, v.model_enc));
  return { versions, models };
}

export interface VersionFigures {
  /** The model in use when this version was learnt, scored on the same reviews. */
  before: Figures;
  /** This version, each review scored by a model learnt without it (cross-validation). */
  after: Figures;
  beforeModel: string;
  /**
   * How many of these reviews the model in use had learnt from (0 for the built-in model): its
   * "before" figures are then partly on answers it was fitted to, and flatter it.
   */
  beforeSeen: number;
  folds: number;
  threshold: number;
}

/** The matching model screen: reviews so far, the model in use, and every version. */
export async function modelOverview(ctx: AppContext) {
  const counts = await labelCounts(ctx.db);
  const { versions } = await versionsWithModels(ctx);
  const active = versions.find((v) => v.active);
  return {
    reviews: {
      confirmed: counts.confirmed,
      rejected: counts.rejected,
      minimumEach: MIN_LABELS_EACH,
      enough: counts.confirmed >= MIN_LABELS_EACH && counts.rejected >= MIN_LABELS_EACH,
    },
    inUse: active ? { id: active.id, number: active.number, name: versionName(active.number) } : null,
    builtInName: BUILT_IN_NAME,
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      name: versionName(v.number),
      status: v.active ? ('in_use' as const) : v.activated_at ? ('earlier' as const) : ('candidate' as const),
      reviewsConfirmed: v.labels_confirmed,
      reviewsRejected: v.labels_rejected,
      figures: v.figures as unknown as VersionFigures,
      createdAt: v.created_at.toISOString(),
      createdBy: v.created_by,
      activatedAt: v.activated_at?.toISOString() ?? null,
      activatedBy: v.activated_by,
    })),
  };
}

/**
 * Learns a candidate version from every review so far, starting from the built-in model (so
 * reviews are never counted twice), with before/after figures. 409 with a plain message when
 * there are too few reviews of either kind.
 */
export async function reestimateModel(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
): Promise<{ id: string; number: number }> {
  const { versions, models } = await versionsWithModels(ctx);
  const pairs = await labelledPairs(ctx, models);
  let learnt: Model;
  try {
    learnt = relearn(BUILT_IN, pairs);
  } catch (e) {
    if (e instanceof NotEnoughLabelsError) throw new HttpError(409, 'not_enough_reviews', e.message);
    throw e;
  }
  const active = versions.find((v) => v.active);
  const inUse = active ? (models.get(versionName(active.number)) ?? BUILT_IN) : BUILT_IN;
  const { after } = crossValidate(BUILT_IN, pairs, { folds: FOLDS });
  const figures: VersionFigures = {
    before: figuresOn(inUse, pairs),
    after,
    beforeModel: active ? versionName(active.number) : BUILT_IN_NAME,
    beforeSeen: active ? active.labels_confirmed + active.labels_rejected : 0,
    folds: FOLDS,
    threshold: LINK_THRESHOLD,
  };
  const confirmed = pairs.filter((p) => p.match).length;
  const id = randomUUID();
  return ctx.db.transaction().execute(async (trx) => {
    // Two stewards at once: the second waits, then takes the next number (both get a version).
    await lockModelVersions(trx);
    const number = await nextVersionNumber(trx);
    await insertVersion(trx, {
      id,
      number,
      modelEnc: ctx.keyring.encrypt(
        JSON.stringify({ ...learnt, training: { ...learnt.training, reviews: pairs.length } }),
        modelContext(id),
      ),
      confirmed,
      rejected: pairs.length - confirmed,
      figures: JSON.stringify(figures),
      createdBy: auth.userId,
    });
    await recordAudit(trx, actor, {
      action: 'linkage.model_learnt',
      subjectType: 'linkage_model',
      subjectId: id,
      details: {
        version: number,
        confirmed,
        rejected: pairs.length - confirmed,
        f1Before: figures.before.f1,
        f1After: figures.after.f1,
      },
    });
    return { id, number };
  });
}

/**
 * Puts a version in use for new scoring, or goes back to the built-in model (`built-in`).
 * Links already scored keep their scores until they are scored again. Audited.
 */
export async function activateModel(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  versionId: string,
): Promise<{ inUse: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    // Two at once: the second waits and then wins (the last choice is the one in use).
    await lockModelVersions(trx);
    const target = versionId === 'built-in' ? null : await versionById(trx, versionId);
    if (versionId !== 'built-in' && !target) throw notFound('That model version');
    const before = await activeVersion(trx);
    await setActiveVersion(trx, target?.id ?? null, auth.userId, new Date());
    const inUse = target ? versionName(target.number) : BUILT_IN_NAME;
    await recordAudit(trx, actor, {
      action: 'linkage.model_activated',
      subjectType: 'linkage_model',
      subjectId: target?.id,
      details: {
        version: target?.number ?? 'built-in',
        previous: before ? before.number : 'built-in',
      },
    });
    return { inUse };
  });
}
