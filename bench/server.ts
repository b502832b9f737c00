// A real Tiaki server process on the benchmark data, and sessions for its synthetic people
// (made directly in the database: benchmark people have no password to sign in with).
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@tiaki/domain';
import { loadConfig } from '../apps/server/src/config.ts';
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { freePort, serve, stop, type Server } from '../apps/server/test/processes.ts';
import { benchEnv, type Driver } from './target.ts';

export interface BenchSession {
  cookie: string;
  csrf: string;
}

export async function openBenchDatabase(driver: Driver): Promise<Database> {
  const env = benchEnv(driver);
  return openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: loadConfig(env).dataDir });
}

/** A signed-in session for a user, valid four hours, with the CSRF token the web app would send. */
export async function sessionFor(database: Database, userId: string): Promise<BenchSession> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await database.db
    .insertInto('session')
    .values({
      id: createHash('sha256').update(token).digest('hex'),
      user_id: userId,
      stage: 'active',
      csrf_token: csrf,
      expires_at: new Date(Date.now() + 4 * 3_600_000),
    })
    .execute();
  return { cookie: `tiaki_session=${token}`, csrf };
}

/** Up to `limit` users holding a role. */
export async function usersWith(database: Database, role: Role, limit = 1): Promise<string[]> {
  const rows = await database.db
    .selectFrom('app_user as u')
    .innerJoin('role_assignment as r', 'r.user_id', 'u.id')
    .select('u.id')
    .where('r.role', '=', role)
    .orderBy('u.email')
    .limit(limit)
    .execute();
  if (rows.length === 0)
    throw new Error(`No ${role} in the benchmark data: run \`npm run bench:data\` first`);
  return rows.map((r) => r.id);
}

/** Starts `tiaki serve` on the benchmark data (the caller must have closed its own PGlite handle). */
export async function startBenchServer(
  driver: Driver,
  env: Record<string, string> = {},
): Promise<Server & { stop: () => Promise<void> }> {
  const port = await freePort();
  const server = await serve({ ...benchEnv(driver), HOST: '127.0.0.1', ...env }, port);
  // However the benchmark ends (a thrown error included), its server does not outlive it.
  process.on('exit', () => server.child.kill('SIGKILL'));
  return { ...server, stop: () => stop(server, 'SIGTERM') };
}
