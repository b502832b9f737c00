import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DuplicateCandidate } from '@tiaki/domain';
import { defaultChildModel, explain, type LinkRecord } from '@tiaki/linkage';
import { buildTestApp, createTestContext, DRIVERS, type TestContext } from '../../../test/harness.ts';
import { CaseWorld } from '../../../test/cases.ts';
import { BUILT_IN_NAME, recordReviewLabels } from './learning.ts';
import { storedExplanation } from './scoring.ts';

/**
 * Learning from reviewers (issue 16): triage decisions are kept as labelled pairs (levels only,
 * encrypted); a data steward learns a candidate model from them, sees before/after figures,
 * puts it in use and goes back; everyone else is refused and nothing changes.
 */
interface Overview {
  reviews: { confirmed: number; rejected: number; minimumEach: number; enough: boolean };
  inUse: { id: string; number: number; name: string } | null;
  versions: {
    id: string;
    number: number;
    status: string;
    reviewsConfirmed: number;
    reviewsRejected: number;
    figures: { before: { f1: number }; after: { f1: number; pairs: number }; folds: number };
    createdBy: string;
  }[];
}

const record = (
  id: string,
  given: string,
  family: string,
  dateOfBirth: string,
  region: string,
): LinkRecord => ({
  id,
  givenNames: [given],
  familyNames: [family],
  dateOfBirth,
  gender: 'female',
  region,
});

/**
 * Synthetic reviews from an installation whose reviewers confirm children whose dates of birth
 * agree (or have day and month swapped), also under another family name, and reject pairs whose
 * names agree but whose dates of birth differ by one digit (siblings, in this made-up region).
 */
function syntheticReviews(confirmed: number, rejected: number) {
  const model = defaultChildModel();
  const link = (a: LinkRecord, b: LinkRecord, n: number) => {
    const e = explain(a, b, model);
    return {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      explanation: storedExplanation(e, BUILT_IN_NAME),
      model: BUILT_IN_NAME,
    };
  };
  const names = ['Aroha', 'Mele', 'Sione', 'Tama', 'Losa', 'Hemi', 'Kiri', 'Ana'];
  const families = ['Ngata', 'Tupou', 'Faleolo', 'Walker', 'Paewai', 'Horomona'];
  const yes = Array.from({ length: confirmed }, (_, i) => {
    const given = names[i % names.length]!;
    const family = families[i % families.length]!;
    const dob = `2011-0${1 + (i % 9)}-1${i % 10}`;
    const other = i % 4 === 0 ? `2011-1${i % 10}-0${1 + (i % 9)}` : dob;
    return link(
      record('a', given, family, dob, '02'),
      record('b', given, i % 4 === 1 ? families[(i + 1) % families.length]! : family, other, '02'),
      i,
    );
  });
  const no = Array.from({ length: rejected }, (_, i) => {
    const given = names[i % names.length]!;
    const family = families[(i + 2) % families.length]!;
    return link(
      record('a', given, family, `2012-0${1 + (i % 9)}-12`, '02'),
      record('b', given, family, `2012-0${1 + (i % 9)}-13`, '09'),
      1000 + i,
    );
  });
  return { yes, no };
}

