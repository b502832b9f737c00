// The first computation of statistics on the benchmark data (`npm run bench:data` first), in
// process, nothing kept: before each request the fact change number moves, so nothing computed
// earlier (in memory or the warming job's snapshots) is used. Custom periods of exact figures (data
// stewards: no release, computed on every request) of 90 days and 3 years, nationally; then the
// published report of the first standard periods (most looked-at first), nationally (which protects
// the period's release for every area) and then for two regions (the release kept, the area's
// report computed). Run it from two checkouts on the same data to compare them.
//   npx tsx bench/statistics/first-request.ts [--driver postgres] [--periods 2] [--repeat 2] [--stats-threads 0]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { addCalendarDays, newZealandToday } from '@tiaki/domain';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createContext } from '../../apps/server/src/runtime.ts';
import { closeStatisticsWorkers } from '../../apps/server/src/modules/statistics/protect-pool.ts';
import { statisticsReport } from '../../apps/server/src/modules/statistics/tables.ts';
import { reportPeriodsToWarm } from '../../apps/server/src/modules/statistics/warm.ts';
import { benchEnv, formatCount, percentile, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    periods: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '2' },
    label: { type: 'string', default: '' },
    // Worker threads protecting releases (STATS_THREADS; 0: the main thread); not given: the default.
    'stats-threads': { type: 'string' },
  },
});
const driver = values.driver as Driver;

async function main() {
  const opening = performance.now();
  const threads = values['stats-threads'];
  const ctx = await createContext(
    loadConfig({
      ...benchEnv(driver),
      STATS_WARM_SECONDS: '0',
      ...(threads === undefined ? {} : { STATS_THREADS: threads }),
    }),
  );
  const label = values.label ? `${values.label}: ` : '';
  // Opening the database applies any migration not yet applied (how long a new one takes).
  console.log(
    `${label}opened in ${(performance.now() - opening).toFixed(0)} ms; migrations applied: ${ctx.database.migrations.applied.join(', ') || 'none'}`,
  );
  const count = async (table: string) =>
    (await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(ctx.db)).rows[0]
      ?.n;
  const change = () => sql`SELECT nextval('fact_change_seq')`.execute(ctx.db);
  const today = newZealandToday(new Date());
  console.log(
    `${label}${driver}, ${formatCount(Number(await count('referral')))} referrals, ${formatCount(Number(await count('decision')))} decisions, ${formatCount(Number(await count('service_referral')))} service referrals`,
  );
  // The longest the process could not answer anything else (a request, a reminder job) meanwhile:
  // computing in JavaScript without a pause blocks every lane of the process.
  const blocked = monitorEventLoopDelay({ resolution: 10 });
  blocked.enable();
  const time = async (what: string, run: () => Promise<unknown>) => {
    await change();
    blocked.reset();
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    console.log(
      `${label}${what.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms (longest block ${(blocked.max / 1e6).toFixed(0)} ms)`,
    );
    return ms;
  };
  // One unmeasured request first: connections opened, plans and catalogues cached.
  await time('(warm-up, not counted) exact, 7 days', () =>
    statisticsReport(ctx, { from: addCalendarDays(today, -7), to: today }, true),
  );
  const customs = [
    ['custom 90 days', addCalendarDays(today, -90)],
    ['custom 3 years', addCalendarDays(today, -3 * 365)],
  ] as const;
  for (let r = 0; r < Number(values.repeat); r++)
    for (const [name, from] of customs)
      await time(`${name} (${from}..${today}), exact, nation`, () =>
        statisticsReport(ctx, { from, to: today }, true),
      );
  const published: number[] = [];
  for (const period of reportPeriodsToWarm(today).slice(0, Number(values.periods))) {
    published.push(
      await time(`published ${period.from}..${period.to}, nation (release)`, () =>
        statisticsReport(ctx, period, false),
      ),
    );
    for (const region of ['02', '12'])
      published.push(
        await time(`published ${period.from}..${period.to}, region ${region}`, () =>
          statisticsReport(ctx, { ...period, region }, false),
        ),
      );
  }
  const sorted = published.sort((a, b) => a - b);
  console.log(
    `${label}published first requests: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${percentile(sorted, 100).toFixed(0)} ms`,
  );
  await closeStatisticsWorkers();
  await ctx.database.close();
}

await main();
