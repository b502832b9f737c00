import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  CURRENT_TAXONOMY,
  PERMISSIONS,
  permissionsOf,
  REGION_CODES,
  type OrganisationKind,
  type Permission,
  type Role,
} from '@tiaki/domain';
import { TABLES } from '../src/modules/statistics/tables.ts';
import { CaseWorld } from './cases.ts';
import { Client, createUser, type TestContext, type TestUser } from './harness.ts';
import { validReferral } from './referrals.ts';

/**
 * Shared machinery for the fuzzing and injection tests: the routes and their JSON schemas (from
 * the OpenAPI document the server builds from its zod schemas), a small world of records, signed-in
 * people of several roles, table counts to prove that a failed request wrote nothing, and the
 * checks every response must pass.
 */

// ---------------------------------------------------------------------------------------------
// Routes and their schemas
// ---------------------------------------------------------------------------------------------

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

export interface RouteParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface FuzzRoute {
  method: string;
  /** Fastify's pattern, e.g. /api/cases/:id */
  url: string;
  access: string;
  acceptsApiKeys: boolean;
  /** JSON body schema, when the route takes a JSON body. */
  body: JsonSchema | null;
  /** Media types of a raw (non-JSON) body, e.g. an import file. */
  rawBody: string[];
  query: RouteParameter[];
  path: RouteParameter[];
  headers: RouteParameter[];
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

/** Every route the server declared (HEAD aside), with the schemas its OpenAPI operation shows. */
export function fuzzRoutes(app: FastifyInstance): FuzzRoute[] {
  const spec = app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  return app.declaredRoutes.map((declared) => {
    const openApiPath = declared.url.replace(/:(\w+)/g, '{$1}');
    const op = spec.paths[openApiPath]?.[declared.method.toLowerCase()];
    const parameters = op?.parameters ?? [];
    const of = (where: string): RouteParameter[] =>
      parameters
        .filter((p) => p.in === where)
        .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema }));
    const jsonBody = op?.requestBody?.content['application/json']?.schema ?? null;
    const otherTypes = Object.keys(op?.requestBody?.content ?? {}).filter((t) => t !== 'application/json');
    // A route that consumes a file declares its media types; the OpenAPI transform may drop them.
    const rawBody =
      !jsonBody && declared.hasBodySchema
        ? otherTypes.length > 0
          ? otherTypes
          : ['text/csv', 'application/x-ndjson']
        : [];
    const path = of('path');
    // Path parameters the OpenAPI document does not list (plugin routes): named or a wildcard.
    for (const match of declared.url.matchAll(/:(\w+)|\*/g)) {
      const name = match[1] ?? '*';
      if (!path.some((p) => p.name === name)) path.push({ name, required: true, schema: { type: 'string' } });
    }
    return {
      method: declared.method,
      url: declared.url,
      access: declared.access,
      acceptsApiKeys: declared.acceptsApiKeys,
      body: jsonBody,
      rawBody,
      query: of('query'),
      path,
      headers: of('header'),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// People and records
// ---------------------------------------------------------------------------------------------

export type PersonaKind = 'anonymous' | 'active' | 'partial' | 'api_key';

export interface Persona {
  name: string;
  kind: PersonaKind;
  roles: Role[];
  organisationKind: OrganisationKind;
  organisationId: string | null;
  permissions: Set<Permission>;
  user: TestUser | null;
  client: Client | null;
  apiKey: string | null;
  /** How many times the persona was replaced after a request ended its session. */
  respawns: number;
}

const PERSONA_SPECS: { name: string; roles: Role[]; organisationKey: string; kind: OrganisationKind }[] = [
  { name: 'frontline', roles: ['frontline'], organisationKey: 'police', kind: 'police' },
  { name: 'triage', roles: ['triage'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'decision-maker', roles: ['decision_maker'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'caseworker', roles: ['caseworker'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'supervisor', roles: ['supervisor'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'service-provider', roles: ['service_provider'], organisationKey: 'shelter', kind: 'ngo' },
  { name: 'analyst', roles: ['analyst'], organisationKey: 'lead', kind: 'lead_agency' },
  {
    name: 'data-steward',
    roles: ['data_steward', 'maori_data_governance'],
    organisationKey: 'lead',
    kind: 'lead_agency',
  },
  { name: 'privacy-officer', roles: ['privacy_officer'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'auditor', roles: ['auditor'], organisationKey: 'lead', kind: 'lead_agency' },
  { name: 'administrator', roles: ['administrator'], organisationKey: 'lead', kind: 'lead_agency' },
];

export interface FuzzWorld {
  ctx: TestContext;
  app: FastifyInstance;
  world: CaseWorld;
  personas: Persona[];
  /** Someone to sign in as by the sign-in route: never one of the personas, so they are never locked. */
  spare: TestUser;
  referralId: string;
  caseIds: string[];
  vocabulary: Vocabulary;
}

/** The test context a fuzzing file needs: a fixed day, and sign-in limits that fuzzing does not trip. */
export const FUZZ_ENV = {
  TIAKI_TODAY: '2026-07-03',
  LOGIN_IP_LIMIT_PER_15_MINUTES: '100000',
  LOGIN_MAX_FAILURES: '100',
};

const CONCERN = { concern: { date: '2026-07-01', region: '02' } };

/** Builds people of every role (and anonymous, half signed in, an API key) and records to act on. */
export async function buildFuzzWorld(ctx: TestContext, app: FastifyInstance): Promise<FuzzWorld> {
  const world = new CaseWorld(ctx, app);
  const personas: Persona[] = [];
  for (const spec of PERSONA_SPECS) {
    const person = await world.person(spec.name, spec.roles, spec.organisationKey, spec.kind);
    personas.push({
      name: spec.name,
      kind: 'active',
      roles: spec.roles,
      organisationKind: spec.kind,
      organisationId: person.user.organisationId,
      permissions: permissionsOf(spec.roles),
      user: person.user,
      client: person.client,
      apiKey: null,
      respawns: 0,
    });
  }
  const lead = await world.organisation('lead', 'lead_agency');
  const partial: Persona = {
    name: 'half-signed-in',
    kind: 'partial',
    roles: ['caseworker'],
    organisationKind: 'lead_agency',
    organisationId: lead,
    permissions: permissionsOf(['caseworker']),
    user: null,
    client: null,
    apiKey: null,
    respawns: 0,
  };
  await respawn(ctx, app, partial, personas);
  partial.respawns = 0;
  personas.push(partial);
  const police = await world.organisation('police', 'police');
  const system: Persona = {
    name: 'api-key',
    kind: 'api_key',
    roles: [],
    organisationKind: 'police',
    organisationId: police,
    permissions: new Set(['referrals.create']),
    user: null,
    client: null,
    apiKey: null,
    respawns: 0,
  };
  await respawn(ctx, app, system, personas);
  system.respawns = 0;
  personas.push(system);
  personas.push({
    name: 'anonymous',
    kind: 'anonymous',
    roles: [],
    organisationKind: 'other',
    organisationId: null,
    permissions: new Set(),
    user: null,
    client: null,
    apiKey: null,
    respawns: 0,
  });

  // Records: cases (with their decisions), untriaged referrals, a service and a service referral.
  const caseIds: string[] = [];
  for (let i = 0; i < 2; i++) caseIds.push((await world.openCase(CONCERN)).caseId);
  const ack = await world.submitReferral(CONCERN);
  await world.submitReferral(CONCERN);
  const provider = personas.find((p) => p.name === 'service-provider');
  const caseworker = personas.find((p) => p.name === 'caseworker');
  const service = await provider?.client?.post('/api/services', {
    providerOrganisationId: provider.organisationId,
    name: 'Whare Haumaru',
    needTypes: ['emergency_accommodation', 'counselling'],
    regions: ['02'],
  });
  if (service?.statusCode !== 201) throw new Error(`service refused: ${service?.body ?? ''}`);
  const referred = await caseworker?.client?.post(`/api/cases/${caseIds[0] ?? ''}/service-referrals`, {
    serviceId: service.json<{ id: string }>().id,
    needType: 'emergency_accommodation',
    sharedFields: ['age_band', 'needs_summary'],
    lawfulBasis: 'ota_66c_support_plan',
    purpose: 'Find emergency accommodation',
    childConsulted: 'yes',
    childView: 'Wants to stay near school',
    needsSummary: 'Needs a safe bed tonight',
  });
  if (referred?.statusCode !== 201) throw new Error(`service referral refused: ${referred?.body ?? ''}`);
  const frontline = personas.find((p) => p.name === 'frontline');
  await frontline?.client?.post('/api/referral-drafts', { step: 1, content: { narrative: 'draft' } });

  const spare = await createUser(ctx, ['analyst'], { organisationId: lead });
  const fuzzWorld: FuzzWorld = {
    ctx,
    app,
    world,
    personas,
    spare,
    referralId: ack.id,
    caseIds,
    vocabulary: { ids: [], byName: new Map() },
  };
  await refreshVocabulary(fuzzWorld);
  return fuzzWorld;
}

/** Replaces a persona whose session a request ended (sign-out, lockout, role change…) with a new one. */
export async function respawn(
  ctx: TestContext,
  app: FastifyInstance,
  persona: Persona,
  personas: Persona[],
): Promise<void> {
  persona.respawns++;
  if (persona.kind === 'anonymous') return;
  if (persona.kind === 'api_key') {
    const admin = personas.find((p) => p.name === 'administrator');
    if (!admin) throw new Error('no administrator to issue an API key');
    await ensureAlive(ctx, app, admin, personas);
    const res = await admin.client?.post(`/api/organisations/${persona.organisationId ?? ''}/api-keys`, {
      name: `Fuzzing system ${randomUUID().slice(0, 8)}`,
      scopes: ['referrals.create'],
    });
    if (res?.statusCode !== 201) throw new Error(`API key refused: ${res?.body ?? ''}`);
    persona.apiKey = res.json<{ key: string }>().key;
    return;
  }
  const user = await createUser(ctx, persona.roles, { organisationId: persona.organisationId ?? undefined });
  const client = new Client(app);
  if (persona.kind === 'partial') {
    const res = await client.signIn(user.email, user.password);
    if (res.statusCode !== 200 || client.session?.stage !== 'mfa_enrol')
      throw new Error(`half sign-in failed: ${res.body}`);
  } else {
    await client.signInFully(user);
  }
  persona.user = user;
  persona.client = client;
}

/** Checks that a persona's session (or key) still works, replacing the persona when it does not. */
export async function ensureAlive(
  ctx: TestContext,
  app: FastifyInstance,
  persona: Persona,
  personas: Persona[],
): Promise<void> {
  if (persona.kind === 'anonymous') return;
  if (persona.kind === 'api_key') {
    const row = await ctx.db
      .selectFrom('api_key')
      .select('revoked_at')
      .where('prefix', '=', persona.apiKey?.split('_')[1] ?? '')
      .executeTakeFirst();
    if (!row || row.revoked_at) await respawn(ctx, app, persona, personas);
    return;
  }
  const res = persona.client ? await persona.client.get('/api/session') : undefined;
  const stage = res?.statusCode === 200 ? res.json<{ stage: string }>().stage : null;
  const wanted = persona.kind === 'partial' ? 'mfa_enrol' : 'active';
  if (stage !== wanted) await respawn(ctx, app, persona, personas);
}

// ---------------------------------------------------------------------------------------------
// Values: what a field may hold
// ---------------------------------------------------------------------------------------------

export interface Vocabulary {
  /** Ids of real records (any table): a path or body id that exists reaches deeper code. */
  ids: string[];
  /** Known-good values by field name (taxonomy codes, regions…). */
  byName: Map<string, string[]>;
}

const codes = (list: readonly { code: string }[]) => list.map((e) => e.code);

/** Reads ids of existing records, so generated requests name real cases, referrals, people. */
export async function refreshVocabulary(world: FuzzWorld): Promise<void> {
  const tables = [
    'organisation',
    'app_user',
    'referral',
    'case_record',
    'decision',
    'service',
    'service_referral',
    'referral_draft',
    'case_goal',
    'conference_action',
    'break_glass',
    'case_merge',
    'notification',
    'extract_request',
    'api_key',
    'child',
  ];
  const sqlText = tables
    .map((t) => `(SELECT id::text FROM ${t} ORDER BY random() LIMIT 6)`)
    .join(' UNION ALL ');
  const rows = await world.ctx.database.owner.query<{ id: string }>(sqlText);
  const references = await world.ctx.database.owner.query<{ reference: string }>(
    'SELECT reference FROM case_record LIMIT 5',
  );
  const t = CURRENT_TAXONOMY;
  const byName = new Map<string, string[]>([
    ['region', [...REGION_CODES]],
    ['regions', [...REGION_CODES]],
    ['regionsServed', [...REGION_CODES]],
    ['policeDistrict', codes(t.policeDistricts)],
    ['gender', codes(t.genders)],
    ['ageBand', codes(t.ageBands)],
    ['ethnicities', codes(t.ethnicities)],
    ['iwi', codes(t.iwi)],
    ['citizenship', codes(t.citizenshipStatuses)],
    ['manifestations', codes(t.manifestations)],
    ['manifestation', codes(t.manifestations)],
    ['manifestationSubtypes', t.manifestations.flatMap((m) => codes(m.subtypes ?? []))],
    ['contexts', codes(t.contexts)],
    ['indicators', codes(t.indicators)],
    ['lawfulBasis', codes(t.lawfulBases)],
    ['email', ['someone@example.test', world.spare.email, 'UPPER@EXAMPLE.TEST']],
    ['password', [world.spare.password, 'not the password at all']],
    ['caseReference', references.map((r) => r.reference)],
    ['name', TABLES.map((table) => table.name)],
    ['table', TABLES.map((table) => table.name)],
    ['version', [t.version]],
    ['permission', [...PERMISSIONS]],
    ['quarter', ['2026Q2', '2026Q1']],
    ['action', ['auth.sign_in', 'referral.read', 'case.read']],
    ['code', ['000000', '123456']],
    ['*', ['index.html', 'swagger-initializer.js', 'swagger-ui.css', 'nothing-here.js']],
  ]);
  world.vocabulary.ids = rows.map((r) => r.id);
  world.vocabulary.byName = byName;
}

const ISO_DATE = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Strings a person might type, in any script, within the field's length limits. */
function textArb(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
  );
}

function stringArb(schema: JsonSchema, name: string, vocabulary: Vocabulary): fc.Arbitrary<string> {
  if (schema.format === 'uuid') {
    const ids = vocabulary.ids.length > 0 ? vocabulary.ids : ['00000000-0000-4000-8000-000000000000'];
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() });
  }
  if (schema.format === 'date') return ISO_DATE;
  const words = vocabulary.byName.get(name);
  const plain = schema.pattern ? patternArb(schema) : textArb(schema);
  if (words && words.length > 0)
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: plain });
  return plain;
}

function patternArb(schema: JsonSchema): fc.Arbitrary<string> {
  try {
    const max = schema.maxLength ?? Infinity;
    return fc
      .stringMatching(new RegExp(schema.pattern ?? ''))
      .filter((s) => s.length <= max && s.length >= (schema.minLength ?? 0));
  } catch {
    return textArb(schema);
  }
}

function integerArb(schema: JsonSchema): fc.Arbitrary<number> {
  const min = Math.max(
    schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000),
    Number.MIN_SAFE_INTEGER,
  );
  const max = Math.min(
    schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000),
    Number.MAX_SAFE_INTEGER,
  );
  // Small values (versions 1, 2, 3…) most of the time: they match real rows.
  const smallMin = Math.max(min, -2);
  const smallMax = Math.min(max, 12);
  return smallMin <= smallMax
    ? fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: smallMin, max: smallMax }) },
        { weight: 1, arbitrary: fc.integer({ min, max }) },
      )
    : fc.integer({ min, max });
}

