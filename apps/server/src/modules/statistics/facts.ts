import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import {
  childEncoding,
  deduplicate,
  deduplicateEncoded,
  defaultChildModel,
  Encoder,
  type EncodedRecord,
  type LinkRecord,
} from '@tiaki/linkage';
import { decryptIdentity } from '../child-record/index.ts';
import { linkRecordOf } from '../linkage/index.ts';
import { childEncodedContext } from '../child-record/index.ts';
import {
  actAsStatisticsRole,
  candidateLinkUnits,
  countChildUnits,
  encodedChildrenIn,
  namedChildrenIn,
  rejectedLinkUnits,
  type FactFilter,
} from './queries/facts.ts';

export type { FactFilter, Period } from './queries/facts.ts';

/**
 * Runs statistics queries as the database role tiaki_stats, which may read the fact views and
 * nothing else: the database itself refuses any read of identity, narrative or encrypted columns.
 */
export async function withFacts<T>(
  ctx: AppContext,
  fn: (trx: Transaction<Schema>) => Promise<T>,
): Promise<T> {
  return factsDb(ctx)
    .transaction()
    .execute(async (trx) => {
      await actAsStatisticsRole(trx);
      return fn(trx);
    });
}

/** The database statistics read from: the replica when one is configured, else the primary. */
export function factsDb(ctx: AppContext): Db {
  return ctx.statsDb ?? ctx.db;
}

/**
 * Distinct children referred in a period: each child counted once, however many referrals and
 * agencies reported them — confirmed links (a referral added to a child's case, merged cases)
 * make one child of many records. Referrals not yet triaged count as their own child until a
 * person links them.
 */
export async function distinctChildren(ctx: AppContext, period: FactFilter): Promise<number> {
  const units = await withFacts(ctx, (trx) => countChildUnits(trx, period));
  return units - (await encodedOverlap(ctx, period)) - (await automaticOverlap(ctx, period));
}

/**
 * With STATS_AUTO_LINK_PROBABILITY set: records the engine matched with at least that probability,
 * not yet reviewed by a person, count as one child. Rejected links never join; confirmed ones
 * already share a case. Returns how many counted units such links fold together.
 */
export async function automaticOverlap(ctx: AppContext, period: FactFilter): Promise<number> {
  const threshold = ctx.config.statsAutoLinkProbability;
  if (threshold === null) return 0;
  const links = await candidateLinkUnits(factsDb(ctx), period, threshold);
  // Union-find over counting units: each union of two different groups removes one child.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  let folded = 0;
  for (const { a, b } of links) {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) continue;
    parent.set(ra, rb);
    folded += 1;
  }
  return folded;
}

/** The engine's estimate of distinct children, beside what is published, for data stewards. */
export interface DistinctChildrenEstimate {
  /** Estimated distinct children: units (cases, else children) less those the engine folds into others. */
  children: number;
  /** The published count, as `distinctChildren` gives it. */
  published: number;
  /** Counting units (cases, else children) the engine's clusters fold into others. */
  folded: number;
  /** Named children the engine compared. */
  compared: number;
}

/**
 * Distinct children as the linkage engine estimates them, before anyone has reviewed a match: the
 * named children of the period (and region) are deduplicated with the model triage scores with,
 * and each cluster (every pair across two groups at least 50 % likely on average, the engine's
 * match rule) counts as one child. People's decisions stay in charge: a case (confirmed links and
 * merges) is one unit from the start, and two units a person has said are not the same child are
 * never joined. Unlike the published figure, this is an estimate and is shown as one; the
 * published figure counts each referral nobody has linked as a child of its own, so it counts a
 * child referred by three agencies three times until triage links them.
 */
export async function estimatedDistinctChildren(
  ctx: AppContext,
  period: FactFilter,
): Promise<DistinctChildrenEstimate> {
  const units = await withFacts(ctx, (trx) => countChildUnits(trx, period));
  const encoded = await encodedOverlap(ctx, period);
  const published = units - encoded - (await automaticOverlap(ctx, period));
  const named = await namedChildrenIn(factsDb(ctx), period);
  const unitOf = new Map<string, string>();
  const records: LinkRecord[] = [];
  for (const row of named) {
    if (unitOf.has(row.id)) continue; // a child with several referrals in the period
    unitOf.set(row.id, row.case_id ?? row.id);
    records.push(
      linkRecordOf(row.id, decryptIdentity(ctx.keyring, row.id, row.identity_enc), {
        gender: row.gender,
        region: row.region,
        ageBand: row.age_band,
        seenOn: row.received_on,
      }),
    );
  }
  const folded = await foldedByClusters(ctx, records, unitOf);
  return { children: units - encoded - folded, published, folded, compared: records.length };
}

