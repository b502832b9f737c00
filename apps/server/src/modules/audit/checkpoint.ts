import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../../security/canonical-json.ts';

/**
 * The chain's head anchored outside the database: a small file the sealer rewrites as the chain
 * grows, signed (HMAC-SHA-256) with a key the database does not hold. An operator keeps copies of
 * it elsewhere; `tiaki audit verify --checkpoint FILE` then fails if the database's chain does not
 * reach that place with that very entry, which the head inside the database cannot show once its
 * owner has rewritten both.
 */
export interface AuditCheckpoint {
  /** Chain position of the newest sealed entry, which is also the count of sealed entries. */
  position: number;
  /** Its id. */
  entryId: number;
  hash: string;
  writtenAt: string;
}

export interface CheckpointTarget {
  file: string;
  key: Buffer;
}

const FORMAT = 'tiaki-audit-checkpoint/1';

function signature(key: Buffer, c: AuditCheckpoint): string {
  return createHmac('sha256', key)
    .update(canonicalJson([FORMAT, c.position, c.entryId, c.hash, c.writtenAt]))
    .digest('hex');
}

export function checkpointExists(target: CheckpointTarget): boolean {
  return existsSync(target.file);
}

/** Replaces the file in one step (write then rename): a crash leaves the old one or the new one. */
export function writeCheckpoint(
  target: CheckpointTarget,
  head: { position: number; entryId: number; hash: string },
): AuditCheckpoint {
  const checkpoint: AuditCheckpoint = { ...head, writtenAt: new Date().toISOString() };
  const body = {
    format: FORMAT,
    position: checkpoint.position,
    count: checkpoint.position,
    entryId: checkpoint.entryId,
    hash: checkpoint.hash,
    writtenAt: checkpoint.writtenAt,
    signature: signature(target.key, checkpoint),
  };
  mkdirSync(dirname(target.file), { recursive: true });
  const temporary = `${target.file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, target.file);
  return checkpoint;
}

export class CheckpointError extends Error {}

/** Reads a kept checkpoint and checks its signature with this installation's key. */
export function readCheckpoint(file: string, key: Buffer): AuditCheckpoint {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CheckpointError(`Cannot read the checkpoint ${file}: ${(error as Error).message}`);
  }
  const { format, position, entryId, hash, writtenAt, signature: signed } = parsed;
  if (
    format !== FORMAT ||
    !Number.isSafeInteger(position) ||
    !Number.isSafeInteger(entryId) ||
    typeof hash !== 'string' ||
    typeof writtenAt !== 'string' ||
    typeof signed !== 'string'
  )
    throw new CheckpointError(`${file} is not a Tiaki audit checkpoint.`);
  const checkpoint: AuditCheckpoint = {
    position: position as number,
    entryId: entryId as number,
    hash,
    writtenAt,
  };
  const expected = Buffer.from(signature(key, checkpoint), 'hex');
  const given = Buffer.from(signed, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new CheckpointError(
      `The checkpoint ${file} was not signed with this installation's checkpoint key (TIAKI_AUDIT_CHECKPOINT_KEY), or it was changed.`,
    );
  return checkpoint;
}
