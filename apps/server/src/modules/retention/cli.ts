import type { Command } from 'commander';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import type { Actor } from '../audit/index.ts';
import { formatRetentionReport, retentionDryRun, retentionPurge } from './service.ts';

type WithContext = <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

const RETENTION_ACTOR: Actor = { userId: null, organisationId: null, requestId: 'cli-retention' };

export function registerRetentionCommands(program: Command, withContext: WithContext): void {
  program
    .command('retention')
    .description(
      'Apply the retention schedule (RETENTION_* variables): --dry-run counts what is due, --purge removes it',
    )
    .option('--dry-run', 'count what is due per kind and by year; change nothing')
    .option('--purge', 'de-identify or delete what is due: one transaction and one audit entry per kind')
    .action((opts: { dryRun?: boolean; purge?: boolean }) => {
      if (Boolean(opts.dryRun) === Boolean(opts.purge)) {
        throw new HttpError(400, 'bad_mode', 'Give exactly one of --dry-run or --purge.');
      }
      // The server's configuration has checked RETENTION_* (a bad value stops the command).
      return withContext(async (ctx) => {
        const policy = ctx.config.retention;
        const report = opts.purge
          ? await retentionPurge(ctx, RETENTION_ACTOR, policy)
          : await retentionDryRun(ctx, policy);
        console.log(formatRetentionReport(report));
      });
    });
}
