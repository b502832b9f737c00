import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { AppContext } from '../../context.ts';
import { createBackup, formatBackupReport } from './backup.ts';
import { BackupError, passphraseFromEnv } from './format.ts';
import { formatRestoreReport, restoreBackup } from './restore.ts';

type WithContext = <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

/** Prints a plain message instead of a stack trace; any other failure of a restore was rolled back. */
async function plainErrors(what: 'backup' | 'restore', fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`Error: ${error.message}`);
    } else if (what === 'restore') {
      console.error(
        `Error: the restore failed and was rolled back, nothing was restored: ${(error as Error).message}`,
      );
    } else {
      console.error(`Error: the backup failed, no backup file was written: ${(error as Error).message}`);
    }
    process.exitCode = 1;
  }
}

/** `tiaki backup FILE` and `tiaki restore FILE` (docs/operations.md). */
export function registerBackupCommands(program: Command, withContext: WithContext): void {
  program
    .command('backup')
    .description('Write an encrypted backup of the whole database (passphrase: TIAKI_BACKUP_PASSPHRASE)')
    .argument('<file>', 'the backup file to write')
    .option('--force', 'replace FILE if it exists')
    .action((file: string, opts: { force?: boolean }) =>
      plainErrors('backup', async () => {
        const passphrase = passphraseFromEnv();
        if (!opts.force && existsSync(file))
          throw new BackupError(
            `${file} already exists. Choose another name, or pass --force to replace it.`,
          );
        await withContext(async (ctx) => {
          console.log(
            formatBackupReport(await createBackup(ctx, file, passphrase, { overwrite: opts.force })),
          );
        });
      }),
    );
  program
    .command('restore')
    .description('Restore a backup into a new, empty database, then verify the audit chain')
    .argument('<file>', 'a file written by `tiaki backup`')
    .option('--check', 'only read and check the file, the keys and the schema version; write nothing')
    .action((file: string, opts: { check?: boolean }) =>
      plainErrors('restore', async () => {
        const passphrase = passphraseFromEnv();
        await withContext(async (ctx) => {
          const report = await restoreBackup(ctx, file, passphrase, { check: opts.check });
          console.log(formatRestoreReport(report));
          if (report.chain && !report.chain.ok) process.exitCode = 1;
        });
      }),
    );
}
