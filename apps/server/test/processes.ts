import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.ts';

/**
 * Real server processes for tests: `node apps/server/bin/tiaki.mjs serve` on a free port, with
 * only the environment a test gives it (and PATH).
 */
const BIN = fileURLToPath(new URL('../bin/tiaki.mjs', import.meta.url));

const MIGRATIONS = fileURLToPath(new URL('../migrations/', import.meta.url));

/**
 * A DATA_DIR of its own holding an empty, fully migrated PGlite database, for tests that run
 * `tiaki` commands but are not about migrating: a new PGlite database takes a process about
 * 15 s longer to open than a migrated one on a busy machine, and every CLI test used to make one.
 * One migrated copy is kept in the temporary folder per set of migrations and PGlite version
 * (shared by test files, which run in separate processes), and each caller gets a copy of it.
 */
export async function migratedDataDir(): Promise<string> {
  // PGlite as installed (its package.json is not exported): a reinstall makes a new copy.
  const pglite = statSync(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const hash = createHash('sha256').update(`${pglite.size}:${pglite.mtimeMs}`);
  for (const file of readdirSync(MIGRATIONS).sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS, file)));
  }
  const template = join(tmpdir(), `tiaki-test-migrated-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(template)) {
    // Built aside and renamed into place, so a file running at the same time never sees half of it.
    const building = `${template}.${process.pid}-${randomBytes(4).toString('hex')}`;
    await (await openDatabase({ dataDir: building })).close();
    try {
      renameSync(building, template);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another file built it first
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tiaki-test-'));
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

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
    }, 180_000);
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
