import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { testEnv } from '../../test/harness.ts';
import { freePort, migratedDataDir, serve } from '../../test/processes.ts';

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
    const env = testEnv({
      PORT: String(port),
      TIAKI_DEMO: 'true',
      LOG_LEVEL: 'warn',
      DATA_DIR: await migratedDataDir(),
    });
    const base = `http://127.0.0.1:${port}`;

    const first = await serve(env, port);
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

    const second = await serve(env, port);
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
