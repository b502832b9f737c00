import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Real server processes for tests: `node apps/server/bin/tiaki.mjs serve` on a free port, with
 * only the environment a test gives it (and PATH).
 */
const BIN = fileURLToPath(new URL('../bin/tiaki.mjs', import.meta.url));

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
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

export interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Starts `tiaki serve` and resolves once it says it is running; `onOutput` sees everything it prints. */
export function serve(
  env: Record<string, string>,
  port: number,
  onOutput: (chunk: string) => void = () => {},
): Promise<Server> {
  const child = spawn('node', [BIN, 'serve'], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    };
    let started = false;
    const onData = (chunk: Buffer) => {
      onOutput(chunk.toString());
      output += chunk.toString();
      // Once only: later output (a shutdown message) must not touch the exit listeners of others.
      if (!started && output.includes('Tiaki is running at')) {
        started = true;
        clearTimeout(timer);
        child.off('exit', exitedEarly);
        resolve({ child, base: `http://127.0.0.1:${port}`, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', exitedEarly);
  });
}

/** Ends a server with a signal: SIGKILL (the default) gives it no chance to finish anything. */
export async function stop(server: Server, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  await exited;
}

/** A signed-in session, usable against any server process on the same database. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

/** The headers the web app sends: the session cookie and the CSRF token. */
export const headers = (session: Session, contentType = 'application/json') => ({
  'content-type': contentType,
  cookie: `tiaki_session=${session.cookie}`,
  'x-csrf-token': session.csrfToken,
});
