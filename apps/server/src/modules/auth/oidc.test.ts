import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { SessionView } from '@tiaki/domain';
import {
  buildTestApp,
  createOrganisation,
  createTestContext,
  createUser,
  DRIVERS,
  totpCode,
  type TestContext,
  type TestUser,
} from '../../../test/harness.ts';
import { FetchBrowser, startTestIdp, type IdpAccount, type TestIdp } from '../../../test/oidc-idp.ts';
import { parseOidcProviders } from './oidc-config.ts';

/*
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback port: the
 * whole authorisation code flow over HTTP, the provider's own login and consent forms included.
 */

const PROVIDER_ID = 'test-agency';

describe('OIDC_PROVIDERS configuration', () => {
  const valid = {
    id: 'police',
    displayName: 'NZ Police',
    issuer: 'https://login.example.test/tenant/v2.0',
    clientId: 'client',
    clientSecret: 'secret',
    organisationId: '7f1c1f56-5d5e-4a8e-9b43-3f1f3e1b2a10',
  };

  it('reads a list of providers, with defaults', () => {
    const { providers, problems } = parseOidcProviders(JSON.stringify([valid]), true);
    expect(problems).toEqual([]);
    expect(providers).toEqual([{ ...valid, mfaAcrValues: [], trustUnverifiedEmail: false }]);
    expect(parseOidcProviders(undefined, true)).toEqual({ providers: [], problems: [] });
  });

  it('names each problem, and refuses plain http except for a provider on this machine outside production', () => {
    expect(parseOidcProviders('{not json', false).problems[0]).toMatch(/not valid JSON/);
    expect(parseOidcProviders(JSON.stringify([{ ...valid, organisationId: 'x' }]), false).problems).toEqual([
      'OIDC_PROVIDERS 0.organisationId expects the id of a Tiaki organisation',
    ]);
    expect(parseOidcProviders(JSON.stringify([valid, valid]), false).problems).toEqual([
      'OIDC_PROVIDERS has two providers with the id "police"',
    ]);
    const local = { ...valid, issuer: 'http://127.0.0.1:4000' };
    expect(parseOidcProviders(JSON.stringify([local]), false).problems).toEqual([]);
    expect(parseOidcProviders(JSON.stringify([local]), true).problems[0]).toMatch(/must be an https/);
    const remote = { ...valid, issuer: 'http://login.example.test' };
    expect(parseOidcProviders(JSON.stringify([remote]), false).problems[0]).toMatch(/must be an https/);
  });
});

