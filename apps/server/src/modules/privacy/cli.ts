import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { activePrivacyOfficerByEmail } from './queries.ts';
import { exportChild } from './service.ts';

type WithContext = <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

/** The privacy officer making the export: an active account holding the privacy_officer role. */
async function officerOf(ctx: AppContext, email: string) {
  const officer = await activePrivacyOfficerByEmail(ctx.db, email.trim().toLowerCase());
  if (!officer) {
    throw new HttpError(403, 'not_privacy_officer', `${email} is not an active privacy officer.`);
  }
  return officer;
}

export function registerPrivacyCommands(program: Command, withContext: WithContext): void {
  const privacy = program.command('privacy').description('Privacy Act 2020 requests');
  privacy
    .command('export')
    .description('Write everything held about the child behind a referral or case reference (IPP 6; audited)')
    .requiredOption('--reference <ref>', 'a referral or case reference')
    .requiredOption('--out <file>', 'the HTML file to write (not replaced if it exists)')
    .requiredOption('--officer <email>', 'the privacy officer answering the request')
    .requiredOption('--reason <text>', 'who asked and under which request (kept in the audit log)')
    .action((opts: { reference: string; out: string; officer: string; reason: string }) =>
      withContext(async (ctx) => {
        if (opts.reason.trim().length < 20) {
          throw new HttpError(400, 'validation_failed', 'Say who asked and why, in at least 20 characters.');
        }
        const officer = await officerOf(ctx, opts.officer);
        // The operator's path, run on the server with its keys: no second person, so the audit
        // entry says so (the web app always needs one).
        const result = await exportChild(
          ctx,
          { userId: officer.id, organisationId: officer.organisation_id, requestId: 'cli-privacy' },
          opts.reference,
          { operator: true, reasonGiven: true },
        );
        writeFileSync(opts.out, result.html, { flag: 'wx', mode: 0o600 });
        console.log(`Wrote ${opts.out} (readable only by you). Records per section:`);
        for (const [section, n] of Object.entries(result.counts)) console.log(`  ${section}: ${n}`);
      }),
    );
}
