import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../../test/harness.ts';

const BIN = fileURLToPath(new URL('../../bin/tiaki.mjs', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** Starts `tiaki serve` and resolves with its output once it says it is running. */
function serve(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('node', [BIN, 'serve'], { env: { PATH: process.env.PATH, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tiaki is running at')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGINT');
  });
}

describe('tiaki serve', () => {
  it('seeds demo data once, prints the demo sign-ins, shuts down cleanly on Ctrl-C, and keeps what was saved', async () => {
    const port = await freePort();
    const env = testEnv({ PORT: String(port), TIAKI_DEMO: 'true', LOG_LEVEL: 'warn' });
    const base = `http://127.0.0.1:${port}`;

    const first = await serve(env);
    const line = first
      .output()
      .split('\n')
      .find((l) => l.includes('administrator@demo.tiaki.test'));
    const password = line?.trim().split(/\s+/)[1] ?? '';
    expect(first.output()).toContain('frontline@demo.tiaki.test');

    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'administrator@demo.tiaki.test', password }),
    });
    expect(signIn.status).toBe(200);
    const session = (await signIn.json()) as { csrfToken: string; demoMode: boolean; stage: string };
    expect(session).toMatchObject({ demoMode: true, stage: 'active' });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const created = await fetch(`${base}/api/organisations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ kind: 'ngo', name: 'Saved Before Shutdown', regionsServed: ['09'] }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first.child)).toBe(0);

    const second = await serve(env);
    expect(second.output()).not.toContain('Demo accounts');
    const again = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'administrator@demo.tiaki.test', password }),
    });
    const cookie2 = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const list = (await (
      await fetch(`${base}/api/organisations`, { headers: { cookie: cookie2 } })
    ).json()) as {
      organisations: { name: string }[];
    };
    expect(list.organisations.map((o) => o.name)).toContain('Saved Before Shutdown');
    expect(await stop(second.child)).toBe(0);
  });
});
