import type { AppContext } from '../../context.ts';
import { decryptIdentity } from '../child-record/index.ts';
import { enqueue } from '../jobs/index.ts';
import { identifiedChildrenAfter, setNameIndexes } from './queries.ts';
import { blockIndexes, nameIndexes } from './service.ts';

export const REINDEX_NAMES_JOB = 'child-record.reindex-names';
const CHILDREN_PER_BATCH = 500;

/**
 * Recomputes the keyed name and blocking indexes of identified children, a batch at a time, after
 * the name matcher changed (a migration queues the first batch). The indexes are keyed hashes the
 * database cannot compute, so this runs in the application; each batch queues the next, and a
 * batch done twice gives the same result. Returns how many children the batch re-indexed.
 */
export async function reindexChildNames(
  ctx: AppContext,
  after: string | null,
  batchSize = CHILDREN_PER_BATCH,
): Promise<number> {
  const children = await identifiedChildrenAfter(ctx.db, after, batchSize);
  if (children.length === 0) return 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const child of children) {
      const identity = decryptIdentity(ctx.keyring, child.id, child.identity_enc);
      await setNameIndexes(trx, child.id, {
        name_index: nameIndexes(ctx.keyring, identity),
        block_index: blockIndexes(ctx.keyring, identity),
      });
    }
    if (children.length === batchSize)
      await enqueue(trx, REINDEX_NAMES_JOB, { after: children.at(-1)?.id ?? null });
  });
  return children.length;
}