describe.each(DRIVERS)('single sign-on on %s', (driver) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let idp: TestIdp;
  let tiaki: string;
  let organisationId: string;
  const people = new Map<string, TestUser>();
  let counter = 0;

  const account = (
    login: string,
    amr: string[],
    email: string,
    extra: Partial<IdpAccount> = {},
  ): IdpAccount => ({
    sub: `sub-${login}-${Date.now().toString(36)}`,
    login,
    password: `idp password of ${login}`,
    email,
    emailVerified: true,
    amr,
    ...extra,
  });

  const isTiakiPage = (url: URL) => url.origin === tiaki && !url.pathname.startsWith('/api/');
  const isCallback = (url: URL) => url.origin === tiaki && url.pathname.endsWith('/callback');

  /** Starts at Tiaki's button, signs in at the provider, consents if asked; stops where `stopAt` says. */
  async function signInAtProvider(
    browser: FetchBrowser,
    login: string,
    stopAt: (url: URL) => boolean = isTiakiPage,
  ): Promise<URL> {
    const idpAccount = [...idp.accounts.values()].find((a) => a.login === login);
    if (!idpAccount) throw new Error(`no provider account ${login}`);
    let page = await browser.go(`${tiaki}/api/auth/oidc/${PROVIDER_ID}/start`, { stopAt });
    if (stopAt(page.url)) return page.url;
    expect(page.url.origin).toBe(idp.issuer);
    expect(page.body).toContain('name="login"');
    page = await browser.submit(page, { login, password: idpAccount.password }, stopAt);
    if (!stopAt(page.url) && page.body.includes('Allow Tiaki')) page = await browser.submit(page, {}, stopAt);
    if (!stopAt(page.url))
      throw new Error(`stuck at ${page.url.href}: ${page.status} ${page.body.slice(0, 300)}`);
    return page.url;
  }

  async function sessionOf(browser: FetchBrowser): Promise<{ status: number; view?: SessionView }> {
    const res = await browser.request(`${tiaki}/api/session`);
    const body = (await res.json()) as SessionView;
    return res.status === 200 ? { status: 200, view: body } : { status: res.status };
  }

  async function audits(action: string, since: bigint) {
    const rows = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'subject_id', 'details', 'actor_user_id', 'id'])
      .where('action', '=', action)
      .where('id', '>', since.toString())
      .orderBy('id')
      .execute();
    return rows;
  }
  async function lastAuditId(): Promise<bigint> {
    const row = await ctx.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return BigInt(row?.id ?? 0);
  }

  async function person(key: string, roles: TestUser['roles'], login: string, amr: string[], upper = false) {
    const user = await createUser(ctx, roles, { organisationId });
    people.set(key, user);
    const acc = account(login, amr, upper ? user.email.toUpperCase() : user.email);
    idp.accounts.set(acc.sub, acc);
    return { user, acc };
  }

  beforeAll(async () => {
    idp = await startTestIdp([]);
    ctx = await createTestContext(driver, { LOGIN_IP_LIMIT_PER_15_MINUTES: '1000' });
    organisationId = (await createOrganisation(ctx, 'lead_agency')).id;
    const parsed = parseOidcProviders(
      JSON.stringify([
        {
          id: PROVIDER_ID,
          displayName: 'Test Agency Login',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          organisationId,
        },
      ]),
      false,
    );
    expect(parsed.problems).toEqual([]);
    ctx.config.oidcProviders = parsed.providers;
    app = await buildTestApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    tiaki = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    ctx.config.publicUrl = tiaki;
    idp.registerRedirectUri(`${tiaki}/api/auth/oidc/${PROVIDER_ID}/callback`);
  });
  afterAll(async () => {
    await app.close();
    await idp.close();
    await ctx.close();
  });

  it('lists the configured provider for the sign-in page, and nothing secret', async () => {
    const res = await fetch(`${tiaki}/api/auth/oidc/providers`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ providers: [{ id: PROVIDER_ID, displayName: 'Test Agency Login' }] });
    expect(text).not.toContain(idp.clientSecret);
    expect((await fetch(`${tiaki}/api/auth/oidc/nobody/start`, { redirect: 'manual' })).status).toBe(404);
  });

  it('signs in a person whose provider asserts MFA: linked by verified email, session active, no Tiaki code asked', async () => {
    const since = await lastAuditId();
    // The provider sends the address in capitals: addresses match whatever their case.
    const { user, acc } = await person('mfa', ['caseworker'], `mfa${counter++}`, ['pwd', 'mfa'], true);
    const browser = new FetchBrowser();
    const landed = await signInAtProvider(browser, acc.login);
    expect(landed.href).toBe(`${tiaki}/`);
    const session = await sessionOf(browser);
    expect(session.view?.stage).toBe('active');
    expect(session.view?.user.id).toBe(user.id);
    // The same session cookie as a password sign-in: HttpOnly, SameSite=Strict.
    const signedIn = browser.cookie(tiaki, 'tiaki_session');
    expect(signedIn).toBeTruthy();
    // Fully signed in: a caseworker's own pages answer.
    expect((await browser.request(`${tiaki}/api/cases`)).status).toBe(200);

    const link = await ctx.db.selectFrom('sso_identity').selectAll().where('user_id', '=', user.id).execute();
    expect(link.map((l) => [l.issuer, l.subject])).toEqual([[idp.issuer, acc.sub]]);
    const signIns = await audits('auth.sign_in', since);
    expect(signIns.map((a) => a.subject_id)).toEqual([user.id]);
    expect(signIns[0]?.details).toEqual({
      method: 'oidc',
      issuer: idp.issuer,
      stage: 'active',
      providerMfa: true,
    });
    expect((await audits('auth.sso_linked', since)).map((a) => a.subject_id)).toEqual([user.id]);
    // Ids and codes only: never the person's address.
    const everything = JSON.stringify(await ctx.db.selectFrom('audit_event').select('details').execute());
    expect(everything.toLowerCase()).not.toContain(user.email.toLowerCase());

    // Next time the link decides, not the address: a changed address at the provider still signs
    // the same person in.
    acc.email = 'someone.else@example.test';
    const again = new FetchBrowser();
    expect((await signInAtProvider(again, acc.login)).href).toBe(`${tiaki}/`);
    expect((await sessionOf(again)).view?.user.id).toBe(user.id);
  });

  it('asks for Tiaki’s own second factor when the provider does not assert one and the role needs it', async () => {
    const { user, acc } = await person('pwd', ['caseworker'], `pwd${counter++}`, ['pwd']);
    const browser = new FetchBrowser();
    expect((await signInAtProvider(browser, acc.login)).href).toBe(`${tiaki}/`);
    const session = await sessionOf(browser);
    expect(session.view?.stage).toBe('mfa_enrol');
    // Nothing but the sign-in steps until the code is given.
    const cases = await browser.request(`${tiaki}/api/cases`);
    expect(cases.status).toBe(403);
    expect(((await cases.json()) as { code: string }).code).toBe('sign_in_incomplete');

    const csrf = { 'x-csrf-token': session.view?.csrfToken ?? '' };
    const started = await browser.request(`${tiaki}/api/auth/mfa/enrolment`, { json: {}, headers: csrf });
    expect(started.status).toBe(200);
    const { secret } = (await started.json()) as { secret: string };
    const confirmed = await browser.request(`${tiaki}/api/auth/mfa/enrolment/confirm`, {
      json: { code: totpCode(secret) },
      headers: csrf,
    });
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as SessionView).stage).toBe('active');
    expect((await sessionOf(browser)).view?.user.id).toBe(user.id);

    // Enrolled now: the next provider sign-in without MFA asks for the code (mfa_verify).
    const next = new FetchBrowser();
    await signInAtProvider(next, acc.login);
    expect((await sessionOf(next)).view?.stage).toBe('mfa_verify');
  });

  it('gives a person the provider knows but Tiaki does not no session, only "no access"', async () => {
    const since = await lastAuditId();
    // Same address as an account of another organisation: still not this organisation's person.
    const elsewhere = await createUser(ctx, ['caseworker']);
    const stranger = account(`stranger${counter++}`, ['pwd', 'mfa'], elsewhere.email);
    idp.accounts.set(stranger.sub, stranger);
    const browser = new FetchBrowser();
    const landed = await signInAtProvider(browser, stranger.login);
    expect(landed.pathname + landed.search).toBe('/sign-in?sso_error=no_access');
    expect(browser.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    expect((await sessionOf(browser)).status).toBe(401);
    expect(
      await ctx.db.selectFrom('sso_identity').selectAll().where('subject', '=', stranger.sub).execute(),
    ).toEqual([]);
    const failed = await audits('auth.sign_in_failed', since);
    expect(failed.map((a) => a.details)).toEqual([
      { method: 'oidc', issuer: idp.issuer, reason: 'no_account' },
    ]);

    // An account of the organisation without any role: roles come from Tiaki only.
    const { acc } = await person('noroles', [], `noroles${counter++}`, ['pwd', 'mfa']);
    const other = new FetchBrowser();
    const back = await signInAtProvider(other, acc.login);
    expect(back.search).toBe('?sso_error=no_access');
    expect(other.cookie(tiaki, 'tiaki_session')).toBeUndefined();

    // An address the provider has not verified links nobody.
    const { acc: unverified } = await person('unverified', ['caseworker'], `unverified${counter++}`, [
      'pwd',
      'mfa',
    ]);
    unverified.emailVerified = false;
    const third = new FetchBrowser();
    expect((await signInAtProvider(third, unverified.login)).search).toBe('?sso_error=no_access');
    expect(third.cookie(tiaki, 'tiaki_session')).toBeUndefined();
  });

  it('refuses a deactivated account, even one already linked', async () => {
    const { user, acc } = await person('leaver', ['caseworker'], `leaver${counter++}`, ['pwd', 'mfa']);
    const first = new FetchBrowser();
    expect((await signInAtProvider(first, acc.login)).href).toBe(`${tiaki}/`);
    await ctx.db.updateTable('app_user').set({ is_active: false }).where('id', '=', user.id).execute();
    // The session of before ends too (the session lookup checks the account).
    expect((await sessionOf(first)).status).toBe(401);
    const browser = new FetchBrowser();
    const landed = await signInAtProvider(browser, acc.login);
    expect(landed.search).toBe('?sso_error=account_inactive');
    expect(browser.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    expect(await ctx.db.selectFrom('session').selectAll().where('user_id', '=', user.id).execute()).toEqual(
      [],
    );
  });

  it('refuses an answer with the wrong state, and the right one after it (each sign-in is tried once)', async () => {
    const { acc } = await person('state', ['caseworker'], `state${counter++}`, ['pwd', 'mfa']);
    const browser = new FetchBrowser();
    const callback = await signInAtProvider(browser, acc.login, isCallback);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value');
    const landed = await browser.go(forged.href, { stopAt: isTiakiPage });
    expect(landed.url.search).toBe('?sso_error=failed');
    expect(browser.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    const retried = await browser.go(callback.href, { stopAt: isTiakiPage });
    expect(retried.url.search).toBe('?sso_error=expired');
    expect(browser.cookie(tiaki, 'tiaki_session')).toBeUndefined();
  });

  it('refuses an answer in a browser that did not start the sign-in', async () => {
    const { acc } = await person('elsewhere', ['caseworker'], `elsewhere${counter++}`, ['pwd', 'mfa']);
    const browser = new FetchBrowser();
    const callback = await signInAtProvider(browser, acc.login, isCallback);
    const since = await lastAuditId();
    const attacker = new FetchBrowser();
    const landed = await attacker.go(callback.href, { stopAt: isTiakiPage });
    expect(landed.url.search).toBe('?sso_error=expired');
    expect(attacker.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    // Nothing was waiting for that browser, so nothing was tried and nothing is written: anyone
    // can reach this address, unthrottled.
    expect(await lastAuditId()).toBe(since);
    // The browser that started it still finishes signing in.
    expect((await browser.go(callback.href, { stopAt: isTiakiPage })).url.href).toBe(`${tiaki}/`);
  });

  it('refuses a replayed authorisation code: the provider answers it once', async () => {
    const { acc } = await person('replay', ['caseworker'], `replay${counter++}`, ['pwd', 'mfa']);
    const browser = new FetchBrowser();
    const callback = await signInAtProvider(browser, acc.login, isCallback);
    // Keep what the pending sign-in held, and the browser's binding cookie, so the replay passes
    // Tiaki's own checks and reaches the provider.
    const pending = await ctx.db.selectFrom('sso_pending_sign_in').selectAll().execute();
    const binding = browser.cookies.filter((c) => c.name === 'tiaki_sso');
    expect(binding).toHaveLength(1);
    expect((await browser.go(callback.href, { stopAt: isTiakiPage })).url.href).toBe(`${tiaki}/`);
    const sessionsBefore = await ctx.db.selectFrom('session').select('id').execute();
    const since = await lastAuditId();

    await ctx.db
      .insertInto('sso_pending_sign_in')
      .values(pending)
      .onConflict((oc) => oc.doNothing())
      .execute();
    const replayer = new FetchBrowser();
    replayer.cookies = binding;
    const landed = await replayer.go(callback.href, { stopAt: isTiakiPage });
    expect(landed.url.search).toBe('?sso_error=failed');
    expect(replayer.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    expect(await ctx.db.selectFrom('session').select('id').execute()).toEqual(sessionsBefore);
    const failed = await audits('auth.sign_in_failed', since);
    expect(failed.map((a) => a.details)).toEqual([
      { method: 'oidc', issuer: idp.issuer, reason: 'token_rejected:invalid_grant' },
    ]);
  });

  it('refuses an ID token whose signature does not match the provider’s published keys', async () => {
    const { user, acc } = await person('forged', ['caseworker'], `forged${counter++}`, ['pwd', 'mfa']);
    const since = await lastAuditId();
    idp.tamperWithIdTokens = true;
    try {
      const browser = new FetchBrowser();
      const landed = await signInAtProvider(browser, acc.login);
      expect(landed.pathname + landed.search).toBe('/sign-in?sso_error=failed');
      expect(browser.cookie(tiaki, 'tiaki_session')).toBeUndefined();
    } finally {
      idp.tamperWithIdTokens = false;
    }
    const failed = await audits('auth.sign_in_failed', since);
    expect(failed).toHaveLength(1);
    expect((failed[0]?.details as { reason: string }).reason).toMatch(/^token_rejected:/);
    expect(
      await ctx.db.selectFrom('sso_identity').selectAll().where('user_id', '=', user.id).execute(),
    ).toEqual([]);
    // The same person, the same provider, an untouched token: signed in.
    const honest = new FetchBrowser();
    expect((await signInAtProvider(honest, acc.login)).href).toBe(`${tiaki}/`);
  });

  it('counts a single sign-on against the same per-client throttle as a password sign-in', async () => {
    const { user, acc } = await person('throttled', ['caseworker'], `throttled${counter++}`, ['pwd', 'mfa']);
    const used = await ctx.db
      .selectFrom('sign_in_attempt')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    const limit = ctx.config.loginIpLimit;
    ctx.config.loginIpLimit = Number(used?.n ?? 0);
    try {
      const browser = new FetchBrowser();
      const landed = await browser.go(`${tiaki}/api/auth/oidc/${PROVIDER_ID}/start`);
      expect(landed.url.pathname + landed.url.search).toBe('/sign-in?sso_error=too_many_attempts');
      expect(browser.cookie(tiaki, 'tiaki_sso')).toBeUndefined();
      const password = await fetch(`${tiaki}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(password.status).toBe(429);
    } finally {
      ctx.config.loginIpLimit = limit;
    }
    expect(acc.login).toBeTruthy();
  });
});