/** A value that satisfies the schema's shape (and often its vocabulary): valid-ish. */
export function schemaArb(
  schema: JsonSchema,
  vocabulary: Vocabulary,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((s) => schemaArb(s, vocabulary, name, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => schemaArb({ ...schema, type }, vocabulary, name, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArb(schema);
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringArb(schema, name, vocabulary);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return fc.array(schemaArb(schema.items ?? {}, vocabulary, name, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(properties))
        model[key] = schemaArb(sub, vocabulary, key, depth + 1);
      const requiredKeys = (schema.required ?? []).filter((key) => key in properties);
      const record = fc.record(model, { requiredKeys });
      const extra = schema.additionalProperties;
      if (!extra || depth > 3) return record;
      const values = typeof extra === 'object' ? schemaArb(extra, vocabulary, '', depth + 1) : fc.jsonValue();
      return fc
        .tuple(record, fc.dictionary(fc.string({ maxLength: 12 }), values, { maxKeys: 3 }))
        .map(([fixed, more]) => ({ ...more, ...fixed }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Sets an own property, even one named __proto__, as JSON.parse would. */
function put(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A plain copy that keeps own __proto__ keys. */
const copy = (value: unknown): unknown =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

const pollution = (key: string) => {
  const target = {};
  put(target, key, { polluted: 'yes', prototype: { polluted: 'yes' } });
  return target;
};

export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202Egnp.exe',
  'e\u0301\u0301\u0301',
  '🧒🏽‍🦱',
  'Ōtāhuhu Māori',
  '٠١٢٣',
  '\r\n\r\nX-Injected: yes',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '0x10',
  '1e1000',
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
];

/** Values that do not belong where they are put: wrong types, extremes, odd text, odd shapes. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, -0, 1.5, -2.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324),
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(201, 5_001, 20_001, 100_000, 600_000).map((n) => 'x'.repeat(n)),
  fc.constantFrom(300, 70_000).map((n) => 'ā'.repeat(n)),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.constantFrom(100, 5_000, 50_000).map((n) => Array.from({ length: n }, () => 'x')),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean()).map(([d, a]) => nested(d, 'deep', a)),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map(pollution),
);

const strangeKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '$where',
    '$gt',
    'id',
    'version',
    'organisationId',
    'isAdmin',
    'roles',
    '',
  ),
  fc.string({ maxLength: 16 }),
);

type Mutation =
  | { at: number; kind: 'replace'; value: unknown }
  | { at: number; kind: 'delete' }
  | { at: number; kind: 'add'; key: string; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('replace' as const), value: nastyValue }),
  },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('delete' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.nat(),
      kind: fc.constant('add' as const),
      key: strangeKey,
      value: nastyValue,
    }),
  },
);

function pathsOf(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (value && typeof value === 'object' && prefix.length < 6) {
    for (const key of Object.keys(value))
      pathsOf((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

function applyMutations(original: unknown, mutations: Mutation[]): unknown {
  let root = copy(original);
  for (const mutation of mutations) {
    const paths = pathsOf(root);
    const path = paths[mutation.at % paths.length] ?? [];
    const parentPath = path.slice(0, -1);
    const last = path[path.length - 1];
    let parent: unknown = root;
    for (const key of parentPath) parent = (parent as Record<string, unknown>)[key];
    const target =
      last === undefined ? root : ((parent as Record<string, unknown> | undefined)?.[last] ?? undefined);
    if (mutation.kind === 'replace') {
      if (last === undefined) root = mutation.value;
      else put(parent as object, last, mutation.value);
    } else if (mutation.kind === 'delete') {
      if (last !== undefined) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else Reflect.deleteProperty(parent as object, last);
      }
    } else if (target && typeof target === 'object' && !Array.isArray(target)) {
      put(target, mutation.key, mutation.value);
    }
  }
  return root;
}

/** Valid-ish values with a few fields broken: the heart of schema-aware fuzzing. */
export function mutatedArb(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
    .map(([value, mutations]) => applyMutations(value, mutations));
}

const RAW_BODIES = [
  '',
  ' ',
  'null',
  '{',
  '}',
  '[',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  'undefined',
  '\uFEFF{}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":1,"a":2}',
  '1e999999',
  '"\\ud800"',
  '{"a":"\\u0000"}',
  '[]',
  '0',
  '-',
  '"just a string"',
];

/** Bodies that are not JSON, or only nearly: truncated, deeply nested, odd bytes. */
export const rawBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RAW_BODIES),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(1_000, 20_000, 200_000).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constantFrom(1_000, 20_000).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
);

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export interface FuzzRequest {
  persona: number;
  url: string;
  body: string | undefined;
  headers: Record<string, string>;
  csrf: 'ok' | 'missing' | 'wrong';
}

const HEADER_TEXT = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/JSON',
  'application/json;charset=latin1',
  'application/vnd.api+json',
  'application/json, text/plain',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'text/csv',
  'application/x-ndjson',
  'application/octet-stream',
  '*/*',
  '',
  ';',
  'application/json; charset=utf-8; charset=utf-16',
];

/** Extra headers: odd accepts, huge values, forged forwarding, made-up names. */
const extraHeadersArb: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      fc.tuple(
        fc.constant('accept'),
        fc.constantFrom('application/json', 'text/html', '*/*', '', 'x/y;q=bad'),
      ),
      fc.tuple(
        fc.constant('x-forwarded-for'),
        fc.constantFrom('10.0.0.1', '::1', 'not an ip', '1.1.1.1, 2.2.2.2'),
      ),
      fc.tuple(fc.constant('idempotency-key'), fc.oneof(HEADER_TEXT, fc.constant('k'.repeat(500)))),
      fc.tuple(fc.constant('x-request-id'), HEADER_TEXT),
      fc.tuple(fc.constant('origin'), fc.constantFrom('https://evil.example', 'null')),
      fc.tuple(fc.constant('accept-language'), HEADER_TEXT),
      fc.tuple(
        fc.constant('x-huge'),
        fc.constantFrom(8_192, 65_536).map((n) => 'h'.repeat(n)),
      ),
      fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), HEADER_TEXT),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs));

