import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

interface LockOwner {
  pid: number;
  /** The process's start time (Linux /proc), so a reused pid is not mistaken for the owner. */
  started: string | null;
  host: string;
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and brackets); starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the recorded process still runs; a crashed owner (kill -9, power cut) leaves a stale lock. */
function stillHeld(owner: LockOwner): boolean {
  if (owner.host !== hostname() || owner.pid === process.pid || !isRunning(owner.pid)) return false;
  const started = startTimeOf(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

/**
 * Embedded PostgreSQL (PGlite) is one process's database: a second process opening the same
 * folder (say `tiaki backup` from cron while `tiaki serve` runs) would write beside the first with
 * its own cache and can corrupt it. The folder is locked while open; a lock left by a process that
 * no longer runs is taken over. Returns the release function.
 */
export function lockDatabaseFolder(location: string): () => void {
  const file = `${location}.lock`;
  const me: LockOwner = { pid: process.pid, started: startTimeOf(process.pid), host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as LockOwner).pid === me.pid)
            rmSync(file, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: LockOwner | null;
    try {
      owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    } catch {
      owner = null; // Unreadable or half-written by a process that died: stale.
    }
    if (owner && stillHeld(owner))
      throw new Error(
        `The embedded database in ${location} is in use by process ${owner.pid} (is \`tiaki serve\` running?). ` +
          `Stop it first: two processes must not open it at once. If no Tiaki process is running, delete ${file}.`,
      );
    rmSync(file, { force: true });
  }
  throw new Error(`Could not lock the embedded database in ${location}; another process keeps taking it.`);
}
