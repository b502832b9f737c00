import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { decryptIdentity } from '../child-record/index.ts';
import { REINDEX_NAMES_JOB, reindexChildNames } from './reindex.ts';
import { blockIndexes, nameIndexes } from './service.ts';

describe.each(DRIVERS)("re-indexing children's names on %s", (driver) => {
  const suite = caseWorldFor(driver);

  it('queues nothing on a new installation: there is no child to re-index', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM job
      WHERE kind = ${REINDEX_NAMES_JOB}`.execute(suite.ctx.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('recomputes every identified child’s name and blocking indexes in batches, each queueing the next', async () => {
    for (const [givenNames, familyName] of [
      ['Mere', "O'Neil"],
      ['Sione', 'Tuʻipulotu'],
      ['Hōhepa', 'Te Whāiti'],
    ] as const)
      await suite.world.submitReferral({}, { givenNames, familyName });
    await suite.world.submitReferral(
      {},
      {
        identified: false,
        givenNames: undefined,
        familyName: undefined,
        dateOfBirth: undefined,
        currentLocation: undefined,
        aliases: [],
        estimatedAge: 14,
      },
    );
    // Indexes as an older name matcher left them: no longer what look-ups compute.
    await sql`UPDATE child SET name_index = '{stale}', block_index = '{stale}' WHERE identified`.execute(
      suite.ctx.db,
    );

    expect(await reindexChildNames(suite.ctx, null, 2)).toBe(2);
    const queued = await suite.ctx.db
      .selectFrom('job')
      .select(['payload'])
      .where('kind', '=', REINDEX_NAMES_JOB)
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toHaveLength(1);
    const after = queued[0]!.payload.after as string;
    expect(await reindexChildNames(suite.ctx, after, 2)).toBe(1);

    const children = await suite.ctx.db
      .selectFrom('child')
      .select(['id', 'identified', 'identity_enc', 'name_index', 'block_index'])
      .execute();
    const identified = children.filter((c) => c.identified);
    expect(identified).toHaveLength(3);
    for (const child of identified) {
      const identity = decryptIdentity(suite.ctx.keyring, child.id, child.identity_enc);
      expect(child.name_index).toEqual(nameIndexes(suite.ctx.keyring, identity));
      expect(child.block_index).toEqual(blockIndexes(suite.ctx.keyring, identity));
      expect(child.name_index).not.toContain('stale');
    }
    // A child who is not named has no name to index.
    expect(children.find((c) => !c.identified)?.name_index).toEqual([]);
  });
});
