import { Command, InvalidArgumentError } from 'commander';
import { ORGANISATION_KINDS, REGION_CODES, ROLES, type OrganisationKind, type Role } from '@tiaki/domain';
import { registerLinkCommands } from '@tiaki/linkage/cli';
import { addDevelopmentKey, ConfigError, loadConfig, usesDevelopmentKeys, type Config } from '../config.ts';
import { exportHtcds, formatHtcdsReport } from '../modules/exports/htcds.ts';
import { formatOf } from '../modules/imports/rows.ts';
import { lastCompleteQuarter, opscPack, quarterlyBulletin } from '../modules/statistics/publications.ts';
import { writePublication, type WrittenPublication } from '../modules/statistics/render.ts';
import { importReferrals } from '../modules/imports/service.ts';
import { rotateKeys } from '../security/rotation.ts';
import { registerBackupCommands } from '../modules/backup/cli.ts';
import { registerPrivacyCommands } from '../modules/privacy/cli.ts';
import { registerRetentionCommands } from '../modules/retention/cli.ts';
import type { AppContext } from '../context.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { serve } from './serve.ts';
import { verifyAuditChain, type Actor } from '../modules/audit/service.ts';
import { CheckpointError, readCheckpoint, sealAudit, type AuditCheckpoint } from '../modules/audit/index.ts';
import * as organisations from '../modules/organisations/service.ts';
import * as privilegedRequests from '../modules/users/requests.ts';
import * as users from '../modules/users/service.ts';
import { createContext } from '../runtime.ts';

const CLI_ACTOR: Actor = { userId: null, organisationId: null, requestId: 'cli' };

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

/** Opens the database for one command and always closes it, so PGlite flushes to disk. */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(config());
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string, previous: T[] | undefined): T[] => {
    if (!values.includes(value as T)) {
      throw new InvalidArgumentError(`Unknown ${what} "${value}". Choose from: ${values.join(', ')}`);
    }
    return [...(previous ?? []), value as T];
  };
}

async function findOrganisation(ctx: AppContext, nameOrId: string) {
  const all = await organisations.list(ctx);
  const match = all.find((o) => o.id === nameOrId || o.name.toLowerCase() === nameOrId.toLowerCase());
  if (!match) {
    throw new HttpError(
      400,
      'unknown_organisation',
      `No organisation "${nameOrId}". Run \`npx tiaki org list\`.`,
    );
  }
  return match;
}

const program = new Command()
  .name('tiaki')
  .description('Tiaki operations: run the server, migrate, manage accounts, verify the audit chain.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the API and web app (applies migrations; seeds demo data in demo mode)')
  .action(serve);

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(() =>
    withContext((ctx) => {
      const { applied, alreadyApplied } = ctx.database.migrations;
      console.log(
        `Applied ${applied.length} migration(s)${applied.length ? `: ${applied.join(', ')}` : ''}; ${alreadyApplied} already applied.`,
      );
      return Promise.resolve();
    }),
  );

const org = program.command('org').description('Organisations');
org
  .command('list')
  .description('List organisations')
  .action(() =>
    withContext(async (ctx) => {
      for (const o of await organisations.list(ctx)) console.log(`${o.id}  ${o.kind.padEnd(16)} ${o.name}`);
    }),
  );
org
  .command('create')
  .description('Create an organisation')
  .requiredOption('--kind <kind>', `one of: ${ORGANISATION_KINDS.join(', ')}`)
  .requiredOption('--name <name>', 'the organisation’s name')
  .option(
    '--region <code>',
    `a region served (repeatable): ${REGION_CODES.join(', ')}`,
    oneOf(REGION_CODES, 'region'),
  )
  .action((opts: { kind: string; name: string; region?: string[] }) =>
    withContext(async (ctx) => {
      if (!ORGANISATION_KINDS.includes(opts.kind as OrganisationKind)) {
        throw new HttpError(
          400,
          'bad_kind',
          `Unknown kind "${opts.kind}". Choose from: ${ORGANISATION_KINDS.join(', ')}`,
        );
      }
      const created = await organisations.create(ctx, CLI_ACTOR, {
        kind: opts.kind as OrganisationKind,
        name: opts.name,
        regionsServed: opts.region ?? [],
      });
      console.log(`Created organisation ${created.id} (${created.name})`);
    }),
  );

