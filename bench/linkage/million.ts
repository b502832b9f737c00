// Deduplicates N synthetic NZ child records end to end (default 1,000,000), streaming them from
// the seeded generator straight into the engine, and prints time, peak memory and quality.
//   npx tsx bench/linkage/million.ts [--count 1000000] [--seed 1] [--workers 2] [--rules "a+b;c"]
// --rules: blocking rules instead of childConfig()'s (e.g. an earlier set, for a before/after).
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { childConfig, deduplicate, evaluateClusters, generateRecords, type KeyPart } from '@tiaki/linkage';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: String(availableParallelism()) },
    rules: { type: 'string' },
  },
});
const config = childConfig();
if (values.rules)
  config.blocking = values.rules.split(';').map((rule) => ({ parts: rule.split('+') as KeyPart[] }));
const count = Number(values.count);
const seed = Number(values.seed);

let last = 0;
const start = performance.now();
const result = await deduplicate(generateRecords({ count, seed }), {
  config,
  workers: Number(values.workers),
  onProgress: (e) => {
    const now = performance.now();
    if (now - last < 500) return;
    last = now;
    const total = e.total ? ` / ${e.total.toLocaleString('en-NZ')}` : '';
    process.stderr.write(`\r${e.phase}: ${e.done.toLocaleString('en-NZ')}${total}          `);
  },
});
const seconds = (performance.now() - start) / 1000;
process.stderr.write('\n');
const peakMiB = process.resourceUsage().maxRSS / 1024;

// Quality from the ids (generated again, not timed).
const ids = (function* () {
  for (const r of generateRecords({ count, seed })) yield r.id;
})();
const q = evaluateClusters(ids, result.clusters);
const s = result.stats;
console.log(
  `records                 ${s.records.toLocaleString('en-NZ')} (generated and prepared while streaming)`,
);
console.log(`candidate pairs scored  ${s.candidatePairs.toLocaleString('en-NZ')}`);
console.log(
  `links / review pairs    ${s.links.toLocaleString('en-NZ')} / ${s.reviewPairs.toLocaleString('en-NZ')}`,
);
console.log(`clusters (2+ records)   ${result.clusters.length.toLocaleString('en-NZ')}`);
console.log(`precision recall F1     ${q.precision.toFixed(4)} ${q.recall.toFixed(4)} ${q.f1.toFixed(4)}`);
console.log(`time                    ${seconds.toFixed(1)} s (workers: ${values.workers})`);
console.log(`phases (ms)             ${JSON.stringify(s.millis)}`);
console.log(`peak memory (RSS)       ${peakMiB.toFixed(0)} MiB`);
console.log(`blocking rules          ${config.blocking.map((r) => r.parts.join('+')).join('; ')}`);
console.log(
  `load average            ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
