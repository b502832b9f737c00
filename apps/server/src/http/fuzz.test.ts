import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditActionsSince,
  buildFuzzWorld,
  countChanges,
  countRows,
  describeRequest,
  ensureAlive,
  FAILURE_AUDIT_ACTIONS,
  FUZZ_ENV,
  fuzzRoutes,
  mayHaveEndedSession,
  READ_SIDE_EFFECTS,
  refreshVocabulary,
  requestArb,
  responseProblems,
  send,
  type FuzzRequest,
  type FuzzRoute,
  type FuzzWorld,
} from '../../test/fuzz.ts';
import { buildTestApp, createTestContext } from '../../test/harness.ts';

/**
 * Property-based fuzzing of every route the server declares: generated bodies (valid-ish from the
 * route's own schema with fields broken, arbitrary JSON, not-quite JSON), query strings, path
 * parameters and headers, sent by people of every role, half signed in, an API key and anonymous.
 *
 * For every request: never a 5xx; never a stack trace, file path, error class or SQL in the
 * answer; every error is { code, message }; Object.prototype stays clean; and a refused request
 * (or any read) leaves every table's row count as it was: only failed sign-ins and codes are
 * audited when refused.
 *
 * FUZZ_SEED=<n> replays a run (the seed is printed); FUZZ_SEED=random picks a new one.
 * FUZZ_RUNS=<n> sets the total number of cases (default 10,000), shared equally by the routes.
 */

const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20_260_703);
const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);

// The route table is needed to declare one test per route, so the app is built while collecting.
const ctx = await createTestContext('pglite', FUZZ_ENV);
const app = await buildTestApp(ctx);
const routes = fuzzRoutes(app);
const perRoute = Math.ceil(TOTAL / routes.length);

describe('fuzzing every route', () => {
  let world: FuzzWorld;
  const stats = { cases: 0, statuses: new Map<number, number>(), started: 0 };

  beforeAll(async () => {
    console.log(
      `fuzz seed ${SEED}: FUZZ_SEED=${SEED} replays this run, FUZZ_SEED=random varies it; ` +
        `${routes.length} routes × ${perRoute} cases`,
    );
    world = await buildFuzzWorld(ctx, app);
    stats.started = Date.now();
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).length;

  async function check(route: FuzzRoute, request: FuzzRequest): Promise<void> {
    const persona = world.personas[request.persona];
    if (!persona) throw new Error('no persona');
    const before = await countRows(ctx);
    const res = await send(world, route.method, request);
    stats.cases++;
    stats.statuses.set(res.statusCode, (stats.statuses.get(res.statusCode) ?? 0) + 1);
    const after = await countRows(ctx);

    const problems = responseProblems(res);
    if (
      Object.getOwnPropertyNames(Object.prototype).length !== prototypeKeys ||
      ({} as Record<string, unknown>).polluted !== undefined
    )
      problems.push('Object.prototype was polluted');
    const refused = res.statusCode >= 400;
    const intended = refused ? [] : (READ_SIDE_EFFECTS[`${route.method} ${route.url}`] ?? []);
    const changes = Object.fromEntries(
      Object.entries(countChanges(before, after)).filter(([table]) => !intended.includes(table)),
    );
    if ((refused || route.method === 'GET') && Object.keys(changes).length > 0)
      problems.push(
        `${refused ? `a refused request (${res.statusCode})` : 'a read'} changed row counts: ${JSON.stringify(changes)}`,
      );
    if (refused && after.audit_event !== before.audit_event) {
      const unexpected = (await auditActionsSince(ctx, before.audit_event ?? 0)).filter(
        (action) => !FAILURE_AUDIT_ACTIONS.has(action),
      );
      if (unexpected.length > 0) problems.push(`a refused request was audited as ${unexpected.join(', ')}`);
    }
    if (mayHaveEndedSession(res)) await ensureAlive(ctx, app, persona, world.personas);
    if (problems.length > 0) {
      throw new Error(
        `${problems.join('; ')}\n  request: ${describeRequest(route.method, request, world)}\n` +
          `  answer: ${res.statusCode} ${res.body.slice(0, 500)}`,
      );
    }
  }

  routes.forEach((route, index) => {
    it(`${route.method} ${route.url}`, { timeout: 540_000 }, async () => {
      await refreshVocabulary(world);
      const seed = SEED + index;
      await fc.assert(
        fc.asyncProperty(requestArb(route, world), (request) => check(route, request)),
        {
          seed,
          numRuns: perRoute,
          reporter: (details) => {
            if (!details.failed) return;
            const error = details.errorInstance instanceof Error ? details.errorInstance.message : '';
            throw new Error(
              `${route.method} ${route.url} failed after ${details.numRuns} cases ` +
                `(FUZZ_SEED=${SEED}, route seed ${seed}, path "${details.counterexamplePath ?? ''}"; ` +
                `the whole file must be replayed, as records made by earlier routes matter)\n${error}`,
            );
          },
        },
      );
    });
  });

  it(`sent at least ${TOTAL} cases in all`, () => {
    const seconds = ((Date.now() - stats.started) / 1000).toFixed(1);
    const statuses = [...stats.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    const respawns = world.personas.map((p) => `${p.name} ${p.respawns}`).join(', ');
    console.log(
      `fuzzed ${stats.cases} cases over ${routes.length} routes in ${seconds} s (seed ${SEED}); ` +
        `statuses ${statuses.join(', ')}; sessions replaced: ${respawns}`,
    );
    expect(stats.cases).toBeGreaterThanOrEqual(TOTAL);
  });
});