const user = program.command('user').description('User accounts');
user
  .command('create')
  .description('Create a user; prints a one-time password they must change at first sign-in')
  .requiredOption('--org <name-or-id>', 'their organisation')
  .requiredOption('--role <role>', `a role (repeatable): ${ROLES.join(', ')}`, oneOf(ROLES, 'role'))
  .requiredOption('--email <email>', 'their work email, used to sign in')
  .option('--name <display-name>', 'how their name is shown (defaults to the email)')
  .action((opts: { org: string; role: Role[]; email: string; name?: string }) =>
    withContext(async (ctx) => {
      const organisation = await findOrganisation(ctx, opts.org);
      const { user: created, oneTimePassword } = await users.create(ctx, CLI_ACTOR, {
        email: opts.email.trim().toLowerCase(),
        displayName: opts.name ?? opts.email,
        organisationId: organisation.id,
        roles: opts.role,
      });
      console.log(`Created ${created.email} at ${organisation.name} with roles ${created.roles.join(', ')}.`);
      console.log(`One-time password (shown once): ${oneTimePassword}`);
    }),
  );
user
  .command('reset-password')
  .description('Issue a new one-time password and end the user’s sessions')
  .requiredOption('--email <email>', 'the account’s email')
  .action((opts: { email: string }) =>
    withContext(async (ctx) => {
      const found = await users.findByEmail(ctx, opts.email);
      if (!found) throw new HttpError(404, 'not_found', `No account with email ${opts.email}.`);
      const { oneTimePassword } = await users.resetPassword(ctx, CLI_ACTOR, found.id);
      console.log(`One-time password for ${found.email} (shown once): ${oneTimePassword}`);
    }),
  );

user
  .command('reset-mfa')
  .description(
    'Remove the user’s authenticator so they enrol again at next sign-in (audited as the operator)',
  )
  .requiredOption('--email <email>', 'the account’s email')
  .action((opts: { email: string }) =>
    withContext(async (ctx) => {
      const found = await users.findByEmail(ctx, opts.email);
      if (!found) throw new HttpError(404, 'not_found', `No account with email ${opts.email}.`);
      await users.resetMfa(ctx, CLI_ACTOR, found.id);
      console.log(`Removed the authenticator of ${found.email}; they enrol a new one at next sign-in.`);
    }),
  );
user
  .command('requests')
  .description('Privileged changes waiting for a second administrator (two-person rule)')
  .action(() =>
    withContext(async (ctx) => {
      const pending = (await privilegedRequests.listRequests(ctx)).filter((r) => r.status === 'pending');
      if (pending.length === 0) console.log('Nothing is waiting.');
      for (const r of pending)
        console.log(
          `${r.id}  ${r.kind}${r.roles.length ? ` (${r.roles.join(', ')})` : ''} for ${r.targetUser.email}, asked by ${r.requestedBy.displayName}, expires ${r.expiresAt}`,
        );
    }),
  );
for (const outcome of ['approve', 'reject'] as const) {
  user
    .command(`${outcome}-request`)
    .description(
      `${outcome === 'approve' ? 'Approve' : 'Reject'} a waiting privileged change as the operator (for an installation with one administrator; audited)`,
    )
    .argument('<id>', 'the request id, from `tiaki user requests`')
    .action((id: string) =>
      withContext(async (ctx) => {
        const { request, oneTimePassword } = await privilegedRequests.decide(
          ctx,
          CLI_ACTOR,
          id,
          outcome === 'approve' ? 'approved' : 'rejected',
        );
        console.log(`${request.kind} for ${request.targetUser.email}: ${request.status}.`);
        if (oneTimePassword) console.log(`One-time password (shown once): ${oneTimePassword}`);
      }),
    );
}