/** A session cookie or Authorization that is not anyone's: for anonymous callers. */
const forgedCredentialsArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: HEADER_TEXT.map((v) => ({ cookie: `tiaki_session=${v}` })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('Bearer tk_000000000000_nope', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', "Bearer ' OR 1=1 --")
      .map((v) => ({ authorization: v })),
  },
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Percent-encodes like a client would; a lone surrogate (no UTF-8 form) becomes U+FFFD first. */
export const encode = (value: string): string => encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));

/** Percent-encodings that decode to no valid UTF-8: overlong, surrogate, truncated, stray. */
const BAD_ENCODINGS = ['%ED%A0%80', '%C0%AF', '%FF%FE', '%E0%A4%A', '%', '%zz', '%00'];

function segmentArb(parameter: RouteParameter, vocabulary: Vocabulary): fc.Arbitrary<string> {
  const valid = schemaArb(parameter.schema, vocabulary, parameter.name).map((v) => String(v));
  const invalid = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ minLength: 1, maxLength: 10, unit: 'binary' }),
    fc.constantFrom(...NASTY_STRINGS.filter((s) => s !== '')),
    fc.constantFrom('-1', '0', '1.5', '9'.repeat(40), 'x'.repeat(120)),
  );
  const encoded = fc
    .tuple(fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: invalid }), fc.nat(9))
    .map(([value, encoding]) =>
      // Mostly percent-encoded as a client would; sometimes sent raw (where that still parses).
      encoding === 0 ? value.replace(/[/?#%\s]/g, '') || 'x' : encode(value),
    );
  return fc.oneof(
    { weight: 12, arbitrary: encoded },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_ENCODINGS) },
  );
}

