import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import {
  createOrganisation,
  createTestContext,
  createUser,
  type TestContext,
} from '../../server/test/harness.ts';
import { startTestIdp, type TestIdp } from '../../server/test/oidc-idp.ts';
import { parseOidcProviders } from '../../server/src/modules/auth/oidc-config.ts';

/**
 * Single sign-on in Chromium against a real OpenID Connect provider (oidc-provider) on another
 * loopback port: "Sign in with …" on Tiaki's sign-in page, the provider's own login and consent
 * pages, and back in Tiaki signed in. A person the provider knows but Tiaki does not is told so.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('single sign-on in Chromium', () => {
  let ctx: TestContext;
  let idp: TestIdp;
  const harness = new BrowserHarness();

  beforeAll(async () => {
    idp = await startTestIdp([]);
    ctx = await createTestContext('pglite');
    const organisation = await createOrganisation(ctx, 'lead_agency');
    ctx.config.oidcProviders = parseOidcProviders(
      JSON.stringify([
        {
          id: 'agency',
          displayName: 'Test Agency Login',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          organisationId: organisation.id,
        },
      ]),
      false,
    ).providers;
    await harness.start(ctx);
    ctx.config.publicUrl = harness.server.url;
    idp.registerRedirectUri(`${harness.server.url}/api/auth/oidc/agency/callback`);

    const user = await createUser(ctx, ['caseworker'], { organisationId: organisation.id });
    idp.accounts.set('sub-aroha', {
      sub: 'sub-aroha',
      login: 'aroha',
      password: 'provider password of aroha',
      email: user.email,
      emailVerified: true,
      amr: ['pwd', 'mfa'],
    });
    idp.accounts.set('sub-stranger', {
      sub: 'sub-stranger',
      login: 'stranger',
      password: 'provider password of stranger',
      email: 'stranger@example.test',
      emailVerified: true,
      amr: ['pwd', 'mfa'],
    });
  });
  afterAll(async () => {
    await harness.stop();
    await idp.close();
    await ctx.close();
  });

  async function signInAtProvider(login: string, password: string) {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/sign-in`);
    const button = page.getByRole('link', { name: 'Sign in with Test Agency Login' });
    await button.waitFor();
    await harness.expectAccessible(page);
    await button.click();
    // The provider's own pages.
    await page.getByLabel('User name').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    return page;
  }

  it('signs in with the organisation’s provider and lands on the home page, with no Tiaki code asked', async () => {
    const page = await signInAtProvider('aroha', 'provider password of aroha');
    await page.getByRole('heading', { level: 1, name: 'Kia ora, Test Person' }).waitFor();
    expect(new URL(page.url()).origin).toBe(harness.server.url);
    await harness.expectAccessible(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Test Agency Login' }).waitFor();
    await page.close();
  });

  it('tells a person Tiaki does not know that their administrator has not given them access', async () => {
    const page = await signInAtProvider('stranger', 'provider password of stranger');
    await page.getByRole('heading', { name: 'You cannot use Tiaki yet' }).waitFor();
    await page.getByText('your administrator has not given you access to Tiaki yet').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // Still signed out: the password form and the provider's button are there.
    await page.getByLabel('Email', { exact: true }).waitFor();
    await harness.expectAccessible(page);
    expect(harness.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });
});