const audit = program.command('audit').description('The tamper-evident audit log');
audit
  .command('verify')
  .description(
    'Link what is committed into the chain, then check every entry of it; prints OK or the first broken entry',
  )
  .option(
    '--checkpoint <file>',
    'a signed checkpoint kept outside the database (DATA_DIR/audit-checkpoint.json, copied): the chain must reach it unchanged',
  )
  .action((opts: { checkpoint?: string }) =>
    withContext(async (ctx) => {
      // Read (and its signature checked) before sealing, which rewrites the live checkpoint file.
      let checkpoint: AuditCheckpoint | undefined;
      try {
        checkpoint = opts.checkpoint
          ? readCheckpoint(opts.checkpoint, ctx.config.auditCheckpointKey)
          : undefined;
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        console.log(`CHECKPOINT REFUSED: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      const sealed = await sealAudit(ctx.db, {
        wait: true,
        checkpoint: { file: ctx.config.auditCheckpointFile, key: ctx.config.auditCheckpointKey },
      });
      const result = await verifyAuditChain(ctx.db, { seal: false, checkpoint });
      const tail =
        result.unsealed === 0
          ? 'nothing waits to be sealed'
          : `${result.unsealed} newer entries not yet sealed (oldest ${result.oldestUnsealedSeconds ?? 0} s), not covered`;
      if (result.ok) {
        console.log(
          `OK: ${result.checked} audit entries verified, chain intact (${sealed.sealed} sealed just now; ${tail}).`,
        );
        if (checkpoint)
          console.log(
            `The chain reaches the checkpoint of ${checkpoint.writtenAt} (entry ${checkpoint.position}) unchanged.`,
          );
      } else {
        console.log(
          `BROKEN at entry ${result.firstBrokenId}: ${result.reason} (${result.checked} entries before it are intact; ${tail}).`,
        );
        process.exitCode = 1;
      }
    }),
  );

const imports = program.command('import').description('Bulk import from other systems');
imports
  .command('referrals')
  .description('Import referrals from a CSV or JSON Lines file (see docs/import.md for the columns)')
  .argument('<file>', 'a .csv, .jsonl or .ndjson file')
  .requiredOption('--org <name-or-id>', 'the organisation the referrals come from')
  .option(
    '--mode <mode>',
    'all-or-nothing: import only if every row is valid; good-rows: import the valid rows',
    'all-or-nothing',
  )
  .option('--dry-run', 'validate and report, import nothing')
  .action((file: string, opts: { org: string; mode: string; dryRun?: boolean }) =>
    withContext(async (ctx) => {
      const format = formatOf(file);
      if (!format) throw new HttpError(400, 'bad_format', 'Give a .csv, .jsonl or .ndjson file.');
      const mode = opts.mode;
      if (mode !== 'all-or-nothing' && mode !== 'good-rows') {
        throw new HttpError(400, 'bad_mode', '--mode is all-or-nothing or good-rows.');
      }
      const organisation = await findOrganisation(ctx, opts.org);
      const actor: Actor = { userId: null, organisationId: organisation.id, requestId: 'cli-import' };
      const report = await importReferrals(
        ctx,
        actor,
        { organisationId: organisation.id, userId: null, apiKeyId: null },
        file,
        format,
        {
          mode,
          dryRun: opts.dryRun,
          onProgress: (phase, done) => process.stderr.write(`\r${phase} … ${done} rows`),
        },
      );
      process.stderr.write('\n');
      for (const row of report.invalid) {
        console.log(`line ${row.line}: ${row.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      }
      console.log(report.message);
      if (!report.committed && report.invalid.length > 0) process.exitCode = 1;
    }),
  );

const keys = program.command('keys').description('Field-encryption keys');
keys
  .command('rotate')
  .description('Re-encrypt every encrypted value under the first key (development: adds a new key first)')
  .action(async () => {
    if (config().env !== 'production' && usesDevelopmentKeys()) {
      const id = addDevelopmentKey(config().dataDir);
      console.log(`Added development key ${id} to DATA_DIR/secrets.json.`);
    }
    await withContext(async (ctx) => {
      const report = await rotateKeys(ctx.db, ctx.keyring, (column, done) =>
        process.stderr.write(`\r${column}: ${done}`),
      );
      process.stderr.write('\n');
      const total = Object.values(report.reencrypted).reduce((a, b) => a + b, 0);
      console.log(`Re-encrypted ${total} value(s) under key ${report.activeKeyId}.`);
      for (const [column, n] of Object.entries(report.reencrypted)) if (n) console.log(`  ${column}: ${n}`);
      console.log('Old keys can be removed from TIAKI_KEYS once every server runs with the new list.');
    });
  });

const exportsCommand = program
  .command('export')
  .description('Exports to data standards (see docs/exports.md)');
exportsCommand
  .command('htcds')
  .description(
    'Write an IOM HTCDS v2.0 CSV: one row per child whose lawful basis allows it; identity omitted',
  )
  .requiredOption('--out <file>', 'the CSV file to write')
  .option('--from <date>', 'children referred on or after this date (YYYY-MM-DD)')
  .option('--to <date>', 'children referred on or before this date (YYYY-MM-DD)')
  .option('--include-identity', 'also write names and date of birth (needs --authorised-by)')
  .option('--authorised-by <email>', 'the data steward or privacy officer authorising identity')
  .action(
    (opts: { out: string; from?: string; to?: string; includeIdentity?: boolean; authorisedBy?: string }) =>
      withContext(async (ctx) => {
        for (const date of [opts.from, opts.to]) {
          if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
            throw new HttpError(400, 'bad_date', `Dates are YYYY-MM-DD (got "${date}").`);
          }
        }
        if (opts.includeIdentity && !opts.authorisedBy) {
          throw new HttpError(
            400,
            'identity_not_authorised',
            '--include-identity needs --authorised-by <email of a data steward or privacy officer>.',
          );
        }
        const report = await exportHtcds(ctx, CLI_ACTOR, {
          out: opts.out,
          from: opts.from,
          to: opts.to,
          includeIdentity:
            opts.includeIdentity && opts.authorisedBy ? { authorisedBy: opts.authorisedBy } : undefined,
        });
        console.log(formatHtcdsReport(report));
      }),
  );

const stats = program
  .command('stats')
  .description('Published statistics: rounded and suppressed (see docs/statistics.md)');
stats
  .command('bulletin')
  .description('Write the quarterly bulletin: an HTML page, a PDF and a CSV file per table')
  .option('--quarter <quarter>', 'the quarter, e.g. 2026Q3 (default: the last quarter that has ended)')
  .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
  .option('--no-pdf', 'skip the PDF (it needs Chromium)')
  .action((opts: { quarter?: string; out: string; pdf: boolean }) =>
    withContext(async (ctx) => {
      const quarter = opts.quarter ?? lastCompleteQuarter(ctx.today());
      const publication = await quarterlyBulletin(ctx, quarter);
      report(
        await writePublication(publication, opts.out, {
          pdf: opts.pdf,
          chromiumPath: ctx.config.chromiumPath,
        }),
      );
    }),
  );
stats
  .command('opsc')
  .description('Write the OPSC / CRC reporting pack for a period: HTML, PDF and CSV tables')
  .requiredOption('--from <date>', 'first day of the reporting period (YYYY-MM-DD)')
  .requiredOption('--to <date>', 'last day of the reporting period (YYYY-MM-DD)')
  .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
  .option('--no-pdf', 'skip the PDF (it needs Chromium)')
  .action((opts: { from: string; to: string; out: string; pdf: boolean }) =>
    withContext(async (ctx) => {
      const publication = await opscPack(ctx, { from: opts.from, to: opts.to });
      report(
        await writePublication(publication, opts.out, {
          pdf: opts.pdf,
          chromiumPath: ctx.config.chromiumPath,
        }),
      );
    }),
  );

function report(written: WrittenPublication): void {
  console.log(`Wrote ${written.html}`);
  if (written.pdf) console.log(`Wrote ${written.pdf}`);
  console.log(`Wrote ${written.csv.length} CSV table(s) beside them.`);
  console.log('Every number is randomly rounded (base 3) and small counts are suppressed: safe to publish.');
}

registerBackupCommands(program, withContext);
registerRetentionCommands(program, withContext);
registerPrivacyCommands(program, withContext);
registerLinkCommands(program);

try {
  await program.parseAsync();
} catch (error) {
  const intended = asHttpError(error);
  if (intended) {
    console.error(`Error: ${intended.message}`);
    if (intended.fields) for (const f of intended.fields) console.error(`  ${f.path}: ${f.message}`);
    process.exitCode = 1;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 78;
  } else {
    throw error;
  }
}