function queryArb(route: FuzzRoute, vocabulary: Vocabulary): fc.Arbitrary<string> {
  const declared = route.query.map((parameter) =>
    fc.option(
      fc
        .oneof(
          { weight: 4, arbitrary: schemaArb(parameter.schema, vocabulary, parameter.name) },
          { weight: 2, arbitrary: nastyValue.filter((v) => typeof v !== 'object' || v === null) },
          { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 3 }) },
        )
        .map((value) =>
          (Array.isArray(value) ? value : [value])
            .map((v) => `${encode(parameter.name)}=${encode(String(v)).slice(0, 120_000)}`)
            .join('&'),
        ),
      { freq: 2, nil: '' },
    ),
  );
  const extras = fc.array(
    fc.oneof(
      fc.constantFrom(
        '__proto__[polluted]=yes',
        'constructor[prototype][polluted]=yes',
        '__proto__=x',
        'a[b][c]=d',
        ...BAD_ENCODINGS.map((bad) => `q=${bad}`),
        '=',
        '&&',
        'limit=-1',
        'limit=1e9',
        'x=' + 'y'.repeat(10_000),
      ),
      fc
        .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))
        .map(([k, v]) => `${encode(k)}=${encode(v)}`),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...declared), extras).map(([parts, more]) => {
    const all = [...parts, ...more].filter(Boolean);
    return all.length > 0 ? `?${all.join('&')}` : '';
  });
}

