import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor, decideBody, pendingDecision, readCaseAs } from '../../../test/cases.ts';
import { queriesDuring } from '../../../test/queries.ts';
import { CASE_READ_COVERAGE } from './service.ts';

/**
 * Round trips of one case read (`GET /api/cases/:id`): the session, one access check, the case and
 * its sub-records read side by side, one audit entry. A case with more on it costs no more queries.
 */
describe.each(DRIVERS)('reading a case, round trips on %s', (driver) => {
  // Sessions read from the database every time, so both reads count the same round trips.
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03', SESSION_CACHE_SECONDS: '0' });

  it('reads a case in a fixed number of queries, whatever is on it, with one access check', async () => {
    const { world, ctx } = suite;
    const { caseId } = await world.openCase();
    const caseworker = await world.caseworker();
    const dm = await world.decisionMaker();
    const count = async () => queriesDuring(ctx, () => readCaseAs(caseworker, caseId));
    const bare = await count();

    // Put something of every kind on the case: a plan, a note, a conference with an action, a partner
    // organisation (a disclosure), a decision made and the next one pending.
    const leadOrg = world.organisations.get('lead')!;
    const policeOrg = await world.organisation('police', 'police');
    const posts: [string, object][] = [
      ['goals', { description: 'Safe place to stay', dueOn: '2026-08-01' }],
      ['notes', { body: 'Met with whānau.' }],
      [
        'conferences',
        {
          heldOn: '2026-07-02',
          attendees: [{ organisationId: leadOrg, userId: caseworker.user.id }, { organisationId: policeOrg }],
          decisions: 'Safety plan agreed.',
          actions: [{ description: 'Refer to shelter', ownerOrganisationId: leadOrg, dueOn: '2026-07-06' }],
        },
      ],
      [
        'team/organisations',
        {
          organisationId: policeOrg,
          lawfulBasis: 'ota_66c_ot_services',
          purpose: 'Safety planning',
          fields: ['name', 'date_of_birth'],
          childConsulted: 'no_not_practicable',
        },
      ],
    ];
    for (const [path, body] of posts)
      expect((await caseworker.client.post(`/api/cases/${caseId}/${path}`, body)).statusCode).toBe(201);
    const rg = pendingDecision(await readCaseAs(dm, caseId), 'reasonable_grounds');
    expect(
      (await dm.client.post(`/api/decisions/${rg.id}/decide`, decideBody('positive', rg.version))).statusCode,
    ).toBe(200);

    const full = await count();
    // Every table of the child's record the case page declares it shows is in the answer.
    const detail = await readCaseAs(caseworker, caseId);
    for (const coverage of Object.values(CASE_READ_COVERAGE))
      if ('field' in coverage) expect(detail).toHaveProperty(coverage.field);
    // Figures for docs/benchmarks.md: run with TEST_QUERIES=1 to see each query.
    if (process.env.TEST_QUERIES)
      console.info(`case read: ${bare.length} queries bare, ${full.length} full`, full);
    expect(full.length).toBe(bare.length);
    expect(full.length).toBeLessThanOrEqual(11);
  });
});
