import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { Schema } from '../../db/schema.ts';
import { childEncoding, deduplicateEncoded, Encoder, type EncodedRecord } from '@tiaki/linkage';
import { decryptIdentity } from '../child-record/index.ts';
import { linkRecordOf } from '../linkage/index.ts';
import { childEncodedContext } from '../child-record/index.ts';
import {
  actAsStatisticsRole,
  candidateLinkUnits,
  countChildUnits,
  encodedChildrenIn,
  namedChildrenIn,
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