function bodyArb(route: FuzzRoute, vocabulary: Vocabulary): fc.Arbitrary<{ text?: string; type?: string }> {
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  if (route.rawBody.length > 0) {
    const row = fc.array(fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 20 })), {
      maxLength: 8,
    });
    const csv = fc.array(row, { maxLength: 5 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
    const jsonl = fc
      .array(fc.oneof(mutatedArb(schemaArb({ type: 'object' }, vocabulary)), fc.jsonValue()), {
        maxLength: 4,
      })
      .map((lines) => lines.map((l) => JSON.stringify(l)).join('\n'));
    const referralLine = fc.constant(JSON.stringify(validReferral(CONCERN)));
    return fc.record({
      text: fc.oneof(csv, jsonl, referralLine, rawBodyArb),
      type: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...route.rawBody) },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
    });
  }
  const schema = route.body ?? { type: 'object' };
  const valid =
    route.url === '/api/referrals'
      ? fc.oneof(schemaArb(schema, vocabulary), referralArb)
      : schemaArb(schema, vocabulary);
  const text = fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 5, arbitrary: mutatedArb(valid).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: rawBodyArb },
  );
  return fc.record({ text, type: contentType });
}

/** A valid referral with, sometimes, one field changed (narrative in any script, no child name…). */
const referralArb: fc.Arbitrary<unknown> = fc
  .tuple(fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }), fc.boolean())
  .map(([narrative, identified]) =>
    validReferral(
      { ...CONCERN, narrative },
      identified ? {} : { identified: false, givenNames: undefined, familyName: undefined },
    ),
  );

