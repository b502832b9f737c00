// Statistics over the benchmark data (run `npm run bench:data` first): every request the
// dashboard and trends screens make, for short and long periods, nationally and for a region,
// timed over HTTP against a real server process as an analyst; then the quarterly bulletin
// (HTML and PDF) through the API.
//   npx tsx bench/statistics/dashboard.ts [--driver postgres] [--repeat 5]
import { parseArgs } from 'node:util';
import { newZealandToday } from '@tiaki/domain';
import { lastCompleteQuarter, quarterPeriod } from '../../apps/server/src/modules/statistics/publications.ts';
import { openBenchDatabase, sessionFor, startBenchServer, usersWith } from '../server.ts';
import { formatCount, percentile, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    repeat: { type: 'string', default: '5' },
  },
});
const driver = values.driver as Driver;
const repeat = Number(values.repeat);

async function main() {
  const database = await openBenchDatabase(driver);
  const referrals = Number(
    (await database.owner.query<{ n: string }>('SELECT count(*) AS n FROM referral'))[0]?.n ?? 0,
  );
  const analyst = await sessionFor(database, (await usersWith(database, 'analyst'))[0] ?? '');
  await database.close();
  const server = await startBenchServer(driver);

  const today = newZealandToday(new Date());
  const quarter = quarterPeriod(lastCompleteQuarter(today));
  // Analysts may ask for standard periods only (a month, a quarter, a calendar year).
  const lastYear = Number(today.slice(0, 4)) - 1;
  const month = quarter.to.slice(0, 7);
  const periods: [string, string, string][] = [
    ['last month of the quarter', `${month}-01`, quarter.to],
    ['last quarter', quarter.from, quarter.to],
    ['last calendar year', `${lastYear}-01-01`, `${lastYear}-12-31`],
    ['year before', `${lastYear - 1}-01-01`, `${lastYear - 1}-12-31`],
  ];
  const timings = new Map<string, number[]>();
  // The first request for a period computes it; later ones are served until a fact changes.
  const cold: number[] = [];
  const warm: number[] = [];
  let round = 0;
  const get = async (label: string, path: string) => {
    const t0 = performance.now();
    const response = await fetch(`${server.base}${path}`, { headers: { cookie: analyst.cookie } });
    await response.arrayBuffer();
    const ms = performance.now() - t0;
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    timings.set(label, [...(timings.get(label) ?? []), ms]);
    (round === 0 ? cold : warm).push(ms);
    return ms;
  };
  // One warm-up pass (first queries plan and fill caches), not counted.
  for (const [, from, to] of periods)
    await fetch(`${server.base}/api/statistics?from=${from}&to=${to}`, {
      headers: { cookie: analyst.cookie },
    });
  for (round = 0; round < repeat; round++)
    for (const [name, from, to] of periods)
      for (const region of ['', '02', '12'])
        for (const endpoint of ['statistics', 'statistics/trends']) {
          const query = `from=${from}&to=${to}${region ? `&region=${region}` : ''}`;
          await get(
            `${endpoint} · ${name}${region ? ` · region ${region}` : ''}`,
            `/api/${endpoint}?${query}`,
          );
        }
  const bulletin: Record<string, number> = {};
  for (const format of ['json', 'html', 'pdf'] as const) {
    const t0 = performance.now();
    const path =
      format === 'json'
        ? '/api/statistics/publications/bulletin'
        : `/api/statistics/publications/bulletin/download?format=${format}`;
    const response = await fetch(`${server.base}${path}`, { headers: { cookie: analyst.cookie } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    bulletin[format] = performance.now() - t0;
  }
  await server.stop();

  const all = [...timings.values()].flat().sort((a, b) => a - b);
  const summary = (label: string, list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(18)}${sorted.length} requests: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${percentile(sorted, 100).toFixed(0)} ms`,
    );
  };
  console.log(`driver            ${driver}, ${formatCount(referrals)} referrals`);
  summary('dashboard', all);
  summary('  computed', cold);
  summary('  kept', warm);
  for (const endpoint of ['statistics', 'statistics/trends'])
    for (const [name] of periods) {
      const own = [...timings.entries()]
        .filter(([label]) => label.startsWith(`${endpoint} · ${name}`))
        .flatMap(([, ms]) => ms)
        .sort((a, b) => a - b);
      console.log(
        `  ${`${endpoint} · ${name}`.padEnd(36)} p50 ${percentile(own, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(own, 95).toFixed(0).padStart(5)} ms`,
      );
    }
  console.log(
    `bulletin ${quarter.from}–${quarter.to}: JSON ${(bulletin.json ?? 0).toFixed(0)} ms, HTML ${(bulletin.html ?? 0).toFixed(0)} ms, PDF ${((bulletin.pdf ?? 0) / 1000).toFixed(1)} s`,
  );
}

await main();
