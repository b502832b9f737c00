import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { febrlConfig } from './config.ts';
import { readRecords } from './csv.ts';
import { Encoder, febrlEncoding } from './encode.ts';
import { linkEncoded } from './encoded.ts';
import { evaluateClusters, evaluateLinks } from './evaluate.ts';
import { deduplicate, link } from './linkage.ts';

// Kept in the repository (reference/febrl/SOURCE.md), so these never skip.
const FEBRL = fileURLToPath(new URL('../reference/febrl/', import.meta.url));

describe('FEBRL reference data', () => {
  it('deduplicates FEBRL dataset 3 with F1 above 0.95, parameters learnt without labels', async () => {
    const records = await readRecords(`${FEBRL}dataset3.csv`, 'febrl');
    const result = await deduplicate(records, { config: febrlConfig(), workers: 0, randomPairs: 50_000 });
    const q = evaluateClusters(
      records.map((r) => r.id),
      result.clusters,
    );
    expect(q.truePairs).toBe(6538);
    expect(q.f1).toBeGreaterThan(0.95);
    expect(result.stats.candidatePairs).toBeLessThan(50_000);
  });

  it('links originals to duplicates of dataset 1, in clear text and encoded', async () => {
    const records = await readRecords(`${FEBRL}dataset1.csv`, 'febrl');
    const left = records.filter((r) => r.id.endsWith('-org'));
    const right = records.filter((r) => !r.id.endsWith('-org'));
    const clear = await link(left, right, {
      config: febrlConfig(),
      workers: 0,
      randomPairs: 50_000,
      oneToOne: true,
    });
    const ids = (xs: typeof records) => xs.map((r) => r.id);
    expect(evaluateLinks(ids(left), ids(right), clear.pairs).f1).toBeGreaterThan(0.98);
    const encoder = new Encoder({ secret: 'test only' }, febrlEncoding());
    const encoded = linkEncoded(
      left.map((r) => encoder.encode(r)),
      right.map((r) => encoder.encode(r)),
      { oneToOne: true },
    );
    expect(evaluateLinks(ids(left), ids(right), encoded.pairs).f1).toBeGreaterThan(0.97);
  });
});