/** Which persona sends a request: often one whose roles allow the route, else anyone. */
function personaArb(route: FuzzRoute, personas: Persona[]): fc.Arbitrary<number> {
  const mayCall = (p: Persona): boolean => {
    if (route.access === 'public') return true;
    if (p.kind === 'api_key') return route.acceptsApiKeys;
    if (p.kind === 'partial') return route.access === 'signing-in';
    if (p.kind !== 'active') return false;
    return (
      ['signing-in', 'signed-in'].includes(route.access) || p.permissions.has(route.access as Permission)
    );
  };
  const allowed = personas.flatMap((p, i) => (mayCall(p) ? [i] : []));
  const anyone = fc.nat(personas.length - 1);
  return allowed.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...allowed) }, { weight: 2, arbitrary: anyone })
    : anyone;
}

/** Requests for one route: persona, path, query string, headers and body, all generated. */
export function requestArb(route: FuzzRoute, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const { vocabulary, personas } = world;
  const segments = route.path.map((p) => segmentArb(p, vocabulary));
  const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(route.method);
  const body = hasBody
    ? bodyArb(route, vocabulary)
    : fc.oneof(
        { weight: 9, arbitrary: fc.constant<{ text?: string; type?: string }>({}) },
        { weight: 1, arbitrary: bodyArb(route, vocabulary) },
      );
  return fc
    .record({
      persona: personaArb(route, personas),
      segments: fc.tuple(...segments),
      query: queryArb(route, vocabulary),
      body,
      headers: extraHeadersArb,
      forged: forgedCredentialsArb,
      csrf: fc.oneof(
        { weight: 8, arbitrary: fc.constant<'ok' | 'missing' | 'wrong'>('ok') },
        { weight: 1, arbitrary: fc.constant<'ok' | 'missing' | 'wrong'>('missing') },
        { weight: 1, arbitrary: fc.constant<'ok' | 'missing' | 'wrong'>('wrong') },
      ),
    })
    .map(({ persona, segments: values, query, body: b, headers, forged, csrf }) => {
      let index = 0;
      const path = route.url.replace(/:\w+|\*/g, () => values[index++] ?? '');
      const all: Record<string, string> = { ...headers };
      if (personas[persona]?.kind === 'anonymous') Object.assign(all, forged);
      if (b.type !== undefined) all['content-type'] = b.type;
      return { persona, url: path + query, body: b.text, headers: all, csrf };
    });
}

