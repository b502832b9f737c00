import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type {
  CaseDetail,
  Decision,
  OrganisationKind,
  ReferralAcknowledgement,
  ReferralInput,
  Role,
} from '@tiaki/domain';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/runtime.ts';
import {
  buildTestApp,
  Client,
  createOrganisation,
  createPostgresDatabase,
  createTestContext,
  createUser,
  type Driver,
  type TestContext,
  type TestUser,
} from './harness.ts';
import type { Session } from './processes.ts';
import { validReferral } from './referrals.ts';

export interface Person {
  user: TestUser;
  client: Client;
}

/**
 * A small national referral mechanism for workflow tests: a lead agency with its staff, a
 * referring Police station, and helpers to submit referrals and open cases through the API.
 */
export class CaseWorld {
  readonly organisations = new Map<string, string>();
  private readonly people = new Map<string, Person>();

  constructor(
    readonly ctx: TestContext,
    readonly app: FastifyInstance,
  ) {}

  async organisation(key: string, kind: OrganisationKind): Promise<string> {
    const existing = this.organisations.get(key);
    if (existing) return existing;
    const id = (await createOrganisation(this.ctx, kind)).id;
    this.organisations.set(key, id);
    return id;
  }

  /** A signed-in person (MFA enrolled) of an organisation, created once per key. */
  async person(
    key: string,
    roles: Role[],
    organisationKey = 'lead',
    kind: OrganisationKind = 'lead_agency',
  ): Promise<Person> {
    const existing = this.people.get(key);
    if (existing) return existing;
    const organisationId = await this.organisation(organisationKey, kind);
    const user = await createUser(this.ctx, roles, { organisationId });
    const client = new Client(this.app);
    await client.signInFully(user);
    const person = { user, client };
    this.people.set(key, person);
    return person;
  }

  triage = () => this.person('triage', ['triage']);
  decisionMaker = () => this.person('decision-maker', ['decision_maker']);
  secondDecisionMaker = () => this.person('decision-maker-2', ['decision_maker']);
  caseworker = () => this.person('caseworker', ['caseworker']);
  /**
   * A supervisor of another lead agency: their organisation is on none of the world's cases, so they
   * reach one only by break-glass (a supervisor of the case's own organisation reads it through
   * oversight).
   */
  supervisor = () => this.person('supervisor', ['supervisor'], 'lead-elsewhere', 'lead_agency');
  frontline = () => this.person('frontline', ['frontline'], 'police', 'police');

  async submitReferral(
    overrides: Partial<ReferralInput> = {},
    child: Partial<ReferralInput['child']> = {},
    by?: Person,
  ): Promise<ReferralAcknowledgement> {
    const submitter = by ?? (await this.frontline());
    const res = await submitter.client.post('/api/referrals', validReferral(overrides, child));
    if (res.statusCode !== 201) throw new Error(`referral refused: ${res.body}`);
    return res.json<ReferralAcknowledgement>();
  }

  /** The referral's current version, as the triage queue shows it. */
  async referralVersion(referralId: string): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('referral')
      .select('version')
      .where('id', '=', referralId)
      .executeTakeFirstOrThrow();
    return row.version;
  }

  /** Submits a referral and opens a case for it through triage, led by the world's caseworker. */
  async openCase(
    overrides: Partial<ReferralInput> = {},
    child: Partial<ReferralInput['child']> = {},
  ): Promise<{ caseId: string; reference: string; referralId: string }> {
    const ack = await this.submitReferral(overrides, child);
    const triage = await this.triage();
    const caseworker = await this.caseworker();
    const res = await triage.client.post(`/api/triage/referrals/${ack.id}/open-case`, {
      version: await this.referralVersion(ack.id),
      caseworkerId: caseworker.user.id,
    });
    if (res.statusCode !== 201) throw new Error(`open case refused: ${res.body}`);
    return { ...res.json<{ caseId: string; reference: string }>(), referralId: ack.id };
  }
}

/**
 * A fresh database, app and CaseWorld for one `describe` block: made before its tests, closed after.
 * Read its fields inside tests (they are set once `beforeAll` has run).
 */
export function caseWorldFor(
  driver: Driver,
  env: Record<string, string> = {},
): { ctx: TestContext; app: FastifyInstance; world: CaseWorld } {
  const suite = {} as { ctx: TestContext; app: FastifyInstance; world: CaseWorld };
  beforeAll(async () => {
    suite.ctx = await createTestContext(driver, env);
    suite.app = await buildTestApp(suite.ctx);
    suite.world = new CaseWorld(suite.ctx, suite.app);
  });
  afterAll(async () => {
    await suite.app.close();
    await suite.ctx.close();
  });
  return suite;
}

/** Reads a case as someone who may see it (200), as the case page does. */
export async function readCaseAs(who: Person, id: string): Promise<CaseDetail> {
  const res = await who.client.get(`/api/cases/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json<CaseDetail>();
}

/** The case's pending decision of a kind. */
export const pendingDecision = (detail: CaseDetail, kind: Decision['kind']) =>
  detail.decisions.find((d) => d.kind === kind && d.status === 'pending')!;

/** A decision's body as a decision maker sends it. */
export const decideBody = (outcome: 'positive' | 'negative', version: number) => ({
  outcome,
  rationale: 'Synthetic rationale: objective indicators of exploitation in prostitution were reported.',
  evidence: 'Police file P0123456789; school attendance record.',
  version,
});

/** Runs `fn` with the server's "today" set to another date, then puts it back. */
export async function withToday<T>(ctx: TestContext, today: string, fn: () => Promise<T>): Promise<T> {
  const original = ctx.today;
  ctx.today = () => today;
  try {
    return await fn();
  } finally {
    ctx.today = original;
  }
}

/** A person's signed-in session, to use against a server process (processes.ts). */
export const sessionOf = (person: Person): Session => ({
  cookie: person.client.cookie ?? '',
  csrfToken: person.client.csrfToken ?? '',
});

/**
 * Prepares an installation for real server processes (processes.ts): on PostgreSQL a database of
 * its own (its URL set in `env`), then `prepare` with a CaseWorld on the same DATA_DIR or
 * database, in this process, closed before a server opens it. Answers how to drop the database.
 */
export async function prepareForServer(
  driver: Driver,
  env: Record<string, string>,
  prepare: (world: CaseWorld, ctx: TestContext) => Promise<void>,
): Promise<() => Promise<void>> {
  let drop = async () => {};
  if (driver === 'postgres') {
    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    drop = created.drop;
  }
  const ctx = await createContext(loadConfig(env));
  const testCtx: TestContext = { ...ctx, env, close: () => ctx.database.close() };
  const app = await buildTestApp(testCtx);
  try {
    await prepare(new CaseWorld(testCtx, app), testCtx);
  } finally {
    await app.close();
    await ctx.database.close();
  }
  return drop;
}
