import { CURRENT_TAXONOMY, type MatchExplanation } from '@tiaki/domain';
import { explain, type LinkRecord } from '@tiaki/linkage';
import type { AppContext } from '../../context.ts';
import type { ChildIdentity } from '../child-record/index.ts';
import { decryptIdentity } from '../child-record/index.ts';
import { scoringModel } from './learning.ts';
import { blockedCandidates, probeChild, upsertCandidateLink } from './queries.ts';

/** Candidates below this probability are not shown: the engine's review band starts here. */
export const REVIEW_THRESHOLD = 0.1;

interface ChildFacts {
  gender: string | null;
  region: string | null;
  ageBand: string | null;
  /** The day the age band was judged on. */
  seenOn: string;
}

/** A child record as the linkage engine compares it. */
export function linkRecordOf(id: string, identity: ChildIdentity, facts: ChildFacts): LinkRecord {
  const band = CURRENT_TAXONOMY.ageBands.find((b) => b.code === facts.ageBand);
  return {
    id,
    givenNames: (identity.givenNames ?? '').split(/\s+/).filter(Boolean),
    familyNames: identity.familyName ? [identity.familyName] : [],
    aliases: identity.aliases.map((alias) => {
      const [given = '', ...family] = alias.split(/\s+/).filter(Boolean);
      return family.length > 0 ? { given, family: family.join(' ') } : { given };
    }),
    ...(identity.dateOfBirth ? { dateOfBirth: identity.dateOfBirth } : {}),
    ...(!identity.dateOfBirth && band
      ? { estimatedAge: { min: band.min, max: band.max, atDate: facts.seenOn } }
      : {}),
    ...(facts.gender ? { gender: facts.gender } : {}),
    ...(facts.region ? { region: facts.region } : {}),
  };
}

/** What is kept of an explanation: levels and weights, never the compared values. */
export function storedExplanation(e: ReturnType<typeof explain>, model: string): MatchExplanation {
  return {
    probability: e.probability,
    prior: e.prior,
    fields: e.fields.map((f) => ({ comparison: f.comparison, level: f.level, weight: f.weight })),
    model,
  };
}

/**
 * Scores one child record against every child already on a case that shares a blocking key
 * (keyed name, sound-alike and birth-date indexes), and keeps the candidates worth a person's
 * look, with the model in use (the built-in one, or a version a data steward learnt from reviews
 * and put in use). Idempotent: a decided link keeps its decision; an undecided one is re-scored.
 */
export async function scoreChild(ctx: AppContext, childId: string): Promise<number> {
  const probe = await probeChild(ctx.db, childId);
  if (!probe?.identified) return 0;
  const probeRecord = linkRecordOf(probe.id, decryptIdentity(ctx.keyring, probe.id, probe.identity_enc), {
    gender: probe.gender,
    region: probe.region,
    ageBand: probe.age_band,
    seenOn: probe.received_on ?? ctx.today(),
  });
  const { model, name } = await scoringModel(ctx);
  const rows = await blockedCandidates(ctx.db, probe);
  let kept = 0;
  for (const row of rows) {
    const candidate = linkRecordOf(row.id, decryptIdentity(ctx.keyring, row.id, row.identity_enc), {
      gender: row.gender,
      region: row.region,
      ageBand: row.age_band,
      seenOn: row.created_at.toISOString().slice(0, 10),
    });
    const explanation = explain(probeRecord, candidate, model);
    if (explanation.probability < REVIEW_THRESHOLD) continue;
    kept += 1;
    await upsertCandidateLink(ctx.db, {
      childId: probe.id,
      candidateChildId: row.id,
      probability: explanation.probability,
      explanation: JSON.stringify(storedExplanation(explanation, name)),
      model: name,
    });
  }
  return kept;
}
