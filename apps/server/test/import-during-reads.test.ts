import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { prepareForServer, sessionOf } from './cases.ts';
import { DRIVERS, testEnv } from './harness.ts';
import { freePort, headers, serve, stop, type Server, type Session } from './processes.ts';
import { validReferral } from './referrals.ts';

/**
 * Issue 17: a large import through the API on a real server process (`tiaki serve`, background
 * jobs running) while another user works. A first import leaves linkage jobs queued, so the big
 * one is uploaded and published while there is background work to do. The import must finish
 * with every row, and every request of the other user must be answered. No timings are asserted.
 */
const ROWS = 20_000;
/** The first import: its linkage jobs are still queued when the big one starts. */
const FIRST_ROWS = 2_000;

interface Line {
  progress?: { phase: string; done: number };
  report?: { imported: number; committed: boolean };
  error?: unknown;
}

function jsonLines(prefix: string, rows: number): string {
  return Array.from({ length: rows }, (_, i) =>
    JSON.stringify({
      sourceId: `${prefix}-${i}`,
      ...validReferral({}, { givenNames: `Imported${i}`, familyName: `${prefix}-Testchild` }),
    }),
  ).join('\n');
}

/** Uploads JSON Lines and reads the answer's lines as they come. */
async function upload(
  server: Server,
  session: Session,
  body: string,
): Promise<{ status: number; lines: Line[] }> {
  const response = await fetch(`${server.base}/api/imports/referrals?mode=all-or-nothing`, {
    method: 'POST',
    headers: headers(session, 'application/x-ndjson'),
    body,
  });
  const text = await response.text();
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);
  return { status: response.status, lines };
}

describe.each(DRIVERS)('a large import through the API beside another user on %s', (driver) => {
  const env = testEnv({ TIAKI_TODAY: '2026-07-03', LOG_LEVEL: 'warn', JOB_POLL_SECONDS: '1' });
  let drop = async () => {};
  let server: Server | undefined;
  let frontline: Session;
  let caseworker: Session;
  let caseId: string;

  beforeAll(async () => {
    drop = await prepareForServer(driver, env, async (world) => {
      caseId = (await world.openCase({}, { givenNames: 'Reader', familyName: 'Synthetic-Testchild' })).caseId;
      frontline = sessionOf(await world.frontline());
      caseworker = sessionOf(await world.caseworker());
    });
    server = await serve(env, await freePort());
  }, 300_000);

  afterAll(async () => {
    if (server) await stop(server, 'SIGTERM');
    await drop();
  });

  it(
    'imports every row while the other user’s requests are all answered, telling the importer it is still going while it publishes',
    { timeout: 900_000 },
    async () => {
      const running = server as Server;
      const first = await upload(running, frontline, jsonLines('first', FIRST_ROWS));
      expect(first.status).toBe(200);
      expect(first.lines.at(-1)?.report).toMatchObject({ imported: FIRST_ROWS, committed: true });

      const state = { importing: true };
      const statuses: number[] = [];
      const reading = (async () => {
        const paths = ['/api/cases', `/api/cases/${caseId}`, '/healthz'];
        for (let i = 0; state.importing || i < paths.length; i++) {
          const answer = await fetch(`${running.base}${paths[i % paths.length]}`, {
            headers: headers(caseworker),
          });
          await answer.arrayBuffer();
          statuses.push(answer.status);
        }
      })();
      const big = await upload(running, frontline, jsonLines('big', ROWS)).finally(() => {
        state.importing = false;
      });
      await reading;

      expect(big.status).toBe(200);
      expect(big.lines.some((l) => l.error)).toBe(false);
      expect(big.lines.at(-1)?.report).toMatchObject({ imported: ROWS, committed: true });
      // Once every row is read, the import is published a slice at a time, and each slice says so:
      // a client (or proxy) waiting on a silent answer would give up.
      const allRead = big.lines.filter((l) => l.progress?.done === ROWS);
      expect(allRead.length).toBeGreaterThanOrEqual(ROWS / 5000);
      // Every request of the other user was answered, and answered well.
      expect(statuses.length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);

      // Stopped as an operator would; every row is there (PGlite: once the server let go of it).
      await stop(running, 'SIGTERM');
      server = undefined;
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      try {
        // Published slice by slice, yet as one file: reference numbers in file order, one audit
        // entry each.
        const found = await sql<{ source_key: string; audited: number }>`
          SELECT r.source_key, (SELECT count(*)::int FROM audit_event a
            WHERE a.action = 'referral.submitted' AND a.subject_id = r.id::text) AS audited
          FROM referral r WHERE r.source_key LIKE 'id:big-%' ORDER BY r.reference`.execute(database.db);
        expect(found.rows).toHaveLength(ROWS);
        expect(found.rows.map((r) => r.source_key)).toEqual(
          Array.from({ length: ROWS }, (_, i) => `id:big-${i}`),
        );
        expect(found.rows.every((r) => r.audited === 1)).toBe(true);
      } finally {
        await database.close();
      }
    },
  );
});
