import type { Db } from '../../db/database.ts';
import { chainFieldsOf, GENESIS_HASH, hashEntry } from './chain.ts';
import { checkpointExists, writeCheckpoint, type CheckpointTarget } from './checkpoint.ts';
import {
  chainHead,
  linkEntries,
  recordAuditHead,
  tryTakeSealLock,
  unsealedEntries,
  waitForSealLock,
  type ChainHead,
} from './queries.ts';

export { chainHead, type ChainHead };

/**
 * The one lock of the audit chain, held only by the sealer (never by a request): one sealer at a
 * time, across every process on the database.
 */
const SEAL_LOCK = 727276;

/** Entries linked per transaction: a short transaction even after a bulk import. */
const SEAL_BATCH = 2000;

export interface SealOptions {
  /** Wait for a sealer running elsewhere to finish, then seal (verification); otherwise skip. */
  wait?: boolean | undefined;
  batchSize?: number | undefined;
  /** Where to write the signed checkpoint of the new head (DATA_DIR), if anywhere. */
  checkpoint?: CheckpointTarget | undefined;
}

export interface SealResult {
  /** Entries linked into the chain by this call. */
  sealed: number;
  /** false when another sealer held the lock and `wait` was not asked. */
  ran: boolean;
  head: ChainHead | null;
}

/**
 * Links committed entries into the hash chain. The order is the order in which the sealer sees
 * them committed (within what it sees at once, their id order): an entry a transaction commits
 * later is simply sealed later, after everything already sealed, so no earlier transaction can
 * still commit into a place that was sealed. Each batch is one transaction: the entries' positions
 * and hashes and the head (migration 0016) move together, or not at all (a crash loses nothing;
 * the next sealer starts from the last committed batch).
 */
export async function sealAudit(db: Db, options: SealOptions = {}): Promise<SealResult> {
  const batchSize = options.batchSize ?? SEAL_BATCH;
  let sealed = 0;
  let head: ChainHead | null = null;
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      if (options.wait) {
        await waitForSealLock(trx, SEAL_LOCK);
      } else {
        if (!(await tryTakeSealLock(trx, SEAL_LOCK))) return null;
      }
      const tip = await chainHead(trx);
      const rows = await unsealedEntries(trx, batchSize);
      if (rows.length === 0) return { count: 0, head: tip };
      let position = tip?.position ?? 0;
      let prevHash = tip?.hash ?? GENESIS_HASH;
      const links = rows.map((row) => {
        const hash = hashEntry(chainFieldsOf(row, prevHash));
        const link = { id: Number(row.id), seq: ++position, prev_hash: prevHash, hash };
        prevHash = hash;
        return link;
      });
      if ((await linkEntries(trx, links)) !== links.length)
        throw new Error('audit sealing: entries changed under the sealer; nothing sealed');
      const last = links[links.length - 1];
      if (!last) return { count: 0, head: tip };
      await recordAuditHead(trx, last.seq, last.hash);
      return { count: links.length, head: { position: last.seq, entryId: last.id, hash: last.hash } };
    });
    if (!batch) return { sealed, ran: false, head };
    sealed += batch.count;
    head = batch.head;
    if (batch.count < batchSize) break;
    // Let requests in between batches: PGlite answers on the microtask queue, so a long backlog
    // (after a bulk import) sealed without a pause would hold off all I/O until it is done.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (options.checkpoint && head && (sealed > 0 || !checkpointExists(options.checkpoint)))
    await checkpointHead(db, options.checkpoint);
  return { sealed, ran: true, head };
}

/**
 * Writes the signed checkpoint of the chain's head. Under the sealer's lock, so two processes
 * sharing a folder never write an older head after a newer one.
 */
async function checkpointHead(db: Db, target: CheckpointTarget): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await waitForSealLock(trx, SEAL_LOCK);
    const head = await chainHead(trx);
    if (head) writeCheckpoint(target, head);
  });
}

/** Every second or so, and at once when asked; sealing lag stays about one period. */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly checkpoint: CheckpointTarget | undefined,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {}

  start(periodMs: number): void {
    const tick = () => {
      this.running = sealAudit(this.db, { checkpoint: this.checkpoint })
        .catch((error: unknown) => {
          this.log('audit sealing failed', { error: error instanceof Error ? error.message : String(error) });
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, periodMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
