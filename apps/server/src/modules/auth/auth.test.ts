import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApp,
  Client,
  createTestContext,
  createUser,
  DRIVERS,
  totpCode,
  type TestContext,
} from '../../../test/harness.ts';

async function auditActions(ctx: TestContext, subjectId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('audit_event')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe.each(DRIVERS)('sign-in on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext(driver, { LOGIN_MAX_FAILURES: '3', LOGIN_IP_LIMIT_PER_15_MINUTES: '1000' });
    app = await buildTestApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('signs in with the right password, sets a strict HttpOnly cookie, and audits it', async () => {
    const user = await createUser(ctx, ['analyst']);
    const client = new Client(app);
    const res = await client.signIn(user.email, user.password);
    expect(res.statusCode).toBe(200);
    expect(client.session?.stage).toBe('active');
    const cookie = res.cookies.find((c) => c.name === 'tiaki_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect((await client.get('/api/session')).json()).toMatchObject({ user: { email: user.email } });
    expect(await auditActions(ctx, user.id)).toContain('auth.sign_in');
  });

  it('refuses a wrong password and an unknown email with the same answer, and records the failure', async () => {
    const user = await createUser(ctx, ['analyst']);
    const wrong = await new Client(app).signIn(user.email, 'not the password');
    const unknown = await new Client(app).signIn('nobody@example.test', 'whatever it is');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().message).toBe(wrong.json().message);
    expect(wrong.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
    expect(await auditActions(ctx, user.id)).toEqual(['user.created', 'auth.sign_in_failed']);
  });

  it('locks the account after repeated failures, even against the right password, and ends its sessions', async () => {
    const user = await createUser(ctx, ['analyst']);
    const existing = new Client(app);
    await existing.signIn(user.email, user.password);
    for (let i = 0; i < 3; i++)
      expect((await new Client(app).signIn(user.email, 'wrong')).json().code).toBe('invalid_credentials');
    const right = await new Client(app).signIn(user.email, user.password);
    expect(right.statusCode).toBe(401);
    expect(right.cookies.find((c) => c.name === 'tiaki_session')).toBeUndefined();
    expect((await existing.get('/api/session')).statusCode).toBe(401);
    expect(await auditActions(ctx, user.id)).toContain('auth.account_locked');
  });

  it('answers a locked account exactly as a wrong password or an unknown email, in plain words', async () => {
    const user = await createUser(ctx, ['analyst']);
    for (let i = 0; i < 3; i++) await new Client(app).signIn(user.email, 'wrong');
    const locked = await new Client(app).signIn(user.email, user.password);
    const unknown = await new Client(app).signIn('nobody-at-all@example.test', 'whatever it is');
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual({ ...unknown.json(), requestId: locked.json().requestId });
    expect(locked.json().message).toMatch(/locked for a while/);
    expect(locked.body).not.toContain('lockedUntil');
  });

  it('throttles a client that makes too many attempts, whoever it targets', async () => {
    const throttled = await createTestContext(driver, { LOGIN_IP_LIMIT_PER_15_MINUTES: '3' });
    const throttledApp = await buildTestApp(throttled);
    try {
      const user = await createUser(throttled, ['analyst']);
      for (let i = 0; i < 3; i++) await new Client(throttledApp).signIn(`x${i}@example.test`, 'wrong');
      const res = await new Client(throttledApp).signIn(user.email, user.password);
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('too_many_attempts');
    } finally {
      await throttledApp.close();
      await throttled.close();
    }
  });

  it('makes a one-time password be changed before anything else', async () => {
    const user = await createUser(ctx, ['analyst'], { mustChangePassword: true });
    const client = new Client(app);
    await client.signIn(user.email, user.password);
    expect(client.session?.stage).toBe('password_change');
    const blocked = await client.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('sign_in_incomplete');
    const tooShort = await client.post('/api/auth/password', {
      currentPassword: user.password,
      newPassword: 'short',
    });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().fields[0].path).toBe('newPassword');
    const changed = await client.post('/api/auth/password', {
      currentPassword: user.password,
      newPassword: 'a much longer new passphrase',
    });
    expect(changed.statusCode).toBe(200);
    expect(client.session?.stage).toBe('active');
    expect((await new Client(app).signIn(user.email, user.password)).statusCode).toBe(401);
    expect((await new Client(app).signIn(user.email, 'a much longer new passphrase')).statusCode).toBe(200);
  });

  it('requires MFA enrolment for roles that see identifying data, then a fresh code at every sign-in', async () => {
    const user = await createUser(ctx, ['caseworker']);
    const client = new Client(app);
    await client.signIn(user.email, user.password);
    expect(client.session?.stage).toBe('mfa_enrol');
    expect((await client.get('/api/organisations')).json().code).toBe('sign_in_incomplete');

    const enrolment = (await client.post('/api/auth/mfa/enrolment')).json<{
      secret: string;
      qrSvg: string;
      otpauthUri: string;
    }>();
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Tiaki/);
    expect(enrolment.qrSvg).toContain('<svg');
    const wrong = await client.post('/api/auth/mfa/enrolment/confirm', {
      code: '000000' === totpCode(enrolment.secret) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    const enrolmentCode = totpCode(enrolment.secret);
    const confirmed = await client.post('/api/auth/mfa/enrolment/confirm', { code: enrolmentCode });
    expect(confirmed.statusCode).toBe(200);
    expect(client.session?.stage).toBe('active');

    // The secret is stored encrypted, never in the clear.
    const row = await ctx.db
      .selectFrom('app_user')
      .select('mfa_secret_enc')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.mfa_secret_enc).not.toContain(enrolment.secret);
    expect(row.mfa_secret_enc).toMatch(/^v1\.test1\./);

    const next = new Client(app);
    await next.signIn(user.email, user.password);
    expect(next.session?.stage).toBe('mfa_verify');
    // The code used at enrolment cannot be replayed (the very code: computing it again could
    // give the next time step's code if the 30-second step turned over meanwhile).
    const replay = await next.post('/api/auth/mfa/verify', { code: enrolmentCode });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_code');
    const badFormat = await next.post('/api/auth/mfa/verify', { code: '12ab' });
    expect(badFormat.statusCode).toBe(400);
    const ok = await next.post('/api/auth/mfa/verify', { code: totpCode(enrolment.secret, 1) });
    expect(ok.statusCode).toBe(200);
    expect(next.session?.stage).toBe('active');
    expect(await auditActions(ctx, user.id)).toEqual(
      expect.arrayContaining(['auth.mfa_enrolled', 'auth.mfa_failed', 'auth.mfa_verified', 'auth.sign_in']),
    );
  });

  it('issues a new session token when sign-in completes, so the pre-MFA token is worthless', async () => {
    const user = await createUser(ctx, ['triage']);
    const client = new Client(app);
    await client.signIn(user.email, user.password);
    const before = client.cookie;
    const enrolment = (await client.post('/api/auth/mfa/enrolment')).json<{ secret: string }>();
    await client.post('/api/auth/mfa/enrolment/confirm', { code: totpCode(enrolment.secret) });
    expect(client.session?.stage).toBe('active');
    expect(client.cookie).not.toBe(before);
    const stale = new Client(app);
    stale.cookie = before;
    expect((await stale.get('/api/session')).statusCode).toBe(401);
    expect((await client.get('/api/session')).statusCode).toBe(200);
  });

  it('refuses state changes without the CSRF token and changes nothing', async () => {
    const user = await createUser(ctx, ['analyst']);
    const client = new Client(app);
    await client.signIn(user.email, user.password);
    const missing = await client.post('/api/auth/sign-out', {}, { csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('csrf_failed');
    const forged = await client.request(
      'POST',
      '/api/auth/sign-out',
      {},
      { csrf: false, headers: { 'x-csrf-token': 'forged' } },
    );
    expect(forged.statusCode).toBe(403);
    expect((await client.get('/api/session')).statusCode).toBe(200);
    expect(await auditActions(ctx, user.id)).not.toContain('auth.sign_out');
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const user = await createUser(ctx, ['analyst']);
    const client = new Client(app);
    await client.signIn(user.email, user.password);
    const token = client.cookie;
    expect((await client.post('/api/auth/sign-out')).statusCode).toBe(200);
    const again = new Client(app);
    again.cookie = token;
    expect((await again.get('/api/session')).statusCode).toBe(401);
    expect(await auditActions(ctx, user.id)).toContain('auth.sign_out');
  });

  it('ends a session left idle too long, and one past its absolute lifetime', async () => {
    const user = await createUser(ctx, ['analyst']);
    const idle = new Client(app);
    await idle.signIn(user.email, user.password);
    await ctx.database.owner.query(
      `UPDATE session SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`,
      [user.id],
    );
    const res = await idle.get('/api/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('session_expired');

    const old = new Client(app);
    await old.signIn(user.email, user.password);
    await ctx.database.owner.query(
      `UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [user.id],
    );
    expect((await old.get('/api/session')).json().code).toBe('session_expired');
  });
});
