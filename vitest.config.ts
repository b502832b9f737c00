import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Sized for a busy laptop three times slower than an idle two-core machine (the suite must
    // pass for a newcomer while other work runs): three times what an idle machine needs.
    // Explicit per-test timeouts and Playwright waits (apps/server/test/browser.ts) follow the same rule.
    testTimeout: 180_000,
    hookTimeout: 360_000,
    // Two cores: two test files at a time.
    maxWorkers: 2,
    reporters: ['default', './apps/server/test/totals-reporter.ts'],
    // `npm test` runs every project; `npm run test:unit` only the fast ones.
    projects: [
      {
        extends: true,
        // No database, server or browser: the packages and the web app's own logic.
        test: { name: 'unit', include: ['packages/**/*.test.ts', 'apps/web/src/**/*.test.ts'] },
      },
      // The API on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL), and the CLI.
      { extends: true, test: { name: 'server', include: ['apps/server/**/*.test.ts'] } },
      // A real browser against the built web app (`npm run build:web` first).
      { extends: true, test: { name: 'browser', include: ['apps/web/e2e/**/*.test.ts'] } },
    ],
  },
});
