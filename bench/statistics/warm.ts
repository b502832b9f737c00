// Statistics ready before anyone asks (issue 17), on the benchmark data (`npm run bench:data`
// first): the first request for a standard period after the facts change, with the warming job off
// (the first reader computes) and on (the job computes in the background; the first reader is
// answered from what it kept), in one run on the same data. Then the same requests in a fresh
// server process that did not compute anything (the job's snapshots in the database), and one
// custom period of exact figures (data stewards) computed in-process.
//   npx tsx bench/statistics/warm.ts [--driver postgres] [--periods 2]
import { parseArgs } from 'node:util';
import { addCalendarDays, newZealandToday } from '@tiaki/domain';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { statisticsReport } from '../../apps/server/src/modules/statistics/tables.ts';
import { reportPeriodsToWarm } from '../../apps/server/src/modules/statistics/warm.ts';
import { openBenchDatabase, sessionFor, startBenchServer, usersWith } from '../server.ts';
import { benchEnv, formatCount, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    periods: { type: 'string', default: '2' },
    // Leaves out the measurement with the job off (the first reader computing).
    'after-only': { type: 'boolean', default: false },
  },
});
const driver = values.driver as Driver;
const periodCount = Number(values.periods);
const AREAS = ['', '02', '12'];

async function main() {
  const database = await openBenchDatabase(driver);
  const referrals = Number(
    (await database.owner.query<{ n: string }>('SELECT count(*) AS n FROM referral'))[0]?.n ?? 0,
  );
  const analyst = await sessionFor(database, (await usersWith(database, 'analyst'))[0] ?? '');
  /** A fact change: every kept statistic is out of date. */
  const change = async () =>
    Number(
      (await database.owner.query<{ n: string }>(`SELECT nextval('fact_change_seq')::text AS n`))[0]?.n ?? 0,
    );
  const warmedAt = async () =>
    Number(
      (
        await database.owner.query<{ n: string | null }>(
          'SELECT warmed_change::text AS n FROM statistics_warming',
        )
      )[0]?.n ?? 0,
    );
  const today = newZealandToday(new Date());
  const periods = reportPeriodsToWarm(today).slice(0, periodCount);

  const firstRequests = async (base: string) => {
    const ms: number[] = [];
    for (const p of periods)
      for (const region of AREAS) {
        const t0 = performance.now();
        const response = await fetch(
          `${base}/api/statistics?from=${p.from}&to=${p.to}${region ? `&region=${region}` : ''}`,
          { headers: { cookie: analyst.cookie } },
        );
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`answered ${response.status}`);
        ms.push(performance.now() - t0);
      }
    return ms;
  };
  const show = (label: string, ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(44)} ${sorted.length} requests: median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
    );
  };

  console.log(
    `driver ${driver}, ${formatCount(referrals)} referrals; periods ${periods.map((p) => `${p.from}..${p.to}`).join(', ')}; areas nation, 02, 12`,
  );
  // Before: no warming; the first reader after a change computes.
  if (!values['after-only']) {
    await change();
    const before = await startBenchServer(driver, { STATS_WARM_SECONDS: '0' });
    show('warming off: first request after a change', await firstRequests(before.base));
    show('warming off: asked again (kept)', await firstRequests(before.base));
    await before.stop();
  }

  // After: the job computes after the change, in the background.
  const changed = await change();
  const t0 = performance.now();
  let server = await startBenchServer(driver, {
    STATS_WARM_SECONDS: '2',
    STATS_WARM_PERIODS: String(periodCount),
    JOB_POLL_SECONDS: '1',
  });
  while ((await warmedAt()) < changed) await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(
    `warming on: the job computed every area of ${periods.length} periods in ${((performance.now() - t0) / 1000).toFixed(0)} s after the change (server start included)`,
  );
  show('warming on: first request after the job ran', await firstRequests(server.base));
  await server.stop();
  // Another process, which computed nothing: the job's snapshots.
  server = await startBenchServer(driver, { STATS_WARM_SECONDS: '0' });
  show('another process: first request', await firstRequests(server.base));
  await server.stop();
  await database.close();

  // A custom period (exact figures, data stewards): computed on request.
  const ctx = await createContext(loadConfig(benchEnv(driver)));
  const custom = { from: addCalendarDays(today, -90), to: today };
  const c0 = performance.now();
  await statisticsReport(ctx, custom, true);
  console.log(
    `custom period ${custom.from}..${custom.to}, exact, nation: ${(performance.now() - c0).toFixed(0)} ms`,
  );
  await ctx.database.close();
}

await main();
