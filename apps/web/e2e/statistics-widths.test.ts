import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { seedDemoData } from '../../server/src/demo/seed.ts';
import { BrowserHarness, hasChromium, hasWebBuild } from '../../server/test/browser.ts';
import { createTestContext, createUser, type TestContext, type TestUser } from '../../server/test/harness.ts';

/**
 * Every statistics screen fits a phone (390 px) and a laptop (1366 px) on the demo history: the
 * page never scrolls sideways at either width. On a phone no table scrolls sideways inside its
 * frame either (wide tables stack, each figure under its column's name). On a laptop a wide table
 * (unmet needs by need × region: 17 columns) may be wider than the page's column; it then scrolls
 * inside its own frame (overflow-x: auto), never the page. Every table view is opened first. As an
 * analyst, a data steward and the Māori data governance group. E2E_SCREENSHOTS=dir keeps a picture
 * of each.
 */
describe.skipIf(!hasChromium || !hasWebBuild)('statistics screens fit a phone and a laptop', () => {
  let ctx: TestContext;
  const harness = new BrowserHarness();
  let analyst: TestUser;
  let steward: TestUser;
  let group: TestUser;
  const shots = process.env.E2E_SCREENSHOTS;

  beforeAll(async () => {
    ctx = await createTestContext('pglite', { TIAKI_DEMO: 'true', TIAKI_TODAY: '2026-11-24' });
    await seedDemoData(ctx, { historyReferrals: 200 });
    await harness.start(ctx);
    analyst = await createUser(ctx, ['analyst']);
    steward = await createUser(ctx, ['data_steward']);
    group = await createUser(ctx, ['maori_data_governance']);
    if (shots) mkdirSync(shots, { recursive: true });
  }, 360_000);

  afterAll(async () => {
    await harness.stop();
    await ctx.close();
  });

  /**
   * Sideways overflow of the page and of each table frame, in pixels (0 or less fits), and whether
   * each frame scrolls its own content sideways (overflow-x auto or scroll).
   */
  const overflow = async (page: Page) => ({
    page: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    frames: await page.locator('.table-wrap').evaluateAll((frames) =>
      frames.map((el) => ({
        table: el.getAttribute('aria-labelledby') ?? '',
        over: el.scrollWidth - el.clientWidth,
        scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX),
      })),
    ),
  });

  async function check(page: Page, who: string, path: string, ready: (page: Page) => Promise<unknown>) {
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${harness.server.url}${path}`);
      await ready(page);
      // Every table view opened, as a reader would.
      await page.evaluate(() => {
        document.querySelectorAll('details').forEach((d) => {
          d.open = true;
        });
      });
      await page.waitForTimeout(300);
      const name = `${who} ${path} at ${width} px`;
      if (shots)
        await page.screenshot({
          path: `${shots}/${who}-${path.replace(/[^a-z0-9]+/gi, '_')}-${width}.png`,
          fullPage: true,
        });
      const seen = await overflow(page);
      expect(seen.page, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
      const wider = seen.frames.filter((f) => f.over > 0);
      if (width === 390) expect(wider, `${name}: tables scrolling sideways on a phone`).toEqual([]);
      else
        expect(
          wider.filter((f) => !f.scrolls),
          `${name}: tables wider than their frame that do not scroll inside it`,
        ).toEqual([]);
    }
  }

  const heading = (name: string | RegExp) => (page: Page) =>
    page.getByRole('heading', { level: 1, name }).waitFor();

  it('as an analyst: dashboard (equity and prosecutions), trends, bulletin and OPSC pack', async () => {
    const page = await harness.newPage();
    await harness.signInWithoutMfa(page, analyst);
    await check(page, 'analyst', '/statistics?from=2026-07-01&to=2026-09-30', async (p) => {
      await p.getByRole('heading', { name: 'At a glance' }).waitFor();
      await p.locator('.stat-section').last().waitFor();
    });
    await check(page, 'analyst', '/statistics?from=2026-07-01&to=2026-09-30&region=02', (p) =>
      p.getByRole('heading', { name: 'At a glance' }).waitFor(),
    );
    await check(page, 'analyst', '/statistics/trends?from=2025-01-01&to=2026-10-31', (p) =>
      p.getByRole('heading', { name: 'Referrals by week' }).waitFor(),
    );
    await check(page, 'analyst', '/statistics/publications?kind=bulletin&quarter=2026Q3', (p) =>
      p.getByRole('heading', { name: /Tiaki quarterly statistics: July to September 2026/ }).waitFor(),
    );
    await check(page, 'analyst', '/statistics/publications?kind=opsc&from=2025-01-01&to=2025-12-31', (p) =>
      p.getByRole('table', { name: /Children who received specialist services/ }).waitFor(),
    );
    await page.context().close();
  }, 600_000);

  it('as a data steward: exact dashboard, data quality and publications', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, steward);
    await check(page, 'steward', '/statistics?from=2026-07-01&to=2026-09-30&exact=true', (p) =>
      p.getByRole('heading', { name: 'At a glance' }).waitFor(),
    );
    await check(page, 'steward', '/statistics/data-quality?period=2026Q3', (p) =>
      p.getByRole('table', { name: /What was recorded/ }).waitFor(),
    );
    await check(page, 'steward', '/statistics/publications', heading('Publications'));
    await page.context().close();
  }, 600_000);

  it('as the Māori data governance group: iwi statistics', async () => {
    const page = await harness.newPage();
    await harness.signInWithMfaEnrolment(page, group);
    await check(page, 'group', '/statistics/iwi?from=2026-07-01&to=2026-09-30', heading('Iwi statistics'));
    await check(page, 'group', '/statistics?from=2026-07-01&to=2026-09-30', (p) =>
      p.getByRole('heading', { name: 'At a glance' }).waitFor(),
    );
    await page.context().close();
  }, 600_000);
});