/** Units joined by the engine's clusters (union–find), never two that a person kept apart. */
async function foldedByClusters(
  ctx: AppContext,
  records: LinkRecord[],
  unitOf: ReadonlyMap<string, string>,
): Promise<number> {
  if (records.length < 2) return 0;
  const { clusters } = await deduplicate(records, { model: defaultChildModel(), workers: 0 });
  const apart = new Map<string, Set<string>>();
  for (const { a, b } of await rejectedLinkUnits(factsDb(ctx))) {
    apart.set(a, (apart.get(a) ?? new Set()).add(b));
    apart.set(b, (apart.get(b) ?? new Set()).add(a));
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while ((parent.get(root) ?? root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  // Members of a group that a person kept apart from the group so far stay out (kept per root).
  const keptApart = (ra: string, rb: string) => {
    for (const [unit, others] of apart) {
      if (find(unit) !== ra) continue;
      for (const other of others) if (find(other) === rb) return true;
    }
    return false;
  };
  let folded = 0;
  for (const cluster of clusters) {
    const [first, ...rest] = cluster.map((id) => unitOf.get(id)).filter((u) => u !== undefined);
    if (first === undefined) continue;
    for (const unit of rest) {
      const [ra, rb] = [find(first), find(unit)];
      if (ra === rb || keptApart(ra, rb)) continue;
      parent.set(rb, ra);
      folded += 1;
    }
  }
  return folded;
}

/**
 * Anonymous referrals join the count: an agency that may not name a child sends encodings, and
 * each encoded record the engine finds to be a child already counted (named, or encoded by another
 * agency) is not counted again. Named children are never merged here: only people link those.
 */
export async function encodedOverlap(ctx: AppContext, period: FactFilter): Promise<number> {
  const encodedRows = await encodedChildrenIn(factsDb(ctx), period);
  if (encodedRows.length === 0) return 0;
  const unitOf = new Map<string, { unit: string; named: boolean }>();
  const records: EncodedRecord[] = [];
  for (const row of encodedRows) {
    if (!row.encoded_enc) continue;
    const encoded = JSON.parse(ctx.keyring.decrypt(row.encoded_enc, childEncodedContext(row.id))) as {
      clks: string[];
      blocks: string[];
    };
    records.push({ id: `e:${row.id}`, clks: encoded.clks, blocks: encoded.blocks });
    unitOf.set(`e:${row.id}`, { unit: row.case_id ?? row.id, named: false });
  }
  if (ctx.config.linkageSecret) {
    // Named children of the same period, encoded in memory with the agencies' secret, so that an
    // anonymous referral about a child already named is recognised.
    const encoder = new Encoder({ secret: ctx.config.linkageSecret }, childEncoding());
    const named = await namedChildrenIn(factsDb(ctx), period);
    for (const row of named) {
      const record = linkRecordOf(`c:${row.id}`, decryptIdentity(ctx.keyring, row.id, row.identity_enc), {
        gender: row.gender,
        region: row.region,
        ageBand: row.age_band,
        seenOn: row.received_on,
      });
      const { clks, blocks } = encoder.encode(record);
      records.push({ id: record.id, clks, blocks });
      unitOf.set(record.id, { unit: row.case_id ?? row.id, named: true });
    }
  }
  const { clusters } = deduplicateEncoded(records);
  let overlap = 0;
  for (const cluster of clusters) {
    const members = cluster.map((id) => unitOf.get(id)).filter((m) => m !== undefined);
    if (!members.some((m) => !m.named)) continue;
    const units = new Set(members.map((m) => m.unit)).size;
    const namedUnits = new Set(members.filter((m) => m.named).map((m) => m.unit)).size;
    overlap += units - Math.max(1, namedUnits);
  }
  return overlap;
}
