import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Issue 19: every CSV line Tiaki writes goes through the one guarded writer (`@tiaki/disclosure`
 * csvLine, csvComment, csvDocument, toCsv), which makes a cell starting with = + - @ inert. The
 * writer itself, and each file's content, is tested where it is made (packages/disclosure csv.test.ts,
 * extracts.test.ts, audit-log.test.ts, dataQualityCsv.test.ts); this test fails when a new file
 * starts serving CSV, so that it is looked at and routed through the writer too.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A file that serves or downloads CSV, and the module that writes its lines. */
const PRODUCERS: Record<string, string> = {
  'apps/server/src/modules/audit/routes.ts': 'apps/server/src/modules/audit/service.ts',
  'apps/server/src/modules/exports/routes.ts': 'apps/server/src/modules/exports/htcds.ts',
  'apps/server/src/modules/extracts/routes.ts': 'apps/server/src/modules/extracts/service.ts',
  'apps/server/src/modules/statistics/publication-routes.ts': 'apps/server/src/modules/statistics/render.ts',
  'apps/server/src/modules/statistics/routes.ts': 'apps/server/src/modules/statistics/routes.ts',
  'apps/web/src/features/statistics/DataQualityPage.tsx':
    'apps/web/src/features/statistics/dataQualityCsv.ts',
};
/** Files that read CSV someone sends (imports), and write none. */
const CONSUMERS = [
  'apps/server/src/modules/imports/routes.ts',
  'apps/web/src/features/imports/api.ts',
  'apps/web/src/features/statistics/StewardTools.tsx',
];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('every CSV line through the one guarded writer', () => {
  it('knows every file that serves CSV', () => {
    const found = [...sources('apps/server/src'), ...sources('apps/web/src')].filter((file) =>
      readFileSync(join(ROOT, file), 'utf8').includes('text/csv'),
    );
    expect(found.sort()).toEqual([...Object.keys(PRODUCERS), ...CONSUMERS].sort());
  });

  it('writes each of their lines with the guarded writer, never by hand', () => {
    for (const writer of new Set(Object.values(PRODUCERS))) {
      const text = readFileSync(join(ROOT, writer), 'utf8');
      expect(text, writer).toMatch(
        /import \{[^}]*\b(csvLine|csvDocument|toCsv)\b[^}]*\} from '@tiaki\/disclosure(\/csv-writer)?'/,
      );
      // Cells joined with commas, or lines with CRLF, by hand: the writer does both.
      expect(text, writer).not.toMatch(/\.join\(\s*['"`],['"`]\s*\)/);
      expect(text, writer).not.toMatch(/\\r\\n/);
    }
  });
});
