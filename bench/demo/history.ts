// Demo history speed: a fresh embedded database with the demo organisations and accounts, then
// DEMO_HISTORY_REFERRALS referrals of synthetic history (what `serve` adds in the background once
// the demo is ready), timed.
//
//   npx tsx bench/demo/history.ts [--referrals 300]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../apps/server/src/config.ts';
import { seedDemoData, seedDemoHistoryFor } from '../../apps/server/src/demo/seed.ts';
import { createContext } from '../../apps/server/src/runtime.ts';

const { values } = parseArgs({ options: { referrals: { type: 'string', default: '300' } } });
const referrals = Number(values.referrals);
const dir = `/tmp/tiaki-bench-demo-${process.pid}`;
rmSync(dir, { recursive: true, force: true });
const started = performance.now();
const ctx = await createContext(
  loadConfig({ PATH: process.env.PATH ?? '', DATA_DIR: dir, LOG_LEVEL: 'warn' }),
);
await seedDemoData(ctx, { historyReferrals: 0 });
const ready = performance.now();
await seedDemoHistoryFor(ctx, referrals);
const done = performance.now();
const count = async (sql: string) => (await ctx.database.owner.query<{ n: number }>(sql))[0]?.n ?? 0;
console.log(
  JSON.stringify({
    referrals,
    readyMs: Math.round(ready - started),
    historyMs: Math.round(done - ready),
    cases: await count('SELECT count(*)::int AS n FROM case_record'),
    closed: await count(`SELECT count(*)::int AS n FROM case_record WHERE status = 'closed'`),
    decisions: await count(`SELECT count(*)::int AS n FROM decision WHERE status = 'made'`),
  }),
);
await ctx.database.close();
rmSync(dir, { recursive: true, force: true });
