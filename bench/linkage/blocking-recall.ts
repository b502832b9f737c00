// Pairs completeness of blocking, per kind of difference between the two records of one child:
// which true pairs are never compared, and why. Two-agency NZ files, several seeds.
//   npx tsx bench/linkage/blocking-recall.ts [--seeds 1,2,3] [--count 5000] [--overlap 0.6]
import { parseArgs } from 'node:util';
import { febrlConfig, type KeyPart, type LinkRecord } from '@tiaki/linkage';
import { candidatePairs } from '../../packages/linkage/src/blocking.ts';
import { Dataset } from '../../packages/linkage/src/comparisons.ts';
import { prepare } from '../../packages/linkage/src/prepare.ts';
import { generateAgencyPair } from '../../packages/linkage/src/generate-agencies.ts';
import { differences } from './differences.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    count: { type: 'string', default: '5000' },
    overlap: { type: 'string', default: '0.6' },
    /** Blocking rules to try instead of febrlConfig()'s: "dateOfBirth;givenPhonetic+familyPhonetic". */
    rules: { type: 'string' },
  },
});

for (const seed of values.seeds.split(',').map(Number)) {
  const { left, right } = generateAgencyPair({
    count: Number(values.count),
    seed,
    overlap: Number(values.overlap),
  });
  const config = febrlConfig();
  if (values.rules)
    config.blocking = values.rules.split(';').map((r) => ({ parts: r.split('+') as KeyPart[] }));
  const prepared = prepare(config, left, right);
  const data = new Dataset(prepared.strings, prepared.columns);
  const n = left.length;
  const found = new Set<number>();
  let candidates = 0;
  for (const chunk of candidatePairs(data, config.blocking, {
    mode: 'link',
    maxBlockSize: config.maxBlockSize ?? 2000,
  })) {
    for (let k = 0; k < chunk.length; k += 2) {
      candidates++;
      const i = chunk[k] ?? 0;
      const j = chunk[k + 1] ?? 0;
      const a = prepared.ids[i] ?? '';
      const b = prepared.ids[j] ?? '';
      if (a.split('-')[1] === b.split('-')[1]) found.add(Math.min(i, j) * 1e5 + Math.max(i, j));
    }
  }
  const byChild = new Map<string, number>();
  right.forEach((r, j) => byChild.set(r.id.split('-')[1] ?? '', j));
  const tally = new Map<string, [number, number]>();
  let truePairs = 0;
  let missed = 0;
  left.forEach((l, i) => {
    const j = byChild.get(l.id.split('-')[1] ?? '');
    if (j === undefined) return;
    truePairs++;
    const hit = found.has(i * 1e5 + (n + j));
    if (!hit) missed++;
    for (const kind of differences(l, right[j] as LinkRecord)) {
      const t = tally.get(kind) ?? [0, 0];
      t[0]++;
      if (hit) t[1]++;
      tally.set(kind, t);
    }
  });
  console.log(
    `seed ${seed}: ${truePairs} true pairs, ${candidates} candidate pairs, pairs completeness ${((truePairs - missed) / truePairs).toFixed(4)}`,
  );
  for (const [kind, [all, hit]] of [...tally].sort((x, y) => y[1][0] - x[1][0]))
    console.log(`  ${kind.padEnd(32)} ${String(all).padStart(5)}  found ${(hit / all).toFixed(3)}`);
}
