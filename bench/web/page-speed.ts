// Page speed of the built web app in Debian's Chromium, against the real server on 127.0.0.1
// (embedded PGlite, a fresh database): the JavaScript a browser downloads before the
// sign-in page is usable, and how long the referral form takes to become interactive.
//   npm run build:web && npx tsx bench/web/page-speed.ts [--runs 7]
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { BrowserHarness } from '../../apps/server/test/browser.ts';
import { createTestContext, createUser } from '../../apps/server/test/harness.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Records every script the page downloads: the bytes that crossed the wire (the server sends the
 * build's brotli copies) and, for comparison with earlier figures, the size gzipped at level 9.
 */
function scriptSizes(page: Page): { gzipped: () => number; transferred: () => number; count: () => number } {
  const sizes: number[] = [];
  const wire: number[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.body().then((body) => sizes.push(gzipSync(body, { level: 9 }).length));
    void response
      .request()
      .sizes()
      .then((s) => wire.push(s.responseBodySize));
  });
  return {
    gzipped: () => sizes.reduce((a, b) => a + b, 0),
    transferred: () => wire.reduce((a, b) => a + b, 0),
    count: () => sizes.length,
  };
}

const ctx = await createTestContext('pglite');
const harness = new BrowserHarness();
await harness.start(ctx);
const worker = await createUser(ctx, ['frontline']);

try {
  // 1. Cold visit to the sign-in page: every script until the email field takes input.
  const signIn: { ms: number; kb: number; wireKb: number; scripts: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await harness.browser.newContext();
    const page = await context.newPage();
    const scripts = scriptSizes(page);
    const start = performance.now();
    await page.goto(`${harness.server.url}/sign-in`);
    await page.getByLabel('Email').fill('someone@example.test');
    const ms = performance.now() - start;
    await page.waitForLoadState('networkidle');
    signIn.push({
      ms,
      kb: scripts.gzipped() / 1024,
      wireKb: scripts.transferred() / 1024,
      scripts: scripts.count(),
    });
    await context.close();
  }

  // 2. The referral form, opened by a signed-in frontline worker: from navigation to typing in it.
  const page = await harness.newPage();
  await harness.signInWithMfaEnrolment(page, worker);
  const form: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${harness.server.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const start = performance.now();
    await page.goto(`${harness.server.url}/referrals/new`);
    await page.getByLabel('Your role').fill('Youth Aid officer');
    form.push(performance.now() - start);
  }

  const last = signIn[signIn.length - 1];
  console.log(`Runs: ${runs} (median shown)`);
  console.log(
    `Sign-in page usable: ${median(signIn.map((s) => s.ms)).toFixed(0)} ms; JavaScript before it: ${last?.wireKb.toFixed(1)} kB transferred (${last?.kb.toFixed(1)} kB if gzipped) in ${last?.scripts} file(s) (target ≤ 250 kB)`,
  );
  console.log(`Referral form interactive: ${median(form).toFixed(0)} ms (target < 1000 ms)`);
} finally {
  await harness.stop();
  await ctx.close();
}
