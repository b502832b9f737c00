import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';
import { totpCode } from './harness.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** The built web app; TEST_WEB_DIST points elsewhere so parallel work can build its own copy. */
export const WEB_DIST =
  process.env.TEST_WEB_DIST ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
export const hasWebBuild = existsSync(`${WEB_DIST}/index.html`);

if (!hasChromium || !hasWebBuild) {
  const why = !hasChromium
    ? `${CHROMIUM} is missing (apt-get install chromium)`
    : 'apps/web/dist is missing (npm run build:web)';
  console.warn(`\n!!!!!!!!!!\n!!! BROWSER TESTS SKIPPED: ${why}\n!!!!!!!!!!\n`);
}

/**
 * How long Playwright waits for an element, a navigation or a response: its default is 30 s, and a
 * busy laptop (three times slower than an idle two-core machine) needs three times that.
 */
export const BROWSER_TIMEOUT_MS = 90_000;

/**
 * Saves a screenshot of the page (at most its first 2,400 px) into `folder` when one is given
 * (E2E_SCREENSHOTS), for a person to look at; does nothing otherwise.
 */
export async function screenshotTo(folder: string | undefined, page: Page, name: string): Promise<void> {
  if (!folder) return;
  const width = page.viewportSize()?.width ?? 1366;
  const height = Math.min(Number(await page.evaluate('document.documentElement.scrollHeight')), 2400);
  await page.screenshot({
    path: `${folder}/${name}.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width, height },
  });
}

/** A browser context whose waits are sized for a busy machine; every browser test opens pages here. */
export async function newBrowserContext(browser: Browser, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  return context;
}

/** Debian's Chromium, headless, with nothing that phones home (the network here is closed). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The real server on a free loopback port, serving the built web app. */
export async function startServer(ctx: AppContext): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await buildApp(ctx, { webDist: WEB_DIST });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** axe-core against WCAG 2.2 A and AA; returns violations in a readable form. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/**
 * What every browser test file needs: a server on a fresh database, Chromium, pages that record
 * console errors, an axe check and the sign-in-with-MFA-enrolment steps a new person goes through.
 */
export class BrowserHarness {
  server!: { url: string; close: () => Promise<void> };
  browser!: Browser;
  readonly consoleErrors: string[] = [];

  async start(ctx: AppContext): Promise<void> {
    this.server = await startServer(ctx);
    this.browser = await launchBrowser();
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }

  async newPage(width = 1280, height = 900): Promise<Page> {
    const context = await newBrowserContext(this.browser, { width, height });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(e.message));
    return page;
  }

  async expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
  }

  /** Signs in someone whose roles need no MFA (an analyst), and waits for the home page. */
  async signInWithoutMfa(
    page: Page,
    user: { email: string; password: string },
    name = 'Test Person',
  ): Promise<void> {
    await page.goto(`${this.server.url}/sign-in`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: `Kia ora, ${name}` }).waitFor();
  }

  /** Signs in and sets up MFA from the enrolment answer, as a new person would. */
  async signInWithMfaEnrolment(page: Page, user: { email: string; password: string }): Promise<void> {
    await page.goto(`${this.server.url}/sign-in`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    const enrolment = page.waitForResponse((r) => r.url().endsWith('/api/auth/mfa/enrolment'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const { secret } = (await (await enrolment).json()) as { secret: string };
    await page.getByLabel('6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kia ora, Test Person' }).waitFor();
  }
}