describe.each(DRIVERS)('learning from reviewers on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { TIAKI_TODAY: '2026-07-03' });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const steward = () => world.person('steward', ['data_steward'], 'research', 'other');
  const child = (givenNames: string, familyName: string, dateOfBirth: string) => ({
    givenNames,
    familyName,
    dateOfBirth,
    aliases: [],
  });
  const candidatesFor = async (referralId: string) => {
    const triage = await world.triage();
    const res = await triage.client.get(`/api/triage/referrals/${referralId}/candidates`);
    expect(res.statusCode).toBe(200);
    return res.json<{ candidates: DuplicateCandidate[] }>().candidates;
  };
  const overview = async () => {
    const res = await (await steward()).client.get('/api/linkage/model');
    expect(res.statusCode).toBe(200);
    return res.json<Overview>();
  };

  it('keeps each confirm and reject in triage as a labelled pair, with levels only and encrypted', async () => {
    const known = await world.openCase({}, child('Mereana', 'Tautahi', '2011-05-02'));
    const again = await world.submitReferral({}, child('Mereana', 'Tautahi', '2011-05-02'));
    expect((await candidatesFor(again.id)).map((c) => c.caseId)).toContain(known.caseId);
    const triage = await world.triage();
    const attached = await triage.client.post(`/api/triage/referrals/${again.id}/attach`, {
      caseId: known.caseId,
      version: await world.referralVersion(again.id),
    });
    expect(attached.statusCode).toBe(200);

    const other = await world.openCase({}, child('Ruby', 'Paewai', '2010-01-01'));
    const lookalike = await world.submitReferral({}, child('Ruby', 'Paewai', '2010-01-10'));
    expect((await candidatesFor(lookalike.id)).map((c) => c.caseId)).toContain(other.caseId);
    const rejected = await triage.client.post(`/api/triage/referrals/${lookalike.id}/candidates/reject`, {
      caseId: other.caseId,
    });
    expect(rejected.statusCode).toBe(200);

    const labels = await ctx.db.selectFrom('linkage_label').selectAll().execute();
    expect(labels.map((l) => l.label).sort()).toEqual(['match', 'non_match']);
    expect(labels.every((l) => l.decided_by_user_id === triage.user.id)).toBe(true);
    // Nothing that could identify a child in clear: no names, dates, or ids of children or links.
    const children = await ctx.db.selectFrom('child').select('id').execute();
    const links = await ctx.db.selectFrom('child_link').select('id').execute();
    const text = JSON.stringify(labels);
    for (const s of ['Mereana', 'Tautahi', 'Ruby', 'Paewai', '2011-05-02', '2010-01', 'exact'])
      expect(text).not.toContain(s);
    for (const { id } of [...children, ...links]) expect(text).not.toContain(id);
    for (const l of labels) {
      const vector = JSON.parse(
        ctx.keyring.decrypt(l.vector_enc, `linkage_label.vector_enc:${l.pair_key}`),
      ) as {
        fields: { comparison: string; level: string }[];
      };
      expect(vector.fields.find((f) => f.comparison === 'given name')?.level).toBe('exact');
      expect(JSON.stringify(vector)).not.toMatch(/Mereana|Ruby|2011|2010/);
    }
    expect((await overview()).reviews).toMatchObject({ confirmed: 1, rejected: 1, enough: false });
  });

  it('refuses to learn, saying so plainly, while there are too few reviews of either kind', async () => {
    const res = await (await steward()).client.post('/api/linkage/model/reestimate', {});
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toMatch(/at least 30 "same child".*there are 1 and 1/);
    expect(await ctx.db.selectFrom('linkage_model_version').select('id').execute()).toEqual([]);
  });

  it('is for data stewards only: everyone else is refused and nothing changes', async () => {
    const { yes, no } = syntheticReviews(40, 40);
    await recordReviewLabels(ctx.db, ctx.keyring, yes, 'match', null, new Date());
    await recordReviewLabels(ctx.db, ctx.keyring, no, 'non_match', null, new Date());
    for (const roles of [
      ['triage'],
      ['analyst'],
      ['decision_maker'],
      ['administrator'],
      ['auditor'],
    ] as const) {
      const person = await world.person(`not-steward-${roles[0]}`, [...roles]);
      expect((await person.client.get('/api/linkage/model')).statusCode, roles[0]).toBe(403);
      expect((await person.client.post('/api/linkage/model/reestimate', {})).statusCode, roles[0]).toBe(403);
      expect(
        (await person.client.post('/api/linkage/model/activate', { versionId: 'built-in' })).statusCode,
        roles[0],
      ).toBe(403);
    }
    expect(await ctx.db.selectFrom('linkage_model_version').select('id').execute()).toEqual([]);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', 'like', 'linkage.%')
      .execute();
    expect(audit).toEqual([]);
  });

  it('learns a candidate version, shows before and after, puts it in use, and goes back, each audited', async () => {
    const s = await steward();
    const learnt = await s.client.post('/api/linkage/model/reestimate', {});
    expect(learnt.statusCode).toBe(201);
    const { id, number } = learnt.json<{ id: string; number: number }>();
    expect(number).toBe(1);
    let view = await overview();
    expect(view.inUse).toBeNull();
    const [version] = view.versions;
    expect(version).toMatchObject({
      id,
      status: 'candidate',
      reviewsConfirmed: 41,
      reviewsRejected: 41,
      figures: { folds: 5 },
    });
    expect(version!.figures.after.pairs).toBe(82);
    expect(version!.figures.after.f1).toBeGreaterThan(version!.figures.before.f1);
    // Stored encrypted: no comparison label or level in clear.
    const stored = await ctx.db
      .selectFrom('linkage_model_version')
      .select('model_enc')
      .executeTakeFirstOrThrow();
    expect(stored.model_enc).not.toMatch(/given name|date of birth/);

    // A pair of the kind reviewers rejected, scored by the built-in model.
    await world.openCase({}, child('Anahera', 'Horomona', '2013-04-12'));
    const first = await world.submitReferral({}, child('Anahera', 'Horomona', '2013-04-13'));
    const [before] = await candidatesFor(first.id);
    expect(before?.explanation.model).toBe(BUILT_IN_NAME);

    const activated = await s.client.post('/api/linkage/model/activate', { versionId: id });
    expect(activated.statusCode).toBe(200);
    view = await overview();
    expect(view.inUse?.number).toBe(1);
    expect(view.versions[0]?.status).toBe('in_use');

    // The same kind of pair, scored by the version learnt from reviews: less likely one child.
    await world.openCase({}, child('Anahera', 'Tupou', '2013-06-12'));
    const second = await world.submitReferral({}, child('Anahera', 'Tupou', '2013-06-13'));
    const [after] = await candidatesFor(second.id);
    expect(after?.explanation.model).toBe('learnt from reviews: version 1');
    expect(after!.score).toBeLessThan(before!.score);

    // Learnt again while version 1 is in use: its "before" is on reviews it learnt from, and says so.
    const again = await s.client.post('/api/linkage/model/reestimate', {});
    expect(again.json()).toMatchObject({ number: 2 });
    const v2 = (await overview()).versions[0] as unknown as {
      figures: { beforeSeen: number; beforeModel: string };
    };
    expect(v2.figures).toMatchObject({ beforeSeen: 82, beforeModel: 'learnt from reviews: version 1' });

    // The way back: the built-in model again; the version is kept as an earlier one.
    const back = await s.client.post('/api/linkage/model/activate', { versionId: 'built-in' });
    expect(back.json()).toEqual({ inUse: BUILT_IN_NAME });
    view = await overview();
    expect(view.inUse).toBeNull();
    expect(view.versions.map((v) => v.status)).toEqual(['candidate', 'earlier']);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'details'])
      .where('action', 'like', 'linkage.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'linkage.model_learnt',
      'linkage.model_activated',
      'linkage.model_learnt',
      'linkage.model_activated',
    ]);
    expect(audit.every((a) => a.actor_user_id === s.user.id)).toBe(true);
    expect(
      (
        await s.client.post('/api/linkage/model/activate', {
          versionId: '00000000-0000-4000-8000-000000000000',
        })
      ).statusCode,
    ).toBe(404);
  });

  const modelState = async () => ({
    versions: await ctx.db
      .selectFrom('linkage_model_version')
      .select(['id', 'number', 'active', 'activated_at'])
      .orderBy('number')
      .execute(),
    audit: await ctx.db.selectFrom('audit_event').select('id').where('action', 'like', 'linkage.%').execute(),
  });

  it("refuses a lead agency's person with every other role: no re-estimate, no switch, nothing changes", async () => {
    const s = await steward();
    const [latest] = (await overview()).versions;
    expect((await s.client.post('/api/linkage/model/activate', { versionId: latest!.id })).statusCode).toBe(
      200,
    );
    const before = await modelState();
    const lead = await world.person(
      'lead-not-steward',
      [
        'triage',
        'decision_maker',
        'caseworker',
        'supervisor',
        'analyst',
        'maori_data_governance',
        'privacy_officer',
        'auditor',
        'administrator',
      ],
      'lead',
      'lead_agency',
    );
    const attempts = [
      await lead.client.get('/api/linkage/model'),
      await lead.client.post('/api/linkage/model/reestimate', {}),
      await lead.client.post('/api/linkage/model/activate', { versionId: 'built-in' }),
      await lead.client.post('/api/linkage/model/activate', { versionId: before.versions[0]!.id }),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
    expect(await modelState()).toEqual(before);
    expect((await overview()).inUse?.id).toBe(latest!.id);
  });

  it('two data stewards at once each get a clean answer: versions numbered in turn, one in use', async () => {
    const [a, b] = [await steward(), await world.person('steward-2', ['data_steward'], 'research', 'other')];
    const before = await modelState();
    // Each steward asks twice without waiting (a double click), so the four requests overlap.
    const learnt = await Promise.all(
      [a, b, a, b].map((p) => p.client.post('/api/linkage/model/reestimate', {})),
    );
    expect(learnt.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const numbers = learnt.map((r) => r.json<{ number: number }>().number).sort((x, y) => x - y);
    const last = before.versions.at(-1)!.number;
    expect(numbers).toEqual([last + 1, last + 2, last + 3, last + 4]);

    const ids = learnt.map((r) => r.json<{ id: string }>().id);
    const switched = await Promise.all(
      ids.map((versionId, i) => [a, b][i % 2]!.client.post('/api/linkage/model/activate', { versionId })),
    );
    expect(switched.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const after = await modelState();
    expect(after.versions.filter((v) => v.active)).toHaveLength(1);
    expect(ids).toContain((await overview()).inUse?.id);
    expect(after.audit.length - before.audit.length).toBe(8);
  });
});
