// The engine beside the simple baseline on the same two-agency NZ files, several seeds, and on
// FEBRL, in one run. Nothing here is tuned on: the files are generated fresh for each seed.
//   npx tsx bench/linkage/nz-agencies.ts [--seeds 11,12,13] [--count 5000] [--overlap 0.6] [--febrl] [--encoded | --encoded-only] [--no-baseline]
//   npx tsx bench/linkage/nz-agencies.ts --seeds 1,2,3,4 --calibration-compare [--calibrations none,one-to-one]
//   npx tsx bench/linkage/nz-agencies.ts --seeds 1,2,3,4 --groups fixed,joint (address weighed both ways, one run)
import { parseArgs } from 'node:util';
import {
  deduplicate,
  deduplicateEncoded,
  Encoder,
  entityOf,
  evaluateClusters,
  evaluateLinks,
  febrlConfig,
  febrlEncoding,
  febrlFieldEncoding,
  link,
  linkEncoded,
  readRecords,
  type LinkRecord,
  type Quality,
} from '@tiaki/linkage';
import { generateAgencyPair } from '../../packages/linkage/src/generate-agencies.ts';
import { baselineLink } from './baseline.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '11,12,13' },
    count: { type: 'string', default: '5000' },
    overlap: { type: 'string' },
    febrl: { type: 'boolean', default: false },
    encoded: { type: 'boolean', default: false },
    /** Only the encoded link (to measure a change to it without running the rest again). */
    'encoded-only': { type: 'boolean', default: false },
    'no-nz': { type: 'boolean', default: false },
    /** Leave the simple baseline out (it is slow: unindexed all-pairs scoring within blocks). */
    'no-baseline': { type: 'boolean', default: false },
    /** Only the simple baseline (it needs no engine: to complete a run that left it out). */
    'baseline-only': { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
    /** 'fields' (default): one encoding per field, weighed field by field; 'record': one per record. */
    encoding: { type: 'string', default: 'fields' },
    /**
     * Clear engine, one-to-one only, before and after the one-to-one calibration (round eight)
     * in the same run, with the calibration table (predicted band against share true) summed
     * over the seeds.
     */
    'calibration-compare': { type: 'boolean', default: false },
    /** With --calibration-compare: which to run (comma-separated: none, one-to-one). */
    calibrations: { type: 'string', default: 'none,one-to-one' },
    /** Share of records carrying an identifier (NHI-like); the generator's default is 0.15. */
    'identifier-share': { type: 'string' },
    /**
     * How the parts of an address are weighed (comma-separated, each run in turn, clear engine):
     * joint (default: as one comparison, Model.groupChains), fixed (the older fixed rules).
     */
    groups: { type: 'string', default: 'joint' },
  },
});
const workers = Number(values.workers);
const groupModes = values.groups.split(',') as ('joint' | 'fixed')[];
const encoding = () =>
  values.encoding === 'record' ? febrlEncoding() : febrlFieldEncoding(febrlConfig().blocking);

function row(name: string, q: Quality, seconds: number): void {
  console.log(
    `| ${name.padEnd(52)} | ${q.precision.toFixed(4)} | ${q.recall.toFixed(4)} | ${q.f1.toFixed(4)} | ${q.predictedPairs.toString().padStart(6)} / ${q.truePairs.toString().padStart(5)} | ${seconds.toFixed(1).padStart(5)} s |`,
  );
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, (performance.now() - t0) / 1000];
}

const ids = (rs: LinkRecord[]) => rs.map((r) => r.id);

