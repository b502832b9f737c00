import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, createUser, totpCode, type TestContext } from '../../server/test/harness.ts';
import {
  accessibilityViolations,
  hasChromium,
  hasWebBuild,
  launchBrowser,
  newBrowserContext,
  startServer,
} from '../../server/test/browser.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('sign-in and administration in Chromium', () => {
  let ctx: TestContext;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    server = await startServer(ctx);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
    await ctx.close();
  });

  async function newPage(width = 1280, height = 800): Promise<Page> {
    const context = await newBrowserContext(browser, { width, height });
    const page = await context.newPage();
    // A CSP violation or script error would show here.
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    return page;
  }

  async function expectAccessible(page: Page) {
    expect(await accessibilityViolations(page)).toEqual([]);
  }

  it('signs in with password and MFA enrolment, shows the role home, and every page passes axe', async () => {
    const admin = await createUser(ctx, ['administrator']);
    const page = await newPage();
    await page.goto(server.url);
    await page.getByLabel('Email', { exact: true }).waitFor();
    expect(page.url()).toMatch(/sign-in/);
    await expectAccessible(page);

    // A wrong password: a plain-language error, announced, still on the sign-in page.
    await page.getByLabel('Email', { exact: true }).fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an active account.').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    const enrolment = page.waitForResponse((r) => r.url().endsWith('/api/auth/mfa/enrolment'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const { secret } = (await (await enrolment).json()) as { secret: string };
    await page.getByLabel('6-digit code').waitFor();
    await page.locator('img[src^="data:image/svg+xml"]').waitFor();
    await expectAccessible(page);

    await page.getByLabel('6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: /^(Confirm|Verify)$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kia ora, Test Person' }).waitFor();
    await expectAccessible(page);
    await expect(page.getByRole('link', { name: 'Users' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: 'Audit log' }).count()).resolves.toBe(0);

    // Administration: create an organisation, then a user whose one-time password is shown once.
    await page.getByRole('link', { name: 'Organisations' }).first().click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Organisations' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add an organisation' }).click();
    await page.getByLabel('Name of the organisation').fill('Browser Test Trust');
    await page.getByLabel('Kind of organisation').selectOption('ngo');
    await page.getByRole('checkbox', { name: /Wellington/ }).check();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByRole('cell', { name: 'Browser Test Trust' }).waitFor();

    await page.getByRole('link', { name: 'Users' }).first().click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Users' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Email', { exact: true }).fill('new.worker@example.test');
    await page.getByLabel('Name', { exact: true }).fill('New Worker');
    await page.getByLabel('Organisation').selectOption({ label: 'Browser Test Trust' });
    await page.getByRole('checkbox', { name: /^Frontline practitioner/ }).check();
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/users') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Create account' }).click();
    const { oneTimePassword } = (await (await created).json()) as { oneTimePassword: string };
    await page.getByText(oneTimePassword).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email', { exact: true }).waitFor();

    // The new person: one-time password, forced change, MFA enrolment, home.
    await page.getByLabel('Email', { exact: true }).fill('new.worker@example.test');
    await page.getByLabel('Password', { exact: true }).fill(oneTimePassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password', { exact: true }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Current password').fill(oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill('a long and private passphrase');
    await page.getByLabel('Confirm new password').fill('a long and private passphrase');
    const second = page.waitForResponse((r) => r.url().endsWith('/api/auth/mfa/enrolment'));
    await page.getByRole('button', { name: 'Change password' }).click();
    const enrolled = (await (await second).json()) as { secret: string };
    await page.getByLabel('6-digit code').fill(totpCode(enrolled.secret));
    await page.getByRole('button', { name: /^(Confirm|Verify)$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kia ora, New Worker' }).waitFor();
    await expect(page.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });

  it('can be used with the keyboard alone, and fits a phone screen', async () => {
    const analyst = await createUser(ctx, ['analyst']);
    const page = await newPage(360, 740);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email', { exact: true }).waitFor();
    await page.getByLabel('Email', { exact: true }).focus();
    await page.keyboard.type(analyst.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(analyst.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Kia ora, Test Person' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.close();
  });
});