/** Sends a generated request as its persona through app.inject. */
export async function send(
  world: FuzzWorld,
  method: string,
  request: FuzzRequest,
): Promise<LightMyRequestResponse> {
  const persona = world.personas[request.persona];
  const headers: Record<string, string> = { ...request.headers };
  if (persona?.client?.cookie) headers.cookie = `tiaki_session=${persona.client.cookie}`;
  if (persona?.kind === 'api_key' && persona.apiKey) headers.authorization = `Bearer ${persona.apiKey}`;
  if (persona?.client?.csrfToken && request.csrf !== 'missing')
    headers['x-csrf-token'] =
      request.csrf === 'ok' ? persona.client.csrfToken : `${persona.client.csrfToken}x`;
  const options: InjectOptions = {
    method,
    url: request.url,
    headers,
    ...(request.body !== undefined ? { payload: request.body } : {}),
  };
  return world.app.inject(options);
}

// ---------------------------------------------------------------------------------------------
// What must always hold
// ---------------------------------------------------------------------------------------------

/** Tables whose row counts a failed request must leave as they were. */
export const COUNTED_TABLES = [
  'organisation',
  'app_user',
  'role_assignment',
  'child',
  'referral',
  'referral_draft',
  'idempotency_key',
  'api_key',
  'case_record',
  'case_organisation',
  'case_member',
  'disclosure',
  'decision',
  'panel_member',
  'case_goal',
  'case_note',
  'conference',
  'conference_action',
  'case_event',
  'service',
  'service_referral',
  'service_referral_event',
  'service_referral_note',
  'unmet_need',
  'break_glass',
  'notification',
  'child_link',
  'case_merge',
  'extract_request',
  'extract_approval',
  'extract_file',
  'statistics_event',
  'external_series_point',
  'job',
  'privileged_request',
  'privacy_request',
] as const;

/**
 * Reads that write on purpose, and what: the duplicate candidates of a referral are scored again
 * when triage looks at them (an idempotent upsert into the derived child_link table), and a match
 * withheld from the officer is flagged once to the case's people (notification; triage/service.ts).
 */
export const READ_SIDE_EFFECTS: Record<string, readonly string[]> = {
  'GET /api/triage/referrals/:id/candidates': ['child_link', 'notification'],
};

/**
 * Audit entries a refused request writes on purpose: failed sign-ins and codes, the lockout, a
 * privacy request or break-glass by reference whose child did not match (so guessing references
 * shows), and the expiry of a request someone tried to decide too late.
 */
export const FAILURE_AUDIT_ACTIONS = new Set([
  'auth.sign_in_failed',
  'auth.mfa_failed',
  'auth.account_locked',
  'privacy_request.not_matched',
  'break_glass.not_matched',
  'privileged_request.expired',
  'privacy_request.expired',
]);

export type Counts = Record<string, number>;

