import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaseSummary, Page, SearchResult } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor, type Person } from '../../../test/cases.ts';

// The access gate is written twice for lists (readableCase: a per-row probe for people who see their
// organisation's cases, a semi-join from the person's own grants for everyone else, and a form to
// count with) and once for opening one case. Each person must find in the cases list, its count and
// search exactly the cases they can open, and no other, including the edge cases of the rule: a
// team member whose organisation has left the case, and break-glass grants live and expired.
describe.each(DRIVERS)('the cases list shows exactly the cases each person may open, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-10-14' });

  it('agrees with opening each case, for every way in and out of the rule', async () => {
    const { world, ctx } = suite;
    const [a, b, c] = [await world.openCase(), await world.openCase(), await world.openCase()];
    const caseworker = await world.caseworker();
    const health = await world.organisation('health', 'health');
    const ngo = await world.organisation('ngo', 'ngo');
    const people: Record<string, Person> = {
      'case lead (on every team)': caseworker,
      'lead-agency caseworker on case B only': await world.person('caseworker-b', ['caseworker']),
      'lead-agency caseworker on no team': await world.person('caseworker-none', ['caseworker']),
      'decision maker': await world.decisionMaker(),
      'supervisor of the lead agency': await world.person('lead-supervisor', ['supervisor']),
      'health caseworker, partner on A': await world.person(
        'health-caseworker',
        ['caseworker'],
        'health',
        'health',
      ),
      'NGO caseworker, member of B after the NGO left it': await world.person(
        'ngo-caseworker',
        ['caseworker'],
        'ngo',
        'ngo',
      ),
      'supervisor elsewhere: break-glass live on A, expired on B': await world.supervisor(),
    };
    const member = (caseId: string, person: Person) =>
      ctx.db
        .insertInto('case_member')
        .values({ case_id: caseId, user_id: person.user.id, team_role: 'support' })
        .execute();
    await member(b.caseId, people['lead-agency caseworker on case B only'] as Person);
    await ctx.db
      .insertInto('case_organisation')
      .values([
        { case_id: a.caseId, organisation_id: health, is_owner: false },
        { case_id: b.caseId, organisation_id: ngo, is_owner: false, removed_at: new Date() },
      ])
      .execute();
    await member(b.caseId, people['NGO caseworker, member of B after the NGO left it'] as Person);
    const glass = people['supervisor elsewhere: break-glass live on A, expired on B'] as Person;
    const hour = 3_600_000;
    await ctx.db
      .insertInto('break_glass')
      .values(
        [
          { caseId: a.caseId, expiresAt: new Date(Date.now() + hour) },
          { caseId: b.caseId, expiresAt: new Date(Date.now() - hour) },
        ].map((grant) => ({
          id: randomUUID(),
          case_id: grant.caseId,
          user_id: glass.user.id,
          organisation_id: glass.user.organisationId,
          reason_enc: 'not read by this test',
          expires_at: grant.expiresAt,
        })),
      )
      .execute();

    const expected: Record<string, string[]> = {
      'case lead (on every team)': ['A', 'B', 'C'],
      'lead-agency caseworker on case B only': ['B'],
      'lead-agency caseworker on no team': [],
      'decision maker': ['A', 'B', 'C'],
      'supervisor of the lead agency': ['A', 'B', 'C'],
      'health caseworker, partner on A': ['A'],
      'NGO caseworker, member of B after the NGO left it': [],
      'supervisor elsewhere: break-glass live on A, expired on B': ['A'],
    };
    const names = new Map([
      [a.caseId, 'A'],
      [b.caseId, 'B'],
      [c.caseId, 'C'],
    ]);
    for (const [who, person] of Object.entries(people)) {
      const opens: string[] = [];
      for (const k of [a, b, c]) {
        const res = await person.client.get(`/api/cases/${k.caseId}`);
        expect([200, 404], `${who} opening a case`).toContain(res.statusCode);
        if (res.statusCode === 200) opens.push(names.get(k.caseId) ?? '?');
      }
      expect(opens, `${who} opens`).toEqual(expected[who]);
      for (const query of ['pageSize=100', 'sort=reference&dir=asc', 'status=open&sort=due']) {
        const page = (await person.client.get(`/api/cases?${query}`)).json<Page<CaseSummary>>();
        expect(page.items.map((item) => names.get(item.id)).sort(), `${who} lists (${query})`).toEqual(opens);
        expect(page.total, `${who} counts (${query})`).toBe(opens.length);
      }
      for (const k of [a, b, c]) {
        const found = (await person.client.get(`/api/search?q=${k.reference}`)).json<{
          results: SearchResult[];
        }>().results;
        expect(
          found.some((result) => result.kind === 'case' && result.id === k.caseId),
          `${who} finds case ${names.get(k.caseId) ?? '?'} by its reference`,
        ).toBe(opens.includes(names.get(k.caseId) ?? '?'));
      }
    }
  }, 120_000);
});
