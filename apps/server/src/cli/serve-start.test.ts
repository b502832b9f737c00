import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../../test/harness.ts';
import { freePort, migratedDataDir } from '../../test/processes.ts';

const BIN = fileURLToPath(new URL('../../bin/tiaki.mjs', import.meta.url));

/** Waits, generously, until the server's output contains `text`. */
async function waitFor(output: () => string, text: string, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!output().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" never appeared:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('tiaki serve starts fast', () => {
  it('answers /healthz while still starting, keeps the API closed with 503 starting until ready, then opens it', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // Readiness held back 30 s (a test-only hook): plenty of time to look at a server that is starting.
    const env = testEnv({
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: await migratedDataDir(),
      TIAKI_TEST_READY_DELAY_MS: '30000',
    });
    const started = Date.now();
    const child = spawn('node', [BIN, 'serve'], { env: { PATH: process.env.PATH, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => output, 'Starting: listening on');
      const health = await fetch(`${base}/healthz`);
      const healthAfterMs = Date.now() - started;
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      console.log(`/healthz answered ${healthAfterMs} ms after the process was spawned`);

      // Not ready yet: readiness says why, in plain JSON.
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      const reason = (await notReady.json()) as { status: string; database: string };
      expect(['migrating', 'starting']).toContain(reason.status);
      expect(reason.database).toBe('pglite');

      // The API is closed: nothing runs against a database that may not be migrated.
      const session = await fetch(`${base}/api/session`);
      expect(session.status).toBe(503);
      expect(session.headers.get('retry-after')).toBe('5');
      expect(session.headers.get('cache-control')).toBe('no-store');
      expect(await session.json()).toMatchObject({ code: 'starting' });
      const signIn = await fetch(`${base}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.test', password: 'not a real password' }),
      });
      expect(signIn.status).toBe(503);
      expect(await signIn.json()).toMatchObject({ code: 'starting' });
      // A person opening the web app sees a plain page that reloads itself.
      const page = await fetch(`${base}/cases`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('Tiaki is starting');

      // Once start-up has finished, readiness flips and the API answers normally.
      await waitFor(() => output, 'Tiaki is running at');
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const after = await fetch(`${base}/api/session`);
      expect(after.status).toBe(401);
      expect(await after.json()).not.toMatchObject({ code: 'starting' });
      // Progress lines say what start-up is doing, without names.
      expect(output).toContain('Starting: opening the database');
      expect(output).toMatch(/migrations applied now: 0/);
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGINT');
        const [code] = (await exited) as [number | null];
        expect(code).toBe(0);
      }
    }
  }, 300_000);

  it('says so and exits when the port is taken, before touching the database', async () => {
    const port = await freePort();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const env = testEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
      const child = spawn('node', [BIN, 'serve'], { env: { PATH: process.env.PATH, ...env } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output).toContain('is already in use');
      expect(output).not.toContain('opening the database');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 120_000);
});