const COUNT_SQL = `SELECT ${COUNTED_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS "${t}"`).join(', ')},
  (SELECT coalesce(max(id), 0)::int FROM audit_event) AS "audit_event"`;

export async function countRows(ctx: TestContext): Promise<Counts> {
  const [row] = await ctx.database.owner.query<Counts>(COUNT_SQL);
  if (!row) throw new Error('no counts');
  return row;
}

/** What changed between two counts, audit aside: table → difference. */
export function countChanges(before: Counts, after: Counts): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const delta = (after[table] ?? 0) - (before[table] ?? 0);
    if (delta !== 0) changes[table] = delta;
  }
  return changes;
}

export async function auditActionsSince(ctx: TestContext, lastId: number): Promise<string[]> {
  const rows = await ctx.database.owner.query<{ action: string }>(
    'SELECT action FROM audit_event WHERE id > $1 ORDER BY id',
    [lastId],
  );
  return rows.map((r) => r.action);
}

/** Internal details a response must never show. */
export const LEAK_PATTERNS: [string, RegExp][] = [
  ['a stack frame', /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/)[^)\s]*:\d+:\d+/],
  ['a stack line', /(?:^|\\n|\n)\s+at [\w$.<>]+ \(/],
  [
    'a file path',
    /(?:\/work\/main|\/home\/|node_modules\/|\/apps\/server\/|\bsrc\/[\w/-]+\.(?:ts|js)\b|\.(?:ts|m?js):\d+)/,
  ],
  [
    'an error class',
    /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|AggregateError|DatabaseError)\b/,
  ],
  [
    'a database error',
    /(?:syntax error at or near|relation "[^"]*" does not exist|column "[^"]*" (?:does not exist|of relation)|violates (?:foreign key|unique|check|not-null|exclusion) constraint|duplicate key value|invalid input syntax for|invalid byte sequence|SQLSTATE|current transaction is aborted|unterminated quoted string|division by zero|Maximum call stack size exceeded)/i,
  ],
  [
    'SQL text',
    /\b(?:SELECT\s[\s\S]{1,200}?\sFROM\s+["\w]+\s|INSERT\s+INTO\s+["\w]+|UPDATE\s+["\w]+\s+SET\s|DELETE\s+FROM\s+["\w]+)/,
  ],
];

const TEXT_TYPES = /json|text\/(?:plain|html|csv)|ndjson/;

/** Problems with one response, whatever the request: 5xx, leaked internals, an error without its shape. */
export function responseProblems(res: LightMyRequestResponse, options: { echoed?: string[] } = {}): string[] {
  const problems: string[] = [];
  const contentType = String(res.headers['content-type'] ?? '');
  if (res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
  if (TEXT_TYPES.test(contentType) || contentType === '') {
    let body = res.body;
    // What the caller sent may come back (a stored narrative): only look past it.
    for (const echo of options.echoed ?? []) if (echo) body = body.split(echo).join('');
    for (const [what, pattern] of LEAK_PATTERNS) {
      const found = pattern.exec(body);
      if (found) problems.push(`shows ${what}: ${JSON.stringify(found[0].slice(0, 120))}`);
    }
  }
  if (contentType.includes('ndjson') && /"code":"import_failed"/.test(res.body))
    problems.push('an import failed part-way (an unexpected error on the server)');
  if (res.statusCode >= 400) {
    let parsed: unknown;
    try {
      parsed = res.json();
    } catch {
      parsed = undefined;
    }
    const shape = parsed as { code?: unknown; message?: unknown } | undefined;
    if (
      !contentType.includes('application/json') ||
      typeof shape?.code !== 'string' ||
      shape.code === '' ||
      typeof shape.message !== 'string' ||
      shape.message === ''
    )
      problems.push(`error without {code, message}: ${contentType} ${res.body.slice(0, 200)}`);
  }
  return problems;
}

/** True when the request may have ended the persona's session or key. */
export function mayHaveEndedSession(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 401) return true;
  if (res.statusCode === 403 && /sign_in_incomplete/.test(res.body)) return true;
  return res.cookies.some((c) => c.name === 'tiaki_session');
}

/** A short description of a request for failure messages. */
export function describeRequest(method: string, request: FuzzRequest, world: FuzzWorld): string {
  const persona = world.personas[request.persona]?.name ?? '?';
  const body =
    request.body === undefined
      ? '(none)'
      : request.body.length > 300
        ? `${request.body.slice(0, 300)}… (${request.body.length} chars)`
        : request.body;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      v.length > 80 ? `${v.slice(0, 80)}… (${v.length})` : v,
    ]),
  );
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url;
  return `${persona} ${method} ${url} csrf=${request.csrf} headers=${JSON.stringify(headers)} body=${body}`;
}

// ---------------------------------------------------------------------------------------------
// Examples: one plausible value per schema, every optional field filled in
// ---------------------------------------------------------------------------------------------

/**
 * A deterministic example of a schema with every property present, so every string field of a
 * body can be replaced in turn. `ids` names the id to use for a field (caseId, serviceId…).
 */
export function exampleOf(
  schema: JsonSchema,
  vocabulary: Vocabulary,
  ids: Record<string, string>,
  name = '',
): unknown {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    const chosen = alternatives.find((s) => s.type !== 'null') ?? alternatives[0] ?? {};
    return exampleOf(chosen, vocabulary, ids, name);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? 1);
    case 'string': {
      if (schema.format === 'uuid')
        return ids[name] ?? vocabulary.ids[0] ?? '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date') return '2026-07-01';
      const word = vocabulary.byName.get(name)?.[0];
      if (word !== undefined) return word;
      if (schema.pattern) {
        const [sample] = fc.sample(patternArb(schema), { numRuns: 1, seed: 1 });
        if (sample !== undefined) return sample;
      }
      const text = 'An example of free text, long enough for any minimum length';
      const min = schema.minLength ?? 1;
      return text
        .padEnd(min, '.')
        .slice(0, Math.max(min, Math.min(schema.maxLength ?? text.length, text.length)));
    }
    case 'array': {
      const count = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: Math.min(count, schema.maxItems ?? count) }, () =>
        exampleOf(schema.items ?? {}, vocabulary, ids, name),
      );
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {}))
        out[key] = exampleOf(sub, vocabulary, ids, key);
      return out;
    }
    default:
      return 'example';
  }
}

/** Paths (as keys) of every string inside a JSON value. */
export function stringPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...prefix, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...prefix, k]));
  return [];
}

/** A copy of value with the thing at path replaced. */
export function withValueAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return (value as unknown[]).map((v, i) => (i === head ? withValueAt(v, rest, replacement) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [String(head)]: withValueAt(record[String(head)], rest, replacement) };
}