async function twoFiles(
  label: string,
  left: LinkRecord[],
  right: LinkRecord[],
  encoded: boolean,
): Promise<void> {
  const config = febrlConfig();
  if (values['calibration-compare']) {
    for (const calibration of values.calibrations.split(',') as ('none' | 'one-to-one')[]) {
      const [one, t] = await timed(() => link(left, right, { config, workers, oneToOne: true, calibration }));
      const q = evaluateLinks(ids(left), ids(right), one.pairs);
      const c = one.stats.calibration;
      row(
        `${label}: one-to-one, calibration ${calibration}${c ? ` (M ${c.matches.toFixed(0)}, t ${c.threshold.toFixed(3)})` : ` (M ${(one.model.lambda * left.length * right.length).toFixed(0)}, t 0.5)`}`,
        q,
        t,
      );
      const bands = (tables[calibration] ??= BANDS.map(() => [0, 0]));
      for (const p of [...one.pairs, ...one.review]) {
        const k = BANDS.findIndex((b, i) => p.probability >= b && p.probability < (BANDS[i + 1] ?? 2));
        const cell = bands[k];
        if (!cell) continue;
        cell[0] = (cell[0] ?? 0) + 1;
        if (entityOf(p.a) === entityOf(p.b)) cell[1] = (cell[1] ?? 0) + 1;
      }
    }
    return;
  }
  const clear = !values['encoded-only'] && !values['baseline-only'];
  for (const groups of clear ? groupModes : []) {
    const how = groupModes.length > 1 ? ` (address ${groups})` : '';
    const [plain, t1] = await timed(() => link(left, right, { config, workers, groups }));
    row(`${label}: engine${how}`, evaluateLinks(ids(left), ids(right), plain.pairs), t1);
    const [one, t2] = await timed(() => link(left, right, { config, workers, oneToOne: true, groups }));
    row(`${label}: engine, one-to-one${how}`, evaluateLinks(ids(left), ids(right), one.pairs), t2);
  }
  if (encoded && !values['baseline-only']) {
    const encoder = new Encoder({ secret: 'benchmark-only-secret' }, encoding());
    const [res, t3] = await timed(() =>
      linkEncoded(
        left.map((r) => encoder.encode(r)),
        right.map((r) => encoder.encode(r)),
        { oneToOne: true },
      ),
    );
    row(`${label}: engine, encoded, one-to-one`, evaluateLinks(ids(left), ids(right), res.pairs), t3);
  }
  if ((!clear && !values['baseline-only']) || values['no-baseline']) return;
  const [base, t4] = await timed(() => baselineLink(left, right, 0.8));
  row(`${label}: baseline (greedy one-to-one)`, evaluateLinks(ids(left), ids(right), base), t4);
}

const BANDS = [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];
const tables: Record<string, number[][]> = {};

console.log('| data and linker | precision | recall | F1 | predicted / true | time |');
console.log('|---|---:|---:|---:|---:|---:|');
if (!values['no-nz']) {
  for (const seed of values.seeds.split(',').map(Number)) {
    const { left, right, overlap } = generateAgencyPair({
      count: Number(values.count),
      seed,
      ...(values.overlap ? { overlap: Number(values.overlap) } : {}),
      ...(values['identifier-share'] ? { identifierShare: Number(values['identifier-share']) } : {}),
    });
    await twoFiles(
      `NZ agencies seed ${seed} (overlap ${overlap.toFixed(2)})`,
      left,
      right,
      values.encoded || values['encoded-only'],
    );
  }
}
if (values.febrl) {
  const dir = 'packages/linkage/reference/febrl';
  const d3 = await readRecords(`${dir}/dataset3.csv`, 'febrl');
  for (const groups of values['encoded-only'] ? [] : groupModes) {
    const [dd, t] = await timed(() => deduplicate(d3, { config: febrlConfig(), workers, groups }));
    const how = groupModes.length > 1 ? ` (address ${groups})` : '';
    row(`FEBRL 3 deduplicate: engine${how}`, evaluateClusters(ids(d3), dd.clusters), t);
  }
  if (values.encoded || values['encoded-only']) {
    const encoder = new Encoder({ secret: 'benchmark-only-secret' }, encoding());
    const [de, te] = await timed(() => deduplicateEncoded(d3.map((r) => encoder.encode(r))));
    row('FEBRL 3 deduplicate: engine, encoded', evaluateClusters(ids(d3), de.clusters), te);
  }
  for (const n of [1, 2, 3]) {
    const all = await readRecords(`${dir}/dataset${n}.csv`, 'febrl');
    const left = all.filter((r) => r.id.endsWith('-org'));
    const right = all.filter((r) => r.id.endsWith('-dup-0'));
    await twoFiles(
      `FEBRL ${n} originals vs first duplicates`,
      left,
      right,
      values.encoded || values['encoded-only'],
    );
  }
}

for (const [name, bands] of Object.entries(tables)) {
  console.log(`\nCalibration, ${name}: pairs at 10 % or more (linked and for review), summed over the seeds`);
  console.log('| predicted | pairs | share one child |');
  console.log('|---|---:|---:|');
  bands.forEach(([n = 0, t = 0], k) => {
    const hi = BANDS[k + 1];
    console.log(
      `| ${(100 * (BANDS[k] ?? 0)).toFixed(0)}–${hi ? (100 * hi).toFixed(0) : 100} % | ${n} | ${n ? ((100 * t) / n).toFixed(0) : '–'} % |`,
    );
  });
}
