import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { OrganisationKind, Role, SessionView } from '@tiaki/domain';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { openDatabase } from '../src/db/database.ts';
import { todayFor } from '../src/runtime.ts';
import { KeyRing } from '../src/security/keyring.ts';
import { createPasswordHasher } from '../src/security/passwords.ts';
import type { Actor } from '../src/modules/audit/service.ts';
import * as organisations from '../src/modules/organisations/service.ts';
import * as users from '../src/modules/users/service.ts';

export type Driver = 'pglite' | 'postgres';

/** Every database test runs on PGlite, and also on PostgreSQL when TEST_DATABASE_URL is set. */
export const DRIVERS: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const TEST_ACTOR: Actor = { userId: null, organisationId: null, requestId: 'test' };

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TIAKI_ENV: 'test',
    TIAKI_DEMO: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tiaki-test-')),
    TIAKI_KEYS: `test1:${randomBytes(32).toString('base64')}`,
    TIAKI_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    // Cheap hashing keeps the suite fast; production uses the OWASP default.
    ARGON2_MEMORY_KIB: '1024',
    LOG_LEVEL: 'silent',
    // Demo installations in tests start without synthetic history unless a test asks for it.
    DEMO_HISTORY_REFERRALS: '0',
    // The statistics warming job (on by default on PostgreSQL) computes for minutes at a time:
    // tests of other jobs would wait behind it. warm.test.ts turns it on.
    STATS_WARM_SECONDS: '0',
    ...overrides,
  };
}

/** A fresh PostgreSQL database of its own for one test file; dropped at the end. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tiaki_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestContext extends AppContext {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function createTestContext(
  driver: Driver,
  overrides: Record<string, string> = {},
): Promise<TestContext> {
  let drop = async () => {};
  const env = testEnv(overrides);
  if (driver === 'postgres') {
    const created = await createPostgresDatabase();
    env.DATABASE_URL = created.url;
    drop = created.drop;
  }
  const config: Config = loadConfig(env);
  // PGlite tests keep the database in memory: quick, and nothing left behind.
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: undefined });
  return {
    env,
    config,
    database,
    db: database.db,
    keyring: new KeyRing(config.encryptionKeys, config.blindIndexKey),
    passwords: createPasswordHasher(config.argon2MemoryKib),
    today: todayFor(config),
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createOrganisation(ctx: AppContext, kind: OrganisationKind = 'ngo', name?: string) {
  return organisations.create(ctx, TEST_ACTOR, {
    kind,
    name: name ?? `Test organisation ${unique()}`,
    regionsServed: ['09'],
  });
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  organisationId: string;
  roles: Role[];
}

/** A user whose password is already chosen (no forced change); MFA not yet enrolled. */
export async function createUser(
  ctx: AppContext,
  roles: Role[],
  options: { organisationId?: string; mustChangePassword?: boolean } = {},
): Promise<TestUser> {
  const organisationId = options.organisationId ?? (await createOrganisation(ctx, 'lead_agency')).id;
  const password = `correct horse ${unique()}`;
  const { user } = await users.create(
    ctx,
    TEST_ACTOR,
    { email: `user-${unique()}@example.test`, displayName: 'Test Person', organisationId, roles },
    { mustChangePassword: options.mustChangePassword ?? false, password },
  );
  return { id: user.id, email: user.email, password, organisationId, roles };
}

/** The current code for a TOTP secret, as an authenticator app would show it. */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** An HTTP client over app.inject that keeps the session cookie and sends the CSRF token like the web app. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  session: SessionView | undefined;

  constructor(readonly app: FastifyInstance) {}

  async request(
    method: Method,
    url: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = `tiaki_session=${this.cookie}`;
    if (method !== 'GET' && (options.csrf ?? true) && this.csrfToken)
      headers['x-csrf-token'] = this.csrfToken;
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
    const set = response.cookies.find((c) => c.name === 'tiaki_session');
    if (set) this.cookie = set.value === '' ? undefined : set.value;
    const contentType = String(response.headers['content-type'] ?? '');
    if (response.statusCode === 200 && contentType.includes('json')) {
      const json = response.json<Partial<SessionView>>();
      if (typeof json.csrfToken === 'string' && json.stage) {
        this.session = json as SessionView;
        this.csrfToken = json.csrfToken;
      }
    }
    return response;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body: unknown = {}, options?: { csrf?: boolean }) =>
    this.request('POST', url, body, options);
  patch = (url: string, body: unknown, options?: { csrf?: boolean }) =>
    this.request('PATCH', url, body, options);

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/sign-in', { email, password });
  }

  /** Signs in and completes MFA enrolment when asked; returns the TOTP secret used. */
  async signInFully(user: TestUser): Promise<string | undefined> {
    const res = await this.signIn(user.email, user.password);
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
    if (this.session?.stage === 'mfa_enrol') {
      const enrolment = (await this.post('/api/auth/mfa/enrolment')).json<{ secret: string }>();
      const confirmed = await this.post('/api/auth/mfa/enrolment/confirm', {
        code: totpCode(enrolment.secret),
      });
      if (confirmed.statusCode !== 200) throw new Error(`MFA enrolment failed: ${confirmed.body}`);
      return enrolment.secret;
    }
    return undefined;
  }
}

export async function buildTestApp(ctx: AppContext): Promise<FastifyInstance> {
  // TEST_LOG=1 shows the server's log, for debugging a failing test.
  const app = await buildApp(ctx, process.env.TEST_LOG ? { logger: { level: 'error' } } : {});
  await app.ready();
  return app;
}
