// Where the one-file generator's true pairs are lost at scale: pairs completeness of each blocking
// rule and of all together, candidate pairs per rule, and the kinds of pair no rule compares.
//   npx tsx bench/linkage/million-blocking.ts [--count 200000] [--seed 1] [--rules "a+b;c"]
import { parseArgs } from 'node:util';
import { childConfig, entityOf, generateRecords, type KeyPart } from '@tiaki/linkage';
import { candidatePairs } from '../../packages/linkage/src/blocking.ts';
import { Dataset } from '../../packages/linkage/src/comparisons.ts';
import { prepare } from '../../packages/linkage/src/prepare.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    rules: { type: 'string' },
  },
});
const records = [...generateRecords({ count: Number(values.count), seed: Number(values.seed) })];
const config = childConfig();
if (values.rules)
  config.blocking = values.rules.split(';').map((r) => ({ parts: r.split('+') as KeyPart[] }));
const prepared = prepare(config, records);
const data = new Dataset(prepared.strings, prepared.columns);
const entity = prepared.ids.map(entityOf);
const byEntity = new Map<string, number[]>();
entity.forEach((e, r) => byEntity.set(e, [...(byEntity.get(e) ?? []), r]));
let truePairs = 0;
for (const rs of byEntity.values()) truePairs += (rs.length * (rs.length - 1)) / 2;
const key = (i: number, j: number) => i * 4_194_304 + j;
const foundAll = new Set<number>();
for (const rule of config.blocking) {
  let candidates = 0;
  let found = 0;
  const t0 = performance.now();
  for (const chunk of candidatePairs(data, [rule], {
    mode: 'dedupe',
    maxBlockSize: config.maxBlockSize ?? 2000,
  })) {
    for (let k = 0; k < chunk.length; k += 2) {
      const i = chunk[k] ?? 0;
      const j = chunk[k + 1] ?? 0;
      candidates++;
      if (entity[i] === entity[j]) {
        found++;
        foundAll.add(key(i, j));
      }
    }
  }
  console.log(
    `${rule.parts.join('+').padEnd(40)} candidates ${candidates.toLocaleString('en-NZ').padStart(12)}  true found ${(found / truePairs).toFixed(4)}  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
console.log(
  `all rules: ${(foundAll.size / truePairs).toFixed(4)} of ${truePairs.toLocaleString('en-NZ')} true pairs`,
);
// Kinds of missed pair.
const kinds = new Map<string, number>();
for (const rs of byEntity.values())
  for (let x = 0; x < rs.length; x++)
    for (let y = x + 1; y < rs.length; y++) {
      const i = Math.min(rs[x] ?? 0, rs[y] ?? 0);
      const j = Math.max(rs[x] ?? 0, rs[y] ?? 0);
      const a = records[i];
      const b = records[j];
      if (foundAll.has(key(i, j)) || !a || !b) continue;
      const dob =
        !a.dateOfBirth || !b.dateOfBirth
          ? 'no dob'
          : a.dateOfBirth === b.dateOfBirth
            ? 'same dob'
            : 'dob differs';
      const given =
        a.givenNames[0]?.toLowerCase() === b.givenNames[0]?.toLowerCase() ? 'same given' : 'given differs';
      const family =
        a.familyNames[0]?.toLowerCase() === b.familyNames[0]?.toLowerCase()
          ? 'same family'
          : 'family differs';
      const k = `${dob}, ${given}, ${family}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
for (const [k, n] of [...kinds].sort((p, q) => q[1] - p[1])) console.log(`  missed: ${k}: ${n}`);
