import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  CURRENT_TAXONOMY,
  NEED_TYPES,
  ROLES,
  type OrganisationKind,
  type ReferralInput,
  type Role,
  type ServiceReferral,
} from '@tiaki/domain';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  totpCode,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { CaseWorld, type Person } from '../../test/cases.ts';
import { validReferral } from '../../test/referrals.ts';
import { scoreChild } from '../modules/linkage/scoring.ts';
import { notify } from '../modules/notifications/service.ts';

/*
 * The authorisation matrix (docs/authorisation-matrix.md) as a test: every route × every role ×
 * (own record / another organisation's record / no such record), read from the tables on that
 * page. A route missing from the page, or a row for a route that does not exist, fails.
 */

const MATRIX = readFileSync(new URL('../../../../docs/authorisation-matrix.md', import.meta.url), 'utf8');

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Outcome = 'A' | 'D' | 'N' | 'R' | '-';
type Scenario = 'own' | 'other' | 'none';
const SCENARIOS: Scenario[] = ['own', 'other', 'none'];
/** Unmet needs recorded so far: each call records a different need. */
let unmetNeedCalls = 0;
const OUTCOMES: readonly string[] = ['A', 'D', 'N', 'R', '-'];
const METHODS: readonly string[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** Routes without a role check of their own: they must be rows, and are sent like any other. */
const PUBLIC_OR_SIGNING_IN = [
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
  'POST /api/auth/sign-in',
  'GET /api/session',
  'POST /api/auth/password',
  'POST /api/auth/mfa/enrolment',
  'POST /api/auth/mfa/enrolment/confirm',
  'POST /api/auth/mfa/verify',
  'POST /api/auth/sign-out',
  'GET /api/auth/oidc/providers',
  'GET /api/auth/oidc/:provider/start',
  'GET /api/auth/oidc/:provider/callback',
];

/* ------------------------------------------------------------------ reading the page */

interface Row {
  line: string;
  method: Method;
  path: string;
  query: string;
  record: string | null;
  /** Outcomes per column: one for a route without a record, else own/other/none. */
  cells: Outcome[][];
}

function tableUnder(heading: string): { header: string[]; rows: string[][] } {
  const lines = MATRIX.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`docs/authorisation-matrix.md has no section "## ${heading}"`);
  const split = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  let i = start + 1;
  while (i < lines.length && !(lines[i] ?? '').trim().startsWith('|')) {
    if ((lines[i] ?? '').startsWith('## ')) throw new Error(`"## ${heading}" has no table`);
    i++;
  }
  const header = split(lines[i] ?? '');
  const rows: string[][] = [];
  for (i += 2; i < lines.length && (lines[i] ?? '').trim().startsWith('|'); i++)
    rows.push(split(lines[i] ?? ''));
  return { header, rows };
}

function parseOutcomes(cell: string, hasRecord: boolean, where: string): Outcome[] {
  const parts = cell.split('/').map((p) => p.trim());
  if (parts.length !== (hasRecord ? 3 : 1) || parts.some((p) => !OUTCOMES.includes(p)))
    throw new Error(`${where}: "${cell}" is not ${hasRecord ? 'own/other/none' : 'one value'} of A D N R -`);
  return parts as Outcome[];
}

function parseRoute(cell: string): { method: Method; path: string; query: string } | null {
  const text = cell.replace(/^`|`$/g, '');
  const [method = '', target = ''] = text.split(' ');
  if (!METHODS.includes(method)) return null;
  const [path = '', query = ''] = target.split('?');
  return { method: method as Method, path, query };
}

/**
 * A table of routes: the route, its record, then one column per subject. `scenarios` false: one
 * value per cell even for a route with a record (the scenario is fixed by the table).
 */
