/**
 * Fits the model Tiaki uses until an installation has enough children of its own: EM on
 * synthetic NZ-style records from the seeded generator (no real person), written as JSON.
 * Run: npx tsx packages/linkage/src/scripts/train-default-model.ts
 */
import { writeFileSync } from 'node:fs';
import { childConfig, estimate, generateRecords } from '../index.ts';

const records = [...generateRecords({ count: 20_000, seed: 7 })];
const model = await estimate(records, { config: childConfig() });
const out = new URL('../../models/child-default.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(model, null, 1)}\n`);
console.log(
  `Wrote ${out.pathname}: ${records.length} synthetic records, lambda ${model.lambda.toExponential(2)}`,
);
