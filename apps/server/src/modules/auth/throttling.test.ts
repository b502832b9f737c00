import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import {
  buildTestApp,
  createTestContext,
  createUser,
  DRIVERS,
  type TestContext,
} from '../../../test/harness.ts';

/**
 * Sign-in limits under attack: simultaneous attempts against a real listening server (the
 * requests overlap inside the server, as they would from a botnet or a script), and forged
 * X-Forwarded-For headers behind a proxy.
 */
async function listening(ctx: TestContext): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildTestApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function signInAll(base: string, attempts: { email: string; password: string }[]): Promise<number[]> {
  return Promise.all(
    attempts.map(async (body) => {
      const res = await fetch(`${base}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

/** How many times the password of this account was actually checked, from the audit trail. */
async function passwordsChecked(ctx: TestContext, userId: string): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM audit_event
    WHERE subject_id = ${userId}
      AND (action IN ('auth.sign_in', 'auth.password_verified')
           OR (action = 'auth.sign_in_failed' AND details->>'reason' = 'wrong_password'))`.execute(ctx.db);
  return Number(result.rows[0]?.n);
}

describe.each(DRIVERS)('sign-in limits under simultaneous attempts on %s', (driver) => {
  describe('account lockout', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let base: string;
    beforeAll(async () => {
      ctx = await createTestContext(driver, {
        LOGIN_MAX_FAILURES: '5',
        LOGIN_IP_LIMIT_PER_15_MINUTES: '1000',
        // The production cost: the longer a password check takes, the wider the window attempts overlap in.
        ARGON2_MEMORY_KIB: '19456',
      });
      ({ app, base } = await listening(ctx));
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('checks no more than LOGIN_MAX_FAILURES passwords when 40 guesses arrive at once, the right one 16th', async () => {
      const user = await createUser(ctx, ['analyst']);
      const guesses = Array.from({ length: 40 }, (_, i) => ({
        email: user.email,
        password: i === 15 ? user.password : `guess number ${i}`,
      }));
      const statuses = await signInAll(base, guesses);
      expect(statuses.every((s) => s === 401 || s === 200)).toBe(true);
      expect(await passwordsChecked(ctx, user.id)).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(35);
      // The account is locked now: the right password alone does not get in.
      const [after] = await signInAll(base, [{ email: user.email, password: user.password }]);
      if (!statuses.includes(200)) expect(after).toBe(401);
    });

    it('still lets the owner in once the lock has expired', async () => {
      const user = await createUser(ctx, ['analyst']);
      await signInAll(
        base,
        Array.from({ length: 10 }, (_, i) => ({ email: user.email, password: `wrong ${i}` })),
      );
      expect(await signInAll(base, [{ email: user.email, password: user.password }])).toEqual([401]);
      await ctx.db
        .updateTable('app_user')
        .set({ locked_until: new Date(Date.now() - 1000) })
        .where('id', '=', user.id)
        .execute();
      expect(await signInAll(base, [{ email: user.email, password: user.password }])).toEqual([200]);
    });
  });

  describe('per-client throttle', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let base: string;
    beforeAll(async () => {
      ctx = await createTestContext(driver, {
        LOGIN_IP_LIMIT_PER_15_MINUTES: '50',
        ARGON2_MEMORY_KIB: '19456',
      });
      ({ app, base } = await listening(ctx));
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('lets exactly LOGIN_IP_LIMIT_PER_15_MINUTES of 100 simultaneous attempts from one client through', async () => {
      const statuses = await signInAll(
        base,
        Array.from({ length: 100 }, (_, i) => ({ email: `nobody-${i}@example.test`, password: 'a guess' })),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(50);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    });
  });
});

describe.each(DRIVERS)('sign-in throttling behind a reverse proxy on %s', (driver) => {
  /** The proxy appends the address it saw to whatever X-Forwarded-For the client sent. */
  const throughProxy = (app: FastifyInstance, proxy: string, client: string, forged: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: proxy,
      headers: { 'x-forwarded-for': `${forged}, ${client}` },
      payload: { email: 'nobody@example.test', password: 'a guess' },
    });

  for (const trustProxy of ['1', '10.9.0.1', '10.9.0.0/24,192.0.2.10']) {
    it(`TRUST_PROXY=${trustProxy}: a forged X-Forwarded-For entry does not make a new client`, async () => {
      const ctx = await createTestContext(driver, {
        TRUST_PROXY: trustProxy,
        LOGIN_IP_LIMIT_PER_15_MINUTES: '3',
      });
      const app = await buildTestApp(ctx);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++)
          statuses.push((await throughProxy(app, '10.9.0.1', '198.51.100.7', `203.0.113.${i}`)).statusCode);
        expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
        // Another real client behind the same proxy is counted on its own.
        expect((await throughProxy(app, '10.9.0.1', '198.51.100.8', '203.0.113.1')).statusCode).toBe(401);
      } finally {
        await app.close();
        await ctx.close();
      }
    });
  }

  it('with a list of proxies, a client that is not one of them cannot speak for others', async () => {
    const ctx = await createTestContext(driver, {
      TRUST_PROXY: '10.9.0.1',
      LOGIN_IP_LIMIT_PER_15_MINUTES: '2',
    });
    const app = await buildTestApp(ctx);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await throughProxy(app, '198.51.100.9', `203.0.113.${i}`, `203.0.114.${i}`)).statusCode,
        );
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
