import { describe, expect, it } from 'vitest';
import type { SearchResult } from '@tiaki/domain';
import { DRIVERS } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { parseDateOfBirth } from './service.ts';

interface Found {
  results: SearchResult[];
  truncated: boolean;
}

describe.each(DRIVERS)('search for a child’s records, on %s', (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-10-14' });

  it('finds an untriaged referral for triage by name, a sound-alike name and date of birth', async () => {
    const { world } = suite;
    const ack = await world.submitReferral(
      {},
      { givenNames: 'Aroha', familyName: 'Smith', dateOfBirth: '2012-05-01', aliases: [] },
    );
    await world.submitReferral(
      {},
      { givenNames: 'Wiremu', familyName: 'Parata', dateOfBirth: '2010-01-02', aliases: [] },
    );
    const triage = await world.triage();
    const find = async (q: string) => {
      const res = await triage.client.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      return res.json<Found>().results;
    };
    expect(await find('Aroha Smith')).toEqual([
      expect.objectContaining({ kind: 'referral', id: ack.id, matchedOn: 'name' }),
    ]);
    expect(await find('aroha  SMYTH')).toEqual([
      expect.objectContaining({ id: ack.id, matchedOn: 'sounds_like' }),
    ]);
    expect(await find('01/05/2012')).toEqual([
      expect.objectContaining({ id: ack.id, matchedOn: 'date_of_birth' }),
    ]);
    expect(await find('2012-05-01')).toHaveLength(1);
    expect(await find(ack.reference.toLowerCase())).toEqual([
      expect.objectContaining({ id: ack.id, matchedOn: 'reference' }),
    ]);
    expect(await find('Hemi Walker')).toEqual([]);
    // No name, date of birth or narrative in the answer.
    const body = (await triage.client.get('/api/search?q=Aroha%20Smith')).body;
    expect(body).not.toContain('Aroha');
    expect(body).not.toContain('2012-05-01');
  });

  it('finds a case only for those the access gate lets see it', async () => {
    const { world } = suite;
    const { caseId, reference } = await world.openCase(
      {},
      { givenNames: 'Mere', familyName: 'Tawhiri', dateOfBirth: '2011-09-09', aliases: [] },
    );
    const caseworker = await world.caseworker();
    const byName = (await caseworker.client.get('/api/search?q=Mere%20Tawhiri')).json<Found>().results;
    expect(byName).toEqual([
      expect.objectContaining({ kind: 'case', id: caseId, reference, matchedOn: 'name' }),
    ]);
    const byReference = (await caseworker.client.get(`/api/search?q=${reference}`)).json<Found>().results;
    expect(byReference).toEqual([expect.objectContaining({ id: caseId, matchedOn: 'reference' })]);

    // Not on the team, another organisation, or a referrer of another organisation: nothing,
    // whether by name, date of birth or the case's own reference.
    const colleague = await world.person('other-caseworker', ['caseworker']);
    const ngo = await world.person('ngo-caseworker', ['caseworker'], 'ngo', 'ngo');
    const otherPolice = await world.person('other-frontline', ['frontline'], 'police-b', 'police');
    for (const who of [colleague, ngo, otherPolice])
      for (const q of ['Mere Tawhiri', 'Meri Tawhiri', '09/09/2011', reference]) {
        const res = await who.client.get(`/api/search?q=${encodeURIComponent(q)}`);
        expect(res.statusCode).toBe(200);
        expect(res.json<Found>().results).toEqual([]);
      }
    // The frontline worker who referred the child finds their own referral, not the case.
    const frontline = await world.frontline();
    const own = (await frontline.client.get('/api/search?q=Mere%20Tawhiri')).json<Found>().results;
    expect(own.map((r) => r.kind)).toEqual(['referral']);
  });

  it('audits every search with its kind and count, never the words', async () => {
    const { world, ctx } = suite;
    const triage = await world.triage();
    expect((await triage.client.get('/api/search?q=Aroha%20Smith')).statusCode).toBe(200);
    const entry = await ctx.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'search.performed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.actor_user_id).toBe(triage.user.id);
    expect(entry.details).toMatchObject({ kinds: ['reference', 'name'], referrals: 1, cases: 0 });
    const text = JSON.stringify(entry).toLowerCase();
    expect(text).not.toContain('aroha');
    expect(text).not.toContain('smith');
  });

  it('refuses people whose role finds no children’s records, and searches too short to mean anything', async () => {
    const { world, ctx } = suite;
    const before = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'search.performed')
      .executeTakeFirstOrThrow();
    const analyst = await world.person('analyst', ['analyst']);
    const refused = await analyst.client.get('/api/search?q=Aroha%20Smith');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('referral');
    const triage = await world.triage();
    const short = await triage.client.get('/api/search?q=A');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Type at least 2 characters');
    const after = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'search.performed')
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('reads dates of birth as New Zealanders write them, and refuses days that do not exist', () => {
    expect(parseDateOfBirth('1/5/2012')).toBe('2012-05-01');
    expect(parseDateOfBirth('01.05.2012')).toBe('2012-05-01');
    expect(parseDateOfBirth('2012-05-01')).toBe('2012-05-01');
    expect(parseDateOfBirth('31/02/2012')).toBeNull();
    expect(parseDateOfBirth('Aroha')).toBeNull();
  });
});
