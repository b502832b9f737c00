import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Sized for a busy laptop three times slower than an idle two-core machine (the suite must
    // pass for a newcomer while other work runs): three times what an idle machine needs.
    // Explicit per-test timeouts and Playwright waits (apps/server/test/browser.ts) follow the same rule.
    testTimeout: 180_000,
    hookTimeout: 360_000,
    // Two cores: two test files at a time.
    maxWorkers: 2,
    reporters: ['default', './apps/server/test/totals-reporter.ts'],
  },
});
