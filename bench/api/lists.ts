// List pages at national volume (run `npm run bench:data` first): the triage queue, the cases
// list, the decisions board and the busiest provider's inbox, as the people who use them, one page at a time with each sort
// and filter the screens offer, and the search box; timed over HTTP against a real server process.
// Requests are sequential (one person paging), so each time is one list page's answer.
//   npx tsx bench/api/lists.ts [--driver postgres] [--repeat 20] [--only cases,search]
// (--only keeps the lists whose label contains one of the words: for looking at a few closely.)
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openBenchDatabase, sessionFor, startBenchServer, usersWith, type BenchSession } from '../server.ts';
import { formatCount, percentile, type Driver } from '../target.ts';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'postgres' },
    repeat: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
});
const driver = values.driver as Driver;
const repeat = Number(values.repeat);

async function main() {
  const database = await openBenchDatabase(driver);
  const db = database.db;
  const count = async (query: ReturnType<typeof sql<{ n: string }>>) =>
    Number((await query.execute(db)).rows[0]?.n ?? 0);
  const referrals = await count(sql<{ n: string }>`SELECT count(*) AS n FROM referral`);
  const waiting = await count(
    sql<{ n: string }>`SELECT count(*) AS n FROM referral WHERE status IN ('submitted', 'in_triage')`,
  );
  const cases = await count(sql<{ n: string }>`SELECT count(*) AS n FROM case_record`);
  // The caseworker on the most cases: the longest list a caseworker has.
  const busiest = (
    await sql<{ user_id: string; n: string }>`
      SELECT user_id, count(*) AS n FROM case_member WHERE removed_at IS NULL
      GROUP BY user_id ORDER BY count(*) DESC LIMIT 1`.execute(db)
  ).rows[0];
  const a = await db
    .selectFrom('case_record')
    .select('reference')
    .orderBy('opened_at', 'desc')
    .executeTakeFirst();
  // A referral waiting for triage, for the queue's reference filter.
  const waitingOne = await db
    .selectFrom('referral')
    .select('reference')
    .where('status', 'in', ['submitted', 'in_triage'])
    .orderBy('received_on', 'desc')
    .executeTakeFirst();
  // The provider with the most service referrals: the longest inbox there is.
  const provider = (
    await sql<{ user_id: string; n: string }>`
      SELECT u.id AS user_id, count(*) AS n FROM service_referral sr
      JOIN app_user u ON u.organisation_id = sr.provider_organisation_id
      WHERE sr.status <> 'proposed' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`.execute(db)
  ).rows[0];
  const people: Record<'triage' | 'decider' | 'caseworker' | 'provider', BenchSession> = {
    triage: await sessionFor(database, (await usersWith(database, 'triage'))[0] ?? ''),
    // A decision maker sees every case the lead agency owns: the longest case list there is.
    decider: await sessionFor(database, (await usersWith(database, 'decision_maker'))[0] ?? ''),
    caseworker: await sessionFor(
      database,
      busiest?.user_id ?? (await usersWith(database, 'caseworker'))[0] ?? '',
    ),
    provider: await sessionFor(
      database,
      provider?.user_id ?? (await usersWith(database, 'service_provider'))[0] ?? '',
    ),
  };
  await database.close();
  const server = await startBenchServer(driver);

  const all: [string, keyof typeof people, string][] = [
    ['triage queue', 'triage', '/api/triage/queue'],
    ['triage queue', 'triage', '/api/triage/queue?page=40'],
    ['triage queue', 'triage', '/api/triage/queue?sort=due&dir=asc'],
    ['triage queue', 'triage', '/api/triage/queue?sort=reference&dir=desc&page=3'],
    ['triage queue', 'triage', '/api/triage/queue?overdue=true'],
    ['triage queue', 'triage', '/api/triage/queue?dueThisWeek=true'],
    ['triage queue', 'triage', '/api/triage/queue?mine=true'],
    ['triage queue', 'triage', '/api/triage/queue?region=02&pageSize=100'],
    [
      'triage queue',
      'triage',
      `/api/triage/queue?q=${encodeURIComponent(waitingOne?.reference.slice(-4) ?? '1')}`,
    ],
    ['cases (decision maker)', 'decider', '/api/cases'],
    ['cases (decision maker)', 'decider', '/api/cases?page=200'],
    ['cases (decision maker)', 'decider', '/api/cases?sort=due&dir=asc'],
    ['cases (decision maker)', 'decider', '/api/cases?overdue=true'],
    ['cases (decision maker)', 'decider', '/api/cases?dueThisWeek=true'],
    ['cases (decision maker)', 'decider', '/api/cases?sort=reference&dir=desc&pageSize=100'],
    [
      'cases (decision maker)',
      'decider',
      `/api/cases?q=${encodeURIComponent(a?.reference.slice(-4) ?? '1')}`,
    ],
    // Part of a reference (its last digits, as people type it): `reference ILIKE '%…%'`.
    [
      'cases (decision maker)',
      'decider',
      `/api/cases?q=${encodeURIComponent(a?.reference.slice(-3) ?? '1')}&sort=reference`,
    ],
    ['cases (caseworker)', 'caseworker', '/api/cases'],
    ['cases (caseworker)', 'caseworker', '/api/cases?mine=true&sort=due&dir=asc'],
    ['cases (caseworker)', 'caseworker', '/api/cases?overdue=true'],
    ['decisions board', 'decider', '/api/decisions/board'],
    ['decisions board', 'decider', '/api/decisions/board?view=overdue&page=5'],
    ['decisions board', 'decider', '/api/decisions/board?view=due_soon'],
    ['decisions board', 'decider', '/api/decisions/board?sort=reference&dir=desc'],
    ['decisions board', 'decider', '/api/decisions/board?mine=true'],
    [
      'decisions board',
      'decider',
      `/api/decisions/board?q=${encodeURIComponent(a?.reference.slice(-4) ?? '1')}`,
    ],
    // Paged since issue 14's lists work (the code before it answers the whole inbox at once).
    ...(process.env.BENCH_LISTS_PAGED_INBOX === 'false'
      ? []
      : ([
          ['provider inbox', 'provider', '/api/service-referrals?view=provider'],
          ['provider inbox', 'provider', '/api/service-referrals?view=provider&page=20'],
          ['provider inbox', 'provider', '/api/service-referrals?view=provider&sort=respondBy&dir=asc'],
          ['provider inbox', 'provider', '/api/service-referrals?view=provider&status=sent'],
          ['provider inbox', 'provider', '/api/service-referrals?view=provider&overdue=true'],
        ] as [string, keyof typeof people, string][])),
    ['search', 'decider', '/api/search?q=Aroha%20Smith'],
    ['search', 'decider', '/api/search?q=Mere%20Tawhiri'],
    ['search', 'decider', '/api/search?q=01%2F05%2F2012'],
    ['search', 'triage', `/api/search?q=${encodeURIComponent(a?.reference ?? 'X')}`],
  ];
  const only = values.only?.split(',').filter(Boolean);
  const lists = only ? all.filter(([label]) => only.some((word) => label.includes(word))) : all;
  const timings = new Map<string, number[]>();
  const totals = new Map<string, string>();
  const get = async (who: keyof typeof people, path: string) => {
    const t0 = performance.now();
    const response = await fetch(`${server.base}${path}`, { headers: { cookie: people[who].cookie } });
    const body = (await response.json()) as { total?: number; totalCapped?: boolean };
    const ms = performance.now() - t0;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return { ms, total: body.total, capped: body.totalCapped === true };
  };
  // One warm-up pass (first queries plan and fill caches), not counted.
  for (const [, who, path] of lists) {
    const { total, capped } = await get(who, path);
    totals.set(`${who} ${path}`, total === undefined ? '–' : `${formatCount(total)}${capped ? '+' : ''}`);
  }
  for (let round = 0; round < repeat; round++)
    for (const [label, who, path] of lists) {
      const { ms } = await get(who, path);
      timings.set(label, [...(timings.get(label) ?? []), ms]);
      timings.set(`${who} ${path}`, [...(timings.get(`${who} ${path}`) ?? []), ms]);
    }
  await server.stop();

  const line = (label: string, list: readonly number[]) => {
    const sorted = [...list].sort((x, y) => x - y);
    return `p50 ${percentile(sorted, 50).toFixed(0).padStart(4)} ms  p95 ${percentile(sorted, 95).toFixed(0).padStart(4)} ms  max ${percentile(sorted, 100).toFixed(0).padStart(4)} ms  (${sorted.length} requests) ${label}`;
  };
  console.log(
    `driver ${driver}: ${formatCount(referrals)} referrals, ${formatCount(waiting)} waiting for triage, ${formatCount(cases)} cases; the caseworker is on ${formatCount(Number(busiest?.n ?? 0))}; the provider has ${formatCount(Number(provider?.n ?? 0))} service referrals`,
  );
  const labels = [...new Set(lists.map(([label]) => label))];
  console.log(
    line(
      'every list page',
      labels.flatMap((label) => timings.get(label) ?? []),
    ),
  );
  for (const label of labels) console.log(line(label, timings.get(label) ?? []));
  for (const [, who, path] of lists)
    console.log(
      `  ${line(`${who} ${path} (total ${totals.get(`${who} ${path}`) ?? '–'})`, timings.get(`${who} ${path}`) ?? [])}`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
