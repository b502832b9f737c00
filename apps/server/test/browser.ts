import { AxeBuilder } from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
export const hasWebBuild = existsSync(`${WEB_DIST}/index.html`);

if (!hasChromium || !hasWebBuild) {
  const why = !hasChromium
    ? `${CHROMIUM} is missing (apt-get install chromium)`
    : 'apps/web/dist is missing (npm run build:web)';
  console.warn(`\n!!!!!!!!!!\n!!! BROWSER TESTS SKIPPED: ${why}\n!!!!!!!!!!\n`);
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
