import { sql } from 'kysely';
import { CURRENT_TAXONOMY, type MatchExplanation } from '@tiaki/domain';
import { defaultChildModel, explain, type LinkRecord } from '@tiaki/linkage';
import type { AppContext } from '../../context.ts';
import type { ChildIdentity } from '../child-record/index.ts';
import { decryptIdentity } from '../child-record/index.ts';

const MODEL = defaultChildModel();
export const MODEL_NAME = 'child-default: fitted on synthetic NZ records';

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
export function storedExplanation(e: ReturnType<typeof explain>): MatchExplanation {
  return {
    probability: e.probability,
    prior: e.prior,
    fields: e.fields.map((f) => ({ comparison: f.comparison, level: f.level, weight: f.weight })),
    model: MODEL_NAME,
  };
}

/**
 * Scores one child record against every child already on a case that shares a blocking key
 * (keyed name, sound-alike and birth-date indexes), and keeps the candidates worth a person's
 * look. Idempotent: a decided link keeps its decision; an undecided one is re-scored.
 */
export async function scoreChild(ctx: AppContext, childId: string): Promise<number> {
  const probe = await ctx.db
    .selectFrom('child as c')
    .leftJoin('referral as r', 'r.child_id', 'c.id')
    .select([
      'c.id',
      'c.identified',
      'c.identity_enc',
      'c.name_index',
      'c.block_index',
      'c.dob_index',
      'c.gender',
      'c.age_band',
      'c.case_id',
      'r.region',
      'r.received_on',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirst();
  if (!probe?.identified) return 0;
  const probeRecord = linkRecordOf(probe.id, decryptIdentity(ctx.keyring, probe.id, probe.identity_enc), {
    gender: probe.gender,
    region: probe.region,
    ageBand: probe.age_band,
    seenOn: probe.received_on ?? ctx.today(),
  });
  let q = ctx.db
    .selectFrom('child as c')
    .innerJoin('case_record as k', 'k.id', 'c.case_id')
    .select(['c.id', 'c.identity_enc', 'c.gender', 'c.age_band', 'c.created_at', 'k.region'])
    .where('c.id', '<>', probe.id)
    .where('c.identified', '=', true)
    .where((eb) =>
      eb.or([
        eb(sql<string[]>`c.name_index`, '&&', sql<string[]>`${probe.name_index}::text[]`),
        eb(sql<string[]>`c.block_index`, '&&', sql<string[]>`${probe.block_index}::text[]`),
        ...(probe.dob_index ? [eb('c.dob_index', '=', probe.dob_index)] : []),
      ]),
    );
  if (probe.case_id) q = q.where('c.case_id', '<>', probe.case_id);
  const rows = await q.limit(500).execute();
  let kept = 0;
  for (const row of rows) {
    const candidate = linkRecordOf(row.id, decryptIdentity(ctx.keyring, row.id, row.identity_enc), {
      gender: row.gender,
      region: row.region,
      ageBand: row.age_band,
      seenOn: row.created_at.toISOString().slice(0, 10),
    });
    const explanation = explain(probeRecord, candidate, MODEL);
    if (explanation.probability < REVIEW_THRESHOLD) continue;
    kept += 1;
    await ctx.db
      .insertInto('child_link')
      .values({
        child_id: probe.id,
        candidate_child_id: row.id,
        probability: explanation.probability,
        explanation: JSON.stringify(storedExplanation(explanation)),
        model: MODEL_NAME,
      })
      .onConflict((oc) =>
        oc
          .columns(['child_id', 'candidate_child_id'])
          .doUpdateSet({
            probability: explanation.probability,
            explanation: JSON.stringify(storedExplanation(explanation)),
            model: MODEL_NAME,
            updated_at: new Date(),
          })
          .where('child_link.status', '=', 'candidate'),
      )
      .execute();
  }
  return kept;
}
