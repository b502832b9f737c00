import { describe, expect, it } from 'vitest';
import type { CaseSummary, Page, TriageItem } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';

// A Wednesday: this week runs to Sunday 18 October 2026. Reasonable grounds are due 5 working days
// after a referral is received (Labour Day, 26 October, is after every date used here).
const TODAY = '2026-10-14';

describe.each(DRIVERS)('lists page, sort and filter on the server, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: TODAY });
  const received = new Map<string, string>();

  /** Referrals received on these dates (set in the database: submission always receives today). */
  async function referralsReceivedOn(dates: Record<string, string>) {
    const { world, ctx } = suite;
    for (const [name, date] of Object.entries(dates)) {
      const ack = await world.submitReferral();
      await ctx.db.updateTable('referral').set({ received_on: date }).where('id', '=', ack.id).execute();
      received.set(name, ack.id);
    }
  }
  const nameOf = (id: string) => [...received].find(([, value]) => value === id)?.[0];

  it('pages the triage queue: every referral once, with the total, urgent then oldest by default', async () => {
    await referralsReceivedOn({
      overdue: '2026-10-01', // due Thursday 8 October: past
      dueThursday: '2026-10-08', // due 15 October
      dueFriday: '2026-10-09', // due 16 October
      nextWeek: '2026-10-12', // due Monday 19 October
      today: TODAY, // due 21 October
    });
    const triage = await suite.world.triage();
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await triage.client.get(`/api/triage/queue?pageSize=2&page=${page}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<Page<TriageItem>>();
      expect(body).toMatchObject({ total: 5, page, pageSize: 2 });
      expect(body.items).toHaveLength(page === 3 ? 1 : 2);
      seen.push(...body.items.map((item) => item.id));
    }
    expect(new Set(seen).size).toBe(5);
    // Past the last page: an empty page, still with the total.
    const beyond = (await triage.client.get('/api/triage/queue?pageSize=2&page=4')).json<Page<TriageItem>>();
    expect(beyond).toMatchObject({ items: [], total: 5 });
  });

  it('sorts the triage queue by due date either way', async () => {
    const triage = await suite.world.triage();
    const asc = (await triage.client.get('/api/triage/queue?sort=due&dir=asc')).json<Page<TriageItem>>();
    expect(asc.items.map((i) => nameOf(i.id))).toEqual([
      'overdue',
      'dueThursday',
      'dueFriday',
      'nextWeek',
      'today',
    ]);
    const dues = asc.items.map((i) => i.reasonableGroundsDueOn);
    expect(dues).toEqual([...dues].sort());
    const desc = (await triage.client.get('/api/triage/queue?sort=due&dir=desc')).json<Page<TriageItem>>();
    expect(desc.items.map((i) => i.id)).toEqual(asc.items.map((i) => i.id).reverse());
  });

  it('filters the triage queue to overdue, due this week, mine and a reference', async () => {
    const triage = await suite.world.triage();
    const names = async (query: string) =>
      (await triage.client.get(`/api/triage/queue?${query}`))
        .json<Page<TriageItem>>()
        .items.map((i) => nameOf(i.id))
        .sort();
    expect(await names('overdue=true')).toEqual(['overdue']);
    expect(await names('dueThisWeek=true')).toEqual(['dueFriday', 'dueThursday']);
    expect(await names('mine=true')).toEqual([]);
    const assigned = await triage.client.post('/api/triage/assign', {
      referralIds: [received.get('nextWeek')],
      assigneeId: triage.user.id,
    });
    expect(assigned.statusCode).toBe(200);
    expect(await names('mine=true')).toEqual(['nextWeek']);
    expect(await names('mine=true&overdue=true')).toEqual([]);
    const reference = (await triage.client.get('/api/triage/queue?sort=received&dir=asc'))
      .json<Page<TriageItem>>()
      .items.find((i) => nameOf(i.id) === 'dueFriday')?.reference;
    expect(await names(`q=${encodeURIComponent(reference ?? '')}`)).toEqual(['dueFriday']);
    // Part of it, as people type it (its last digits, any case), through the trigram index (0037)
    // or, shorter than three characters, without it: the same answer either way.
    const digits = (reference ?? '').slice(-6);
    expect(await names(`q=${digits}`)).toEqual(['dueFriday']);
    expect(await names(`q=${encodeURIComponent((reference ?? '').toLowerCase())}`)).toEqual(['dueFriday']);
    expect(await names(`q=${digits.slice(-2)}`)).toContain('dueFriday');
    // A pattern character is taken literally, not as "anything".
    expect(await names('q=%25')).toEqual([]);
  });

  it('refuses a sort it does not know, too big a page and a bad flag, in plain words', async () => {
    const triage = await suite.world.triage();
    const badSort = await triage.client.get('/api/triage/queue?sort=narrative');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.body).toContain('Sort by one of: urgent, received, due, reference, region');
    const tooMany = await triage.client.get('/api/triage/queue?pageSize=101');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('Ask for 1 to 100 rows a page');
    const notAPage = await triage.client.get('/api/triage/queue?page=0');
    expect(notAPage.statusCode).toBe(400);
    const badFlag = await triage.client.get('/api/triage/queue?overdue=maybe');
    expect(badFlag.statusCode).toBe(400);
    expect(badFlag.body).toContain('Use true or false');
    const caseworker = await suite.world.caseworker();
    const badCaseSort = await caseworker.client.get('/api/cases?sort=name');
    expect(badCaseSort.statusCode).toBe(400);
    expect(badCaseSort.body).toContain('Sort by one of: opened, due, reference, region, status');
  });

  it('pages, sorts and filters the cases a caseworker is on, and no others', async () => {
    const { world, ctx } = suite;
    const opened = [];
    for (let i = 0; i < 3; i += 1) opened.push(await world.openCase());
    const [first, second, third] = opened.map((o) => o.caseId);
    // Deadlines: the first case's decision is overdue, the second's due this week, the third's later.
    const due: [string | undefined, string][] = [
      [first, '2026-10-09'],
      [second, '2026-10-16'],
      [third, '2026-10-30'],
    ];
    for (const [caseId, date] of due)
      await ctx.db
        .updateTable('decision')
        .set({ due_on: date })
        .where('case_id', '=', caseId ?? '')
        .where('status', '=', 'pending')
        .execute();
    const caseworker = await world.caseworker();
    const ids = async (query: string) => {
      const res = await caseworker.client.get(`/api/cases?${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<Page<CaseSummary>>();
    };
    const all = await ids('');
    expect(all.total).toBe(3);
    const byDue = await ids('sort=due&dir=asc');
    expect(byDue.items.map((c) => c.id)).toEqual([first, second, third]);
    expect(byDue.items.map((c) => c.nextDeadline?.dueOn)).toEqual(['2026-10-09', '2026-10-16', '2026-10-30']);
    expect((await ids('sort=due&dir=desc')).items.map((c) => c.id)).toEqual([third, second, first]);
    expect((await ids('overdue=true')).items.map((c) => c.id)).toEqual([first]);
    expect((await ids('dueThisWeek=true')).items.map((c) => c.id)).toEqual([second]);
    expect((await ids('mine=true')).total).toBe(3);
    const pageTwo = await ids('pageSize=2&page=2&sort=reference&dir=asc');
    expect(pageTwo).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(pageTwo.items).toHaveLength(1);
    const references = (await ids('sort=reference&dir=asc')).items.map((c) => c.reference);
    expect(references).toEqual([...references].sort());
    expect(pageTwo.items[0]?.reference).toBe(references[2]);

    // A caseworker of the lead agency who is on none of these cases sees none of them, whatever
    // the filters ask: the filters only narrow what the access gate allows.
    const colleague = await world.person('other-caseworker', ['caseworker']);
    for (const query of ['', 'overdue=true', 'mine=true', 'status=open&pageSize=100']) {
      const res = await colleague.client.get(`/api/cases?${query}`);
      expect(res.json<Page<CaseSummary>>()).toMatchObject({ items: [], total: 0 });
    }
    // Another organisation's caseworker likewise.
    const elsewhere = await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo');
    expect((await elsewhere.client.get('/api/cases')).json<Page<CaseSummary>>().total).toBe(0);
  });
});