function routeTable(heading: string, subjects: readonly string[], scenarios = true): Row[] {
  const { header, rows } = tableUnder(heading);
  const first = 2;
  const columns = header.slice(first, first + subjects.length);
  if (JSON.stringify(columns) !== JSON.stringify(subjects))
    throw new Error(
      `"## ${heading}": the columns must be ${subjects.join(', ')}; found ${columns.join(', ')}`,
    );
  return rows.flatMap((cells) => {
    const route = parseRoute(cells[0] ?? '');
    if (!route) return [];
    const recordCell = (cells[1] ?? '').replace(/`/g, '');
    const record = ['—', '-', ''].includes(recordCell) ? null : recordCell;
    const line = cells[0] ?? '';
    return [
      {
        line,
        ...route,
        record,
        cells: subjects.map((_, i) =>
          parseOutcomes(cells[first + i] ?? '', scenarios && record !== null, `${line} × ${subjects[i]}`),
        ),
      },
    ];
  });
}

const ROLE_ROWS = routeTable('Routes × roles', ROLES);
const STAGES = ['password_change', 'mfa_enrol', 'mfa_verify', 'active'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_TABLE = tableUnder('Sign-in stages');
const GLASS_ROWS = routeTable('Break-glass is read-only', ['supervisor with break-glass'], false);
const OVERSIGHT_ROWS = routeTable(
  'Supervisor oversight is read-only',
  ['supervisor, organisation on the case', 'supervisor, organisation not on the case'],
  false,
);

const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/* ------------------------------------------------------------------ the world */

const LAWFUL_BASIS = 'ota_66c_ot_services';
const BREAK_GLASS_REASON = 'Urgent: child missing tonight, need whānau contacts';
const PRIVACY_REASON = 'Invented IPP 6 request received in writing on 1 July';

/** Side B's child: every value here and in validReferral's child is invented. */
const CHILD_B: Partial<ReferralInput['child']> = {
  givenNames: 'Mereana',
  familyName: 'Pōhatu-Testchild',
  aliases: ['Mere-Bee'],
  dateOfBirth: '2012-08-21',
  currentLocation: 'Staying at the Tūī Lodge motel',
};
const NARRATIVE_B = 'Invented narrative: Mereana was seen with older men outside the station late at night.';

/** Values that identify a child, the referrer or what was shared: never in a refusal. */
const IDENTIFYING = [
  'Tāne',
  'Kōrero-Testchild',
  'T-Bone',
  '2011-03-14',
  'Ōtāhuhu',
  'Synthetic narrative',
  'Mereana',
  'Pōhatu-Testchild',
  'Mere-Bee',
  '2012-08-21',
  'Tūī Lodge',
  'Invented narrative',
  '+64 9 555 0101',
  'referrer@example.test',
  'Needs a safe bed',
  'Bed 4',
];

interface Side {
  name: 'A' | 'B';
  frontline: Person;
  triage: Person;
  decisionMaker: Person;
  caseworker: Person;
  supervisor: Person;
  provider: Person;
  analyst: Person;
  lead: string;
  police: string;
  shelter: string;
  partner: string;
  service: string;
  child: Partial<ReferralInput['child']>;
  narrative: string;
}

interface OpenedCase {
  id: string;
  reference: string;
  referralId: string;
  referralReference: string;
}

/** A record a request is about: the path's ids, and the values a refusal must not show. */
interface Rec {
  id: string;
  itemId?: string;
  reference?: string;
  /** For an untriaged referral: the case whose child it may be (a duplicate candidate). */
  caseId?: string;
  side?: Side;
  secrets: string[];
}

interface Shared {
  case: OpenedCase;
  case2: OpenedCase;
  goal: string;
  action: string;
  merge: string;
  decision: string;
  serviceReferral: string;
  untriaged: Rec;
  extract: string;
  breakGlass: string;
}

const ROLE_HOME: Record<Role, [string, OrganisationKind]> = {
  frontline: ['police-a', 'police'],
  triage: ['lead-a', 'lead_agency'],
  decision_maker: ['lead-a', 'lead_agency'],
  caseworker: ['lead-a', 'lead_agency'],
  supervisor: ['lead-a', 'lead_agency'],
  service_provider: ['shelter-a', 'ngo'],
  analyst: ['research-a', 'other'],
  data_steward: ['research-a', 'other'],
  maori_data_governance: ['governance', 'kaupapa_maori'],
  privacy_officer: ['lead-a', 'lead_agency'],
  auditor: ['oversight', 'other'],
  administrator: ['lead-a', 'lead_agency'],
};

const ROLES_WITH_DRAFTS: readonly Role[] = ['frontline', 'triage', 'caseworker'];

describe('authorisation matrix (docs/authorisation-matrix.md)', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let world: CaseWorld;
  const people = new Map<Role, Person>();
  let A: Side;
  let B: Side;
  const shared = new Map<'A' | 'B', Shared>();
  let spareCaseworker: TestUser;
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}-${(counter++).toString(36)}`;

  const person = (role: Role): Person => {
    const found = people.get(role);
    if (!found) throw new Error(`no person for ${role}`);
    return found;
  };
  const sharedOf = (side: Side): Shared => {
    const found = shared.get(side.name);
    if (!found) throw new Error(`side ${side.name} is not built`);
    return found;
  };

  function expectStatus(res: LightMyRequestResponse, status: number, what: string): LightMyRequestResponse {
    if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res;
  }

  /* ---------------------------------------------------------------- building records */

  const versionOf = async (
    table: 'referral' | 'case_record' | 'decision' | 'case_goal' | 'conference_action' | 'service' | 'charge',
    id: string,
  ) =>
    (await ctx.db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst())?.version ?? 1;

  async function submit(side: Side): Promise<{ id: string; reference: string }> {
    const ack = await world.submitReferral({ narrative: side.narrative }, side.child, side.frontline);
    return { id: ack.id, reference: ack.reference };
  }

  /** A case of the side's lead agency: opened by triage, led by the caseworker, the supervisor on its team. */
  async function openCase(side: Side): Promise<OpenedCase> {
    const referral = await submit(side);
    const opened = expectStatus(
      await side.triage.client.post(`/api/triage/referrals/${referral.id}/open-case`, {
        version: await versionOf('referral', referral.id),
        caseworkerId: side.caseworker.user.id,
      }),
      201,
      'open case',
    );
    const { caseId, reference } = opened.json<{ caseId: string; reference: string }>();
    expectStatus(
      await side.caseworker.client.post(`/api/cases/${caseId}/team/members`, {
        userId: side.supervisor.user.id,
        teamRole: 'caseworker',
      }),
      201,
      'add supervisor',
    );
    return { id: caseId, reference, referralId: referral.id, referralReference: referral.reference };
  }

  async function addPartner(side: Side, caseId: string): Promise<void> {
    expectStatus(
      await side.caseworker.client.post(`/api/cases/${caseId}/team/organisations`, {
        organisationId: side.partner,
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Health assessment',
        fields: ['age_band'],
        childConsulted: 'yes',
      }),
      201,
      'add partner',
    );
  }

  async function addGoal(side: Side, caseId: string): Promise<string> {
    const res = await side.caseworker.client.post(`/api/cases/${caseId}/goals`, {
      description: 'Safe place to stay',
      dueOn: '2026-08-01',
    });
    return expectStatus(res, 201, 'goal').json<{ id: string }>().id;
  }

  async function addCharge(side: Side, caseId: string): Promise<string> {
    const res = await side.caseworker.client.post(`/api/cases/${caseId}/charges`, {
      provision: 'pra_22',
      manifestation: 'exploitation_in_prostitution',
      laidOn: '2026-06-30',
    });
    return expectStatus(res, 201, 'charge').json<{ id: string }>().id;
  }

  async function addAction(side: Side, caseId: string): Promise<string> {
    const res = await side.caseworker.client.post(`/api/cases/${caseId}/conferences`, {
      heldOn: '2026-07-02',
      attendees: [{ organisationId: side.lead }, { organisationId: side.police }],
      decisions: 'Safety plan agreed.',
      actions: [{ description: 'Find a placement', ownerOrganisationId: side.lead, dueOn: '2026-07-10' }],
    });
    const conferenceId = expectStatus(res, 201, 'conference').json<{ id: string }>().id;
    const row = await ctx.db
      .selectFrom('conference_action')
      .select('id')
      .where('conference_id', '=', conferenceId)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function mergeTwo(side: Side): Promise<string> {
    const kept = await openCase(side);
    const merged = await openCase(side);
    const res = await side.caseworker.client.post(`/api/cases/${kept.id}/merge`, {
      otherCaseId: merged.id,
      reason: 'The same child, found twice',
      version: await versionOf('case_record', kept.id),
    });
    return expectStatus(res, 200, 'merge').json<{ mergeId: string }>().mergeId;
  }

  async function pendingDecision(caseId: string): Promise<string> {
    const row = await ctx.db
      .selectFrom('decision')
      .select('id')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'reasonable_grounds')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function decide(side: Side, decisionId: string, outcome: 'positive' | 'negative') {
    expectStatus(
      await side.decisionMaker.client.post(`/api/decisions/${decisionId}/decide`, {
        outcome,
        rationale: 'Invented rationale: objective indicators were reported.',
        evidence: 'Police file P0123456789.',
        version: await versionOf('decision', decisionId),
      }),
      200,
      'decide',
    );
  }

  async function createService(side: Side): Promise<string> {
    const res = await side.provider.client.post('/api/services', {
      providerOrganisationId: side.shelter,
      name: `Emergency beds ${side.name} ${unique()}`,
      needTypes: ['emergency_accommodation'],
      regions: ['02'],
    });
    return expectStatus(res, 201, 'service').json<{ id: string }>().id;
  }

  /** An accepted service referral: the provider holds it. */
  async function serviceReferral(side: Side, caseId?: string): Promise<string> {
    const onCase = caseId ?? (await openCase(side)).id;
    const sent = expectStatus(
      await side.caseworker.client.post(`/api/cases/${onCase}/service-referrals`, {
        serviceId: side.service,
        needType: 'emergency_accommodation',
        sharedFields: ['age_band', 'needs_summary'],
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Emergency accommodation tonight',
        childConsulted: 'yes',
        needsSummary: 'Needs a safe bed tonight.',
      }),
      201,
      'service referral',
    );
    const referral = sent.json<ServiceReferral>();
    expectStatus(
      await side.provider.client.post(`/api/service-referrals/${referral.id}/transition`, {
        to: 'accepted',
        version: referral.version,
      }),
      200,
      'accept',
    );
    return referral.id;
  }

  /** A referral waiting for triage, already scored against the children on cases. */
  async function untriaged(side: Side): Promise<Rec> {
    const referral = await submit(side);
    const row = await ctx.db
      .selectFrom('referral')
      .select('child_id')
      .where('id', '=', referral.id)
      .executeTakeFirstOrThrow();
    await scoreChild(ctx, row.child_id);
    return {
      id: referral.id,
      reference: referral.reference,
      caseId: sharedOf(side).case.id,
      side,
      secrets: [referral.id, referral.reference],
    };
  }

  const extractRequest = (variables: string[]) => ({
    purpose: 'How long children wait for a reasonable-grounds decision, by region.',
    variables,
    from: '2026-07-01',
    to: '2026-07-31',
    ethicsApproval: {
      committee: 'Invented Ethics Committee',
      reference: 'IEC 2026/001',
      approvedOn: '2026-06-01',
    },
  });

  async function requestExtract(side: Side, variables = ['region', 'ethnicities']): Promise<string> {
    const res = await side.analyst.client.post('/api/extracts', extractRequest(variables));
    return expectStatus(res, 201, 'extract').json<{ id: string }>().id;
  }

  async function breakGlass(side: Side, caseId: string): Promise<string> {
    expectStatus(
      await side.supervisor.client.post(`/api/cases/${caseId}/break-glass`, { reason: BREAK_GLASS_REASON }),
      201,
      'break glass',
    );
    const row = await ctx.db
      .selectFrom('break_glass')
      .select('id')
      .where('case_id', '=', caseId)
      .where('user_id', '=', side.supervisor.user.id)
      .orderBy('granted_at', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const drafts = new Map<string, string>();
  async function draftOf(owner: Person, fresh: boolean): Promise<string> {
    const cached = drafts.get(owner.user.id);
    if (cached && !fresh) return cached;
    const res = await owner.client.post('/api/referral-drafts', { step: 0, content: { note: 'started' } });
    const id = expectStatus(res, 201, 'draft').json<{ id: string }>().id;
    if (!fresh) drafts.set(owner.user.id, id);
    return id;
  }

  const notifications = new Map<string, string>();
  async function notificationOf(userId: string, fresh: boolean): Promise<string> {
    const cached = notifications.get(userId);
    if (cached && !fresh) return cached;
    const dedupeKey = `matrix-${unique()}`;
    await notify(ctx, [
      {
        userId,
        kind: 'reminder',
        subjectType: 'case',
        subjectId: randomUUID(),
        message: 'A decision on CASE-2026-000000 is due soon.',
        link: null,
        dedupeKey,
      },
    ]);
    const row = await ctx.db
      .selectFrom('notification')
      .select('id')
      .where('user_id', '=', userId)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirstOrThrow();
    if (!fresh) notifications.set(userId, row.id);
    return row.id;
  }

  const spareUsers = new Map<string, string>();
  async function userOf(organisationId: string, fresh: boolean): Promise<string> {
    const cached = spareUsers.get(organisationId);
    if (cached && !fresh) return cached;
    const id = (await createUser(ctx, ['frontline'], { organisationId })).id;
    if (!fresh) spareUsers.set(organisationId, id);
    return id;
  }

  const apiKeys = new Map<string, string>();
  async function apiKeyOf(organisationId: string, fresh: boolean): Promise<string> {
    const cached = apiKeys.get(organisationId);
    if (cached && !fresh) return cached;
    const res = await person('administrator').client.post(`/api/organisations/${organisationId}/api-keys`, {
      name: `Case system ${unique()}`,
    });
    const id = expectStatus(res, 201, 'api key').json<{ apiKey: { id: string } }>().apiKey.id;
    if (!fresh) apiKeys.set(organisationId, id);
    return id;
  }

  /** A second person of a role in Lead agency A: the one whose requests the role's person decides. */
  const seconds = new Map<Role, Person>();
  async function secondPerson(role: 'administrator' | 'privacy_officer'): Promise<Person> {
    const found = seconds.get(role);
    if (found) return found;
    const made = await world.person(`second-${role}`, [role], 'lead-a', 'lead_agency');
    seconds.set(role, made);
    return made;
  }

  /** A second administrator's request to reset the authenticator of a person of the organisation. */
  const privilegedRequests = new Map<string, string>();
  async function privilegedRequestOf(organisationId: string, fresh: boolean): Promise<string> {
    const cached = privilegedRequests.get(organisationId);
    if (cached && !fresh) return cached;
    const target = await userOf(organisationId, true);
    const res = await (await secondPerson('administrator')).client.post(`/api/users/${target}/reset-mfa`);
    const id = expectStatus(res, 202, 'privileged request').json<{ id: string }>().id;
    if (!fresh) privilegedRequests.set(organisationId, id);
    return id;
  }

  /** The suggested match of an untriaged referral with the case it may belong to (a random id if none). */
  async function candidateOf(rec: Rec | null): Promise<string> {
    if (!rec?.caseId) return randomUUID();
    const row = await ctx.db
      .selectFrom('child_link as l')
      .innerJoin('referral as r', 'r.child_id', 'l.child_id')
      .innerJoin('child as c', 'c.id', 'l.candidate_child_id')
      .select('l.id')
      .where('r.id', '=', rec.id)
      .where('c.case_id', '=', rec.caseId)
      .where('l.status', '=', 'candidate')
      .executeTakeFirst();
    return row?.id ?? randomUUID();
  }

  /** The other side's triage officer's request to add a new referral to the side's case. */
  const attachRequests = new Map<string, string>();
  async function attachRequestOf(side: Side, fresh: boolean): Promise<string> {
    const cached = attachRequests.get(side.name);
    if (cached && !fresh) return cached;
    const referral = await untriaged(side);
    const asker = side.name === 'A' ? B.triage : A.triage;
    const res = await asker.client.post(
      `/api/triage/referrals/${referral.id}/candidates/${await candidateOf(referral)}/attach-request`,
    );
    const id = expectStatus(res, 201, 'attach request').json<{ id: string }>().id;
    if (!fresh) attachRequests.set(side.name, id);
    return id;
  }

  async function askPrivacy(asker: Person, side: Side): Promise<string> {
    const res = await asker.client.post('/api/privacy-requests', {
      reference: sharedOf(side).case.reference,
      dateOfBirth: side.name === 'B' ? CHILD_B.dateOfBirth : validReferral().child.dateOfBirth,
      reason: PRIVACY_REASON,
    });
    return expectStatus(res, 201, 'privacy request').json<{ id: string }>().id;
  }

  /** A second privacy officer's pending request about the side's case. */
  const privacyRequests = new Map<string, string>();
  async function privacyRequestOf(side: Side, fresh: boolean): Promise<string> {
    const cached = privacyRequests.get(side.name);
    if (cached && !fresh) return cached;
    const id = await askPrivacy(await secondPerson('privacy_officer'), side);
    if (!fresh) privacyRequests.set(side.name, id);
    return id;
  }

  /** The asker's request about case A, approved by the other privacy officer. */
  const approvedPrivacyRequests = new Map<string, string>();
  async function approvedPrivacyRequestOf(asker: Person): Promise<string> {
    const cached = approvedPrivacyRequests.get(asker.user.id);
    if (cached) return cached;
    const id = await askPrivacy(asker, A);
    const second = await secondPerson('privacy_officer');
    const approver = asker.user.id === second.user.id ? person('privacy_officer') : second;
    expectStatus(
      await approver.client.post(`/api/privacy-requests/${id}/approve`),
      200,
      'approve privacy request',
    );
    approvedPrivacyRequests.set(asker.user.id, id);
    return id;
  }

  /** A signed-in session of its own for a role, for the routes that end or change a session. */
  async function spareSession(role: Role): Promise<Person> {
    const user = await createUser(ctx, [role], { organisationId: person(role).user.organisationId });
    const client = new Client(app);
    await client.signInFully(user);
    return { user, client };
  }

  const caseRec = (c: OpenedCase, side?: Side): Rec => ({
    id: c.id,
    reference: c.reference,
    ...(side ? { side } : {}),
    secrets: [c.id, c.reference, c.referralId, c.referralReference],
  });

  const none = (): Rec => ({
    id: randomUUID(),
    itemId: randomUUID(),
    reference: 'CASE-1999-000001',
    caseId: randomUUID(),
    secrets: [],
  });

  /** The record of a kind for a scenario; `fresh` makes a new one for a request that may change it. */
  async function recordFor(kind: string, scenario: Scenario, who: Person, fresh: boolean): Promise<Rec> {
    if (scenario === 'none') return none();
    const side = scenario === 'own' ? A : B;
    const s = sharedOf(side);
    const theCase = async () => (fresh ? openCase(side) : s.case);
    switch (kind) {
      case 'case':
        return caseRec(await theCase(), side);
      case 'case goal': {
        const c = await theCase();
        const goal = fresh ? await addGoal(side, c.id) : s.goal;
        return { ...caseRec(c, side), itemId: goal, secrets: [...caseRec(c).secrets, goal] };
      }
      case 'case charge': {
        const c = await theCase();
        const charge = await addCharge(side, c.id);
        return { ...caseRec(c, side), itemId: charge, secrets: [...caseRec(c).secrets, charge] };
      }
      case 'case action': {
        const c = await theCase();
        const action = fresh ? await addAction(side, c.id) : s.action;
        return { ...caseRec(c, side), itemId: action, secrets: [...caseRec(c).secrets, action] };
      }
      case 'case team organisation': {
        const c = await theCase();
        if (fresh) await addPartner(side, c.id);
        return { ...caseRec(c, side), itemId: side.partner };
      }
      case 'case merge': {
        const merge = fresh ? await mergeTwo(side) : s.merge;
        return { id: merge, side, secrets: [merge] };
      }
      case 'referral':
        return {
          id: s.case.referralId,
          reference: s.case.referralReference,
          side,
          secrets: caseRec(s.case).secrets,
        };
      case 'untriaged referral':
        return fresh ? untriaged(side) : s.untriaged;
      case 'decision': {
        if (!fresh) return { id: s.decision, side, secrets: [s.decision, ...caseRec(s.case).secrets] };
        const c = await openCase(side);
        const decision = await pendingDecision(c.id);
        return { id: decision, side, secrets: [decision, ...caseRec(c).secrets] };
      }
      case 'service referral': {
        const id = fresh ? await serviceReferral(side) : s.serviceReferral;
        return { id, side, secrets: [id] };
      }
      case 'service': {
        const id = fresh ? await createService(side) : side.service;
        return { id, side, secrets: [id] };
      }
      case 'organisation': {
        const id = scenario === 'own' ? who.user.organisationId : B.police;
        return { id, side, secrets: scenario === 'own' ? [] : [id] };
      }
      case 'user': {
        const id = await userOf(scenario === 'own' ? who.user.organisationId : B.police, fresh);
        return { id, side, secrets: [id] };
      }
      case 'API key': {
        const id = await apiKeyOf(scenario === 'own' ? who.user.organisationId : B.police, fresh);
        return { id, side, secrets: [id] };
      }
      case 'draft': {
        const owner =
          scenario === 'other'
            ? B.frontline
            : ROLES_WITH_DRAFTS.some((r) => who.user.roles.includes(r))
              ? who
              : A.frontline;
        const id = await draftOf(owner, fresh);
        return { id, side, secrets: [id] };
      }
      case 'extract': {
        const id = fresh ? await requestExtract(side) : s.extract;
        return { id, side, secrets: [id] };
      }
      case 'notification': {
        const id = await notificationOf(scenario === 'own' ? who.user.id : B.frontline.user.id, fresh);
        return { id, side, secrets: [id] };
      }
      case 'break-glass access': {
        const id = fresh ? await breakGlass(side, s.case.id) : s.breakGlass;
        return { id, side, secrets: [id] };
      }
      case 'privileged request': {
        const id = await privilegedRequestOf(scenario === 'own' ? who.user.organisationId : B.police, fresh);
        return { id, side, secrets: [id] };
      }
      case 'attach request': {
        const id = await attachRequestOf(side, fresh);
        return { id, side, secrets: [id, s.case.id, s.case.reference] };
      }
      case 'privacy request': {
        const id = await privacyRequestOf(side, fresh);
        return { id, side, secrets: [id] };
      }
      case 'privacy file': {
        const asker =
          scenario === 'other'
            ? await secondPerson('privacy_officer')
            : who.user.roles.includes('privacy_officer')
              ? who
              : person('privacy_officer');
        const id = await approvedPrivacyRequestOf(asker);
        return { id, side, secrets: [id] };
      }
      default:
        throw new Error(`The matrix names a record the test does not know: "${kind}"`);
    }
  }

  /* ---------------------------------------------------------------- requests, route by route */

  interface Cell {
    row: Row;
    role: Role;
    who: Person;
    scenario: Scenario | null;
    rec: Rec | null;
    fresh: boolean;
  }
  interface Send {
    client?: Client;
    url?: string;
    query?: string;
    body?: unknown;
    headers?: Record<string, string>;
    /** Not JSON (a file upload): sent as it is, with the caller's session and CSRF token. */
    raw?: string;
  }
  type Builder = (cell: Cell) => Send | Promise<Send>;

  const PERIOD = 'from=2026-07-01&to=2026-07-31';
  const recId = (cell: Cell) => cell.rec?.id ?? randomUUID();
  const sideOf = (cell: Cell) => cell.rec?.side ?? A;

  const BUILDERS: Record<string, Builder> = {
    'POST /api/auth/sign-in': ({ who }) => ({
      client: new Client(app),
      body: { email: who.user.email, password: who.user.password },
    }),
    'POST /api/auth/password': async ({ role }) => {
      const spare = await spareSession(role);
      return {
        client: spare.client,
        body: { currentPassword: spare.user.password, newPassword: 'an entirely new passphrase' },
      };
    },
    'POST /api/auth/mfa/enrolment': async ({ role }) => ({
      client: (await spareSession(role)).client,
      body: {},
    }),
    'POST /api/auth/mfa/enrolment/confirm': async ({ role }) => ({
      client: (await spareSession(role)).client,
      body: { code: '123456' },
    }),
    'POST /api/auth/mfa/verify': async ({ role }) => ({
      client: (await spareSession(role)).client,
      body: { code: '123456' },
    }),
    'POST /api/auth/sign-out': async ({ role }) => ({ client: (await spareSession(role)).client, body: {} }),
    // No identity provider is configured here: the flow is tested against a real one in oidc.test.ts.
    'GET /api/auth/oidc/:provider/start': () => ({ url: '/api/auth/oidc/not-configured/start' }),
    'GET /api/auth/oidc/:provider/callback': () => ({
      url: '/api/auth/oidc/not-configured/callback',
      query: 'code=x&state=y',
    }),

    'GET /api/reference/:version': () => ({ url: `/api/reference/${CURRENT_TAXONOMY.version}` }),
    'POST /api/terminology/check': () => ({ body: { text: 'A young person was seen with older men.' } }),
    'GET /api/colleagues': () => ({ query: 'permission=cases.read' }),

    'POST /api/organisations': () => ({
      body: { kind: 'ngo', name: `Invented organisation ${unique()}`, regionsServed: ['09'] },
    }),
    'PATCH /api/organisations/:id': async (cell) => ({
      body: { regionsServed: ['09'], version: await orgVersion(recId(cell)) },
    }),
    'POST /api/organisations/:id/api-keys': () => ({ body: { name: `Case system ${unique()}` } }),
    'POST /api/users': ({ who }) => ({
      body: {
        email: `invented-${unique()}@example.test`,
        displayName: 'Invented Person',
        organisationId: who.user.organisationId,
        roles: ['frontline'],
      },
    }),
    'PATCH /api/users/:id': async (cell) => ({
      body: { displayName: 'Renamed Person', version: await userVersion(recId(cell)) },
    }),

    'POST /api/referrals': () => ({ body: validReferral() }),
    'POST /api/referral-drafts': () => ({ body: { step: 0, content: { note: 'started' } } }),
    'PUT /api/referral-drafts/:id': () => ({ body: { step: 1, content: { note: 'saved' } } }),
    'POST /api/imports/referrals': () => ({
      query: 'dryRun=true',
      headers: { 'content-type': 'text/csv' },
      raw: 'source_id,referrer_name\n',
    }),

    'POST /api/triage/assign': (cell) => ({
      body: { referralIds: [recId(cell)], assigneeId: cell.who.user.id },
    }),
    'POST /api/triage/referrals/:id/candidates/reject': (cell) => ({
      body: { caseId: cell.rec?.caseId ?? randomUUID() },
    }),
    'POST /api/triage/referrals/:id/candidates/:candidateId/attach-request': async (cell) => ({
      url: `/api/triage/referrals/${recId(cell)}/candidates/${await candidateOf(cell.rec)}/attach-request`,
    }),
    'POST /api/triage/referrals/:id/open-case': async (cell) => ({
      body: { version: await versionOf('referral', recId(cell)) },
    }),
    'POST /api/triage/referrals/:id/attach': async (cell) => ({
      // Always to a case of the caller's own organisation.
      body: {
        caseId: cell.fresh ? (await openCase(A)).id : sharedOf(A).case.id,
        version: await versionOf('referral', recId(cell)),
      },
    }),
    'POST /api/triage/referrals/:id/screen-out': async (cell) => ({
      body: { reason: 'insufficient_information', version: await versionOf('referral', recId(cell)) },
    }),

    'POST /api/cases/:id/team/organisations': () => ({
      body: {
        organisationId: A.partner,
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Health assessment',
        fields: ['age_band'],
        childConsulted: 'yes',
      },
    }),
    'POST /api/cases/:id/team/members': () => ({
      body: { userId: spareCaseworker.id, teamRole: 'caseworker' },
    }),
    'POST /api/cases/:id/goals': () => ({ body: { description: 'Back at school', dueOn: '2026-08-01' } }),
    'POST /api/cases/:id/charges': () => ({
      body: { provision: 'crimes_98d', manifestation: 'trafficking_sexual_purposes', laidOn: '2026-06-01' },
    }),
    'PATCH /api/cases/:id/charges/:itemId': async (cell) => ({
      body: {
        outcome: 'convicted',
        outcomeOn: '2026-07-01',
        version: await versionOf('charge', cell.rec?.itemId ?? randomUUID()),
      },
    }),
    'PATCH /api/cases/:id/goals/:itemId': async (cell) => ({
      body: { status: 'achieved', version: await versionOf('case_goal', cell.rec?.itemId ?? randomUUID()) },
    }),
    'POST /api/cases/:id/notes': () => ({ body: { body: 'Met with whānau at the office.' } }),
    'POST /api/cases/:id/conferences': () => ({
      body: {
        heldOn: '2026-07-02',
        attendees: [{ organisationId: A.lead }, { organisationId: A.police }],
        decisions: 'Safety plan agreed.',
      },
    }),
    'PATCH /api/cases/:id/actions/:itemId': async (cell) => ({
      body: {
        status: 'done',
        version: await versionOf('conference_action', cell.rec?.itemId ?? randomUUID()),
      },
    }),
    'POST /api/cases/:id/close': async (cell) => ({
      body: { reason: 'needs_met', version: await versionOf('case_record', recId(cell)) },
    }),
    'POST /api/cases/:id/reopen': async (cell) => {
      if (cell.fresh && cell.rec) {
        expectStatus(
          await sideOf(cell).caseworker.client.post(`/api/cases/${cell.rec.id}/close`, {
            reason: 'needs_met',
            version: await versionOf('case_record', cell.rec.id),
          }),
          200,
          'close before reopening',
        );
      }
      return {
        body: {
          reason: 'A new concern from the school',
          version: await versionOf('case_record', recId(cell)),
        },
      };
    },
    'POST /api/cases/:id/merge': async (cell) => ({
      body: {
        otherCaseId: cell.fresh ? (await openCase(A)).id : sharedOf(A).case2.id,
        reason: 'The same child, found twice',
        version: await versionOf('case_record', recId(cell)),
      },
    }),
    'POST /api/case-merges/:id/unmerge': () => ({ body: { reason: 'Not the same child after all' } }),
    'POST /api/cases/:id/needs': () => ({ body: { needType: 'emergency_accommodation' } }),
    // A different need each time: the same open need recorded twice is refused (409).
    'POST /api/cases/:id/unmet-needs': () => ({
      body: {
        needType: NEED_TYPES[unmetNeedCalls++ % NEED_TYPES.length],
        note: 'No service in the region could take the child.',
      },
    }),
    'POST /api/cases/:id/service-referrals': () => ({
      body: {
        serviceId: A.service,
        needType: 'emergency_accommodation',
        sharedFields: ['age_band', 'needs_summary'],
        lawfulBasis: LAWFUL_BASIS,
        purpose: 'Emergency accommodation tonight',
        childConsulted: 'yes',
        needsSummary: 'Needs a safe bed tonight.',
      },
    }),
    'POST /api/cases/:id/break-glass': () => ({ body: { reason: BREAK_GLASS_REASON } }),
    'POST /api/break-glass': (cell) => ({
      body: {
        caseReference: cell.rec?.reference ?? 'CASE-1999-000001',
        dateOfBirth:
          (cell.rec?.side ?? A).name === 'B' ? CHILD_B.dateOfBirth : validReferral().child.dateOfBirth,
        reason: BREAK_GLASS_REASON,
      },
    }),
    'POST /api/break-glass/:id/review': () => ({ body: { outcome: 'justified' } }),
    'POST /api/privacy-requests': (cell) => ({
      body: {
        reference: cell.rec?.reference ?? 'CASE-1999-000001',
        dateOfBirth:
          (cell.rec?.side ?? A).name === 'B' ? CHILD_B.dateOfBirth : validReferral().child.dateOfBirth,
        reason: PRIVACY_REASON,
      },
    }),

    'POST /api/decisions/:id/decide': async (cell) => ({
      body: {
        outcome: 'positive',
        rationale: 'Invented rationale: objective indicators were reported.',
        evidence: 'Police file P0123456789.',
        version: await versionOf('decision', recId(cell)),
      },
    }),
    'POST /api/decisions/:id/assign': async (cell) => ({
      body: { assigneeId: cell.who.user.id, version: await versionOf('decision', recId(cell)) },
    }),
    'POST /api/decisions/:id/panel': async (cell) => ({
      body: {
        memberIds: [A.caseworker.user.id, A.triage.user.id],
        version: await versionOf('decision', recId(cell)),
      },
    }),
    'POST /api/decisions/:id/views': async (cell) => {
      if (cell.fresh && cell.rec) {
        // Own: a decision whose panel includes the caller.
        const colleague = cell.role === 'caseworker' ? A.triage : A.caseworker;
        expectStatus(
          await A.decisionMaker.client.post(`/api/decisions/${cell.rec.id}/panel`, {
            memberIds: [cell.who.user.id, colleague.user.id],
            version: await versionOf('decision', cell.rec.id),
          }),
          200,
          'convene panel',
        );
      }
      return { body: { view: 'positive', comment: 'The indicators are clear.' } };
    },
    'POST /api/decisions/:id/reconsideration': async (cell) => {
      // Own: a negative decision, within the 30 days.
      if (cell.fresh && cell.rec) await decide(A, cell.rec.id, 'negative');
      return { body: { grounds: 'New information from the school.' } };
    },

    'POST /api/services': (cell) => ({
      body: {
        providerOrganisationId: recId(cell),
        name: `Counselling ${unique()}`,
        needTypes: ['counselling'],
        regions: ['02'],
      },
    }),
    'PUT /api/services/:id': async (cell) => ({
      body: { capacity: 'waitlist', version: await versionOf('service', recId(cell)) },
    }),
    'POST /api/service-referrals/:id/transition': async (cell) => ({
      body: {
        to: cell.role === 'service_provider' ? 'engaged' : 'withdrawn',
        version: await serviceReferralVersion(recId(cell)),
      },
    }),
    'POST /api/service-referrals/:id/notes': () => ({ body: { body: 'Bed 4 allocated.' } }),

    'GET /api/statistics': () => ({ query: PERIOD }),
    'GET /api/statistics/trends': () => ({ query: PERIOD }),
    'GET /api/statistics/trends/weekly': () => ({ query: 'from=2026-06-29&to=2026-07-26' }),
    'GET /api/statistics/iwi': () => ({ query: PERIOD }),
    'GET /api/statistics/iwi/grants': () => ({}),
    'GET /api/statistics/iwi/access': () => ({}),
    'GET /api/statistics/iwi/annexes': () => ({}),
    'POST /api/statistics/iwi/annexes': () => ({ body: { quarter: '2026Q2' } }),
    'POST /api/statistics/iwi/annexes/withdraw': () => ({ body: { quarter: '2026Q1' } }),
    'POST /api/statistics/iwi/grants': async () => ({
      body: {
        userId: (
          await createUser(ctx, ['analyst'], { organisationId: person('analyst').user.organisationId })
        ).id,
        purpose: 'Authorisation matrix',
        expiresOn: new Date(Date.parse(ctx.today()) + 30 * 86_400_000).toISOString().slice(0, 10),
      },
    }),
    'POST /api/statistics/iwi/grants/revoke': async () => {
      const grant = await ctx.db
        .insertInto('iwi_statistics_grant')
        .values({
          user_id: person('analyst').user.id,
          purpose: 'Authorisation matrix',
          expires_on: '2099-12-31',
          granted_by_user_id: person('maori_data_governance').user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { body: { id: grant.id } };
    },
    'GET /api/statistics/data-quality': () => ({ query: 'period=2026Q2' }),
    'GET /api/linkage/model': () => ({}),
    // Enough reviews of each kind for the model to learn from (synthetic, levels only).
    'POST /api/linkage/model/reestimate': async () => {
      for (const [n, label] of Array.from(
        { length: 60 },
        (_, k) => [k, k % 2 ? 'match' : 'non_match'] as const,
      )) {
        const pairKey = `matrix-${n}`;
        const vector = { model: 'matrix', fields: [{ comparison: 'given name', level: 'exact', weight: 1 }] };
        await ctx.db
          .insertInto('linkage_label')
          .values({
            pair_key: pairKey,
            label,
            vector_enc: ctx.keyring.encrypt(JSON.stringify(vector), `linkage_label.vector_enc:${pairKey}`),
            decided_by_user_id: null,
            decided_at: new Date(),
          })
          .onConflict((oc) => oc.column('pair_key').doNothing())
          .execute();
      }
      return {};
    },
    'POST /api/linkage/model/activate': () => ({ body: { versionId: 'built-in' } }),
    'GET /api/statistics/tables/:name/csv': () => ({
      url: '/api/statistics/tables/referrals_by_manifestation/csv',
      query: PERIOD,
    }),
    'GET /api/statistics/publications/bulletin': () => ({ query: 'quarter=2026Q2' }),
    'GET /api/statistics/publications/bulletin/download': () => ({ query: 'quarter=2026Q2&format=html' }),
    'GET /api/statistics/publications/opsc': () => ({ query: 'from=2026-04-01&to=2026-06-30' }),
    'GET /api/statistics/publications/opsc/download': () => ({
      query: 'from=2026-04-01&to=2026-06-30&format=html',
    }),
    'POST /api/statistics/events': () => ({
      body: { name: `Invented festival ${unique()}`, startsOn: '2026-07-01', endsOn: '2026-07-02' },
    }),
    'POST /api/statistics/series': () => ({
      body: { series: `Invented series ${unique()}`, csv: '2026-07-01,5\n2026-07-08,7' },
    }),
    'GET /api/exports/htcds': () => ({ query: PERIOD }),

    'POST /api/extracts': () => ({ body: extractRequest(['region']) }),
    'POST /api/extracts/:id/decline': () => ({ body: { reason: 'The purpose is too broad.' } }),
  };

  const orgVersion = async (id: string) =>
    (await ctx.db.selectFrom('organisation').select('version').where('id', '=', id).executeTakeFirst())
      ?.version ?? 1;
  const userVersion = async (id: string) =>
    (await ctx.db.selectFrom('app_user').select('version').where('id', '=', id).executeTakeFirst())
      ?.version ?? 1;
  const serviceReferralVersion = async (id: string) =>
    (await ctx.db.selectFrom('service_referral').select('version').where('id', '=', id).executeTakeFirst())
      ?.version ?? 1;

  const fill = (path: string, rec: Rec | null) =>
    path.replace(':id', rec?.id ?? randomUUID()).replace(':itemId', rec?.itemId ?? randomUUID());

  let sent = 0;
  async function send(cell: Cell): Promise<LightMyRequestResponse> {
    const builder: Builder = BUILDERS[routeKey(cell.row)] ?? (() => ({}));
    const built = await builder(cell);
    const query = [cell.row.query, built.query].filter(Boolean).join('&');
    const url = (built.url ?? fill(cell.row.path, cell.rec)) + (query ? `?${query}` : '');
    const body = built.body ?? (['GET', 'DELETE'].includes(cell.row.method) ? undefined : {});
    sent += 1;
    const client = built.client ?? cell.who.client;
    if (built.raw !== undefined) {
      return app.inject({
        method: cell.row.method,
        url,
        payload: built.raw,
        headers: {
          ...built.headers,
          ...(client.cookie ? { cookie: `tiaki_session=${client.cookie}` } : {}),
          ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
        },
      });
    }
    return client.request(cell.row.method, url, body, {
      ...(built.headers ? { headers: built.headers } : {}),
    });
  }

  /** What is wrong with an answer, or null. */
  function judge(expected: Outcome, res: LightMyRequestResponse, secrets: readonly string[]): string | null {
    const status = res.statusCode;
    const said = `${status} ${res.body.slice(0, 240)}`;
    if (status >= 500) return `server error: ${said}`;
    if (expected === 'A' && (status < 200 || status > 299)) return `expected allowed (2xx), got ${said}`;
    if (expected === 'D' && status !== 403 && status !== 404) return `expected denied (403/404), got ${said}`;
    if (expected === 'N' && status !== 404) return `expected not found (404), got ${said}`;
    if (expected === 'R' && ![403, 409, 422].includes(status))
      return `expected refused (403/409/422), got ${said}`;
    if (expected !== 'A') {
      const leaked = secrets.find((s) => s && res.body.includes(s));
      if (leaked) return `the refusal shows "${leaked}": ${said}`;
    }
    return null;
  }

  /* ---------------------------------------------------------------- setup */

  beforeAll(async () => {
    ctx = await createTestContext('pglite', {
      TIAKI_TODAY: '2026-07-03',
      LOGIN_IP_LIMIT_PER_15_MINUTES: '100000',
    });
    app = await buildTestApp(ctx);
    world = new CaseWorld(ctx, app);
    for (const role of ROLES) {
      const [organisation, kind] = ROLE_HOME[role];
      people.set(role, await world.person(`role-${role}`, [role], organisation, kind));
    }
    const side = async (name: 'A' | 'B'): Promise<Side> => {
      const s = name.toLowerCase();
      const lead = await world.organisation(`lead-${s}`, 'lead_agency');
      const police = await world.organisation(`police-${s}`, 'police');
      const shelter = await world.organisation(`shelter-${s}`, 'ngo');
      const partner = await world.organisation(`health-${s}`, 'health');
      const their = (role: Role, home: string, kind: OrganisationKind) =>
        name === 'A' ? person(role) : world.person(`${role}-b`, [role], home, kind);
      const built: Omit<Side, 'service'> = {
        name,
        frontline: await their('frontline', 'police-b', 'police'),
        triage: await their('triage', 'lead-b', 'lead_agency'),
        decisionMaker: await their('decision_maker', 'lead-b', 'lead_agency'),
        caseworker: await their('caseworker', 'lead-b', 'lead_agency'),
        supervisor: await their('supervisor', 'lead-b', 'lead_agency'),
        provider: await their('service_provider', 'shelter-b', 'ngo'),
        analyst: await their('analyst', 'research-b', 'other'),
        lead,
        police,
        shelter,
        partner,
        child: name === 'A' ? {} : CHILD_B,
        narrative: name === 'A' ? validReferral().narrative : NARRATIVE_B,
      };
      const withService = { ...built, service: '' };
      withService.service = await createService(withService);
      return withService;
    };
    A = await side('A');
    B = await side('B');
    spareCaseworker = await createUser(ctx, ['caseworker'], { organisationId: A.lead });

    for (const s of [A, B]) {
      const theCase = await openCase(s);
      const case2 = await openCase(s);
      await addPartner(s, theCase.id);
      const goal = await addGoal(s, theCase.id);
      const action = await addAction(s, theCase.id);
      const merge = await mergeTwo(s);
      const decision = await pendingDecision(theCase.id);
      const referral = await serviceReferral(s, theCase.id);
      const partial = { case: theCase, case2, goal, action, merge, decision, serviceReferral: referral };
      shared.set(s.name, { ...partial, untriaged: { id: '', secrets: [] }, extract: '', breakGlass: '' });
      const current = sharedOf(s);
      current.untriaged = await untriaged(s);
      current.breakGlass = await breakGlass(s, theCase.id);
      current.extract = await requestExtract(s, s.name === 'A' ? ['region'] : ['region', 'ethnicities']);
    }
    // Side A's extract is produced, so its requester can download it.
    expectStatus(
      await person('data_steward').client.post(`/api/extracts/${sharedOf(A).extract}/approve`, {}),
      200,
      'approve extract',
    );
  }, 360_000);

  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  /* ---------------------------------------------------------------- the tests */

  it('has a row for every route, and no row for a route that does not exist', () => {
    const declared = new Set(
      app.declaredRoutes
        .filter((r) => !r.url.startsWith('/api/docs') && r.url !== '/*' && r.url !== '/')
        .map((r) => `${r.method} ${r.url}`),
    );
    const listed = new Set(ROLE_ROWS.map(routeKey));
    const missing = [...declared].filter((r) => !listed.has(r)).sort();
    const unknown = [...listed].filter((r) => !declared.has(r)).sort();
    expect(missing, 'routes missing from docs/authorisation-matrix.md').toEqual([]);
    expect(unknown, 'rows for routes that do not exist').toEqual([]);
    for (const key of PUBLIC_OR_SIGNING_IN) expect(listed.has(key), key).toBe(true);
    const byRoute = new Map(app.declaredRoutes.map((r) => [`${r.method} ${r.url}`, r]));
    for (const row of ROLE_ROWS) {
      const hasId = /:(id|itemId)\b/.test(row.path);
      const bodyRecord = [
        'POST /api/break-glass',
        'POST /api/triage/assign',
        'POST /api/services',
        'POST /api/privacy-requests',
      ];
      expect(row.record !== null, `${row.line}: a route with an id names its record`).toBe(
        hasId || bodyRecord.includes(routeKey(row)),
      );
      expect(byRoute.has(routeKey(row))).toBe(true);
    }
  });

  it('holds for every route × role × scenario', async () => {
    const started = Date.now();
    const failures: string[] = [];
    for (const row of ROLE_ROWS) {
      for (const [column, role] of ROLES.entries()) {
        const who = person(role);
        const expected = row.cells[column] ?? [];
        const scenarios = row.record === null ? [null] : SCENARIOS;
        for (const [i, scenario] of scenarios.entries()) {
          const outcome = expected[i] ?? '-';
          if (outcome === '-') continue;
          const fresh = row.method !== 'GET' && outcome === 'A';
          const where = `${row.line} × ${role}${scenario ? ` × ${scenario}` : ''}`;
          try {
            const rec = row.record && scenario ? await recordFor(row.record, scenario, who, fresh) : null;
            const res = await send({ row, role, who, scenario, rec, fresh });
            const problem = judge(outcome, res, [...IDENTIFYING, ...(rec?.secrets ?? [])]);
            // A list open to the caller names no child either.
            const listLeak =
              !problem && outcome === 'A' && row.record === null
                ? IDENTIFYING.find((s) => res.body.includes(s))
                : undefined;
            if (problem) failures.push(`${where}: ${problem}`);
            else if (listLeak) failures.push(`${where}: the answer names "${listLeak}"`);
          } catch (error) {
            failures.push(`${where}: ${(error as Error).message}`);
          }
        }
      }
    }
    const routes = new Set(ROLE_ROWS.map(routeKey)).size;
    console.log(
      `authorisation matrix: ${routes} routes (${ROLE_ROWS.length} rows) × ${ROLES.length} roles × 3 scenarios = ${sent} requests checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(failures).toEqual([]);
  }, 720_000);

  it('opens each sign-in step only at its own stage, and nothing else before sign-in ends', async () => {
    const failures: string[] = [];
    const stageColumns = STAGE_TABLE.header.slice(1, 1 + STAGES.length);
    expect(stageColumns).toEqual([...STAGES]);

    const sessionAt = async (stage: Stage, roles: Role[] = ['caseworker']) => {
      const user = await createUser(ctx, roles, { mustChangePassword: stage === 'password_change' });
      const client = new Client(app);
      let secret: string | undefined;
      if (stage === 'password_change' || stage === 'mfa_enrol')
        await client.signIn(user.email, user.password);
      else secret = await client.signInFully(user);
      if (stage === 'mfa_verify') {
        const next = new Client(app);
        await next.signIn(user.email, user.password);
        expect(next.session?.stage).toBe('mfa_verify');
        return { user, client: next, secret };
      }
      expect(client.session?.stage).toBe(stage);
      return { user, client, secret };
    };

    for (const cells of STAGE_TABLE.rows) {
      const label = cells[0] ?? '';
      const route = parseRoute(label);
      for (const [i, stage] of STAGES.entries()) {
        const outcome = parseOutcomes(cells[1 + i] ?? '', false, `${label} × ${stage}`)[0] ?? '-';
        if (outcome === '-') continue;
        if (!route) {
          // Every other route that is not public: refused until sign-in is complete.
          const session = await sessionAt(stage, [...ROLES]);
          const guarded = app.declaredRoutes.filter(
            (r) =>
              !['public', 'signing-in'].includes(r.access) &&
              !r.url.startsWith('/api/docs') &&
              r.url !== '/*' &&
              r.url !== '/',
          );
          for (const r of guarded) {
            const url = r.url
              .replace(':id', randomUUID())
              .replace(':itemId', randomUUID())
              .replace(':name', 'x')
              .replace(':version', 'x');
            const res = await session.client.request(
              r.method as Method,
              url,
              r.method === 'GET' ? undefined : {},
            );
            if (res.statusCode !== 403 || res.json<{ code: string }>().code !== 'sign_in_incomplete')
              failures.push(`${r.method} ${r.url} at ${stage}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
          continue;
        }
        const session = await sessionAt(stage);
        let body: unknown = route.method === 'GET' ? undefined : {};
        if (route.path === '/api/auth/password')
          body = { currentPassword: session.user.password, newPassword: 'an entirely new passphrase' };
        if (route.path === '/api/auth/mfa/enrolment/confirm') {
          // With a real code whenever enrolment could be started: a refusal must not be for a bad code.
          const enrolment = await session.client.post('/api/auth/mfa/enrolment');
          body = {
            code:
              enrolment.statusCode === 200 ? totpCode(enrolment.json<{ secret: string }>().secret) : '123456',
          };
        }
        if (route.path === '/api/auth/mfa/verify')
          body = { code: session.secret ? totpCode(session.secret, 1) : '123456' };
        const res = await session.client.request(route.method, route.path, body);
        const problem = judge(outcome, res, IDENTIFYING);
        if (problem) failures.push(`${label} at ${stage}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  }, 360_000);

  /** A fresh case of the side with everything that hangs off it, as the records a table row names. */
  async function caseRecords(side: Side): Promise<{ theCase: OpenedCase; records: Record<string, Rec> }> {
    const theCase = await openCase(side);
    await addPartner(side, theCase.id);
    const goal = await addGoal(side, theCase.id);
    const charge = await addCharge(side, theCase.id);
    const action = await addAction(side, theCase.id);
    const referral = await serviceReferral(side, theCase.id);
    const decision = await pendingDecision(theCase.id);
    await decide(side, decision, 'negative');
    const merged = await openCase(side);
    const merge = expectStatus(
      await side.caseworker.client.post(`/api/cases/${theCase.id}/merge`, {
        otherCaseId: merged.id,
        reason: 'The same child, found twice',
        version: await versionOf('case_record', theCase.id),
      }),
      200,
      'merge',
    ).json<{ mergeId: string }>().mergeId;
    const base = caseRec(theCase, side);
    const records: Record<string, Rec> = {
      case: base,
      'case goal': { ...base, itemId: goal },
      'case charge': { ...base, itemId: charge },
      'case action': { ...base, itemId: action },
      'case team organisation': { ...base, itemId: side.partner },
      'case merge': { id: merge, side, secrets: [merge] },
      referral: { id: theCase.referralId, side, secrets: base.secrets },
      decision: { id: decision, side, secrets: [decision, ...base.secrets] },
      'service referral': { id: referral, side, secrets: [referral] },
    };
    return { theCase, records };
  }

  /** Sends each row of a read-only table as `who` and answers what went wrong. */
  async function runReadOnlyTable(
    rows: readonly Row[],
    column: number,
    who: Person,
    records: Record<string, Rec>,
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const row of rows) {
      const outcome = row.cells[column]?.[0] ?? '-';
      if (outcome === '-' || !row.record) continue;
      const rec = records[row.record];
      if (!rec) throw new Error(`No record of kind "${row.record}"`);
      const res = await send({ row, role: 'supervisor', who, scenario: 'own', rec, fresh: false });
      const problem = judge(outcome, res, outcome === 'A' ? [] : IDENTIFYING);
      if (problem) failures.push(`${row.line}: ${problem}`);
    }
    return failures;
  }

  it('keeps break-glass access read-only', async () => {
    // A supervisor of another lead agency: their organisation is not on the case, so only the glass
    // opens it (a supervisor of Lead agency A would read it through oversight).
    const glass = await world.person('supervisor-glass', ['supervisor'], 'lead-b', 'lead_agency');
    const { theCase, records } = await caseRecords(A);
    // Not on the team: nothing to see until the glass is broken.
    expect((await glass.client.get(`/api/cases/${theCase.id}`)).statusCode).toBe(404);
    expectStatus(
      await glass.client.post(`/api/cases/${theCase.id}/break-glass`, { reason: BREAK_GLASS_REASON }),
      201,
      'break glass',
    );
    expect(await runReadOnlyTable(GLASS_ROWS, 0, glass, records)).toEqual([]);
  }, 360_000);

  it('gives a supervisor read-only oversight of the cases their organisation leads or is on, and no other case', async () => {
    // A supervisor of Lead agency A on no case team.
    const overseer = await world.person('supervisor-oversight', ['supervisor'], 'lead-a', 'lead_agency');
    const own = await caseRecords(A);
    const other = await caseRecords(B);
    const seen = expectStatus(
      await overseer.client.get(`/api/cases/${own.theCase.id}`),
      200,
      'oversight read',
    );
    expect(seen.json<{ access: { via: string }; permissions: { manage: boolean } }>()).toMatchObject({
      access: { via: 'oversight' },
      permissions: { manage: false },
    });
    // The read is audited like every identity read, marked as oversight.
    const audited = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'case.viewed')
      .where('subject_id', '=', own.theCase.id)
      .where('actor_user_id', '=', overseer.user.id)
      .execute();
    expect(audited.map((e) => (e.details as { via?: string }).via)).toEqual(['oversight']);
    // The cases list shows the organisation's case, never side B's.
    const list = (await overseer.client.get('/api/cases?pageSize=100')).body;
    expect(list).toContain(own.theCase.reference);
    expect(list).not.toContain(other.theCase.reference);
    expect(await runReadOnlyTable(OVERSIGHT_ROWS, 0, overseer, own.records)).toEqual([]);
    expect(await runReadOnlyTable(OVERSIGHT_ROWS, 1, overseer, other.records)).toEqual([]);
  }, 360_000);
});
