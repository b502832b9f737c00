// The synthetic agency export the import benchmarks read: a CSV of referrals as an agency's system
// would write it (24 columns, a quoted multi-line narrative in every row).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ReferralData } from '@tiaki/domain';
import { random, syntheticReferral } from '../../apps/server/src/demo/history.ts';
import { formatCount, progressLine } from '../target.ts';

export const COLUMNS = [
  'source_id',
  'referrer_name',
  'referrer_role',
  'referrer_email',
  'concern_date',
  'region',
  'police_district',
  'child_identified',
  'given_names',
  'family_name',
  'aliases',
  'date_of_birth',
  'gender',
  'ethnicities',
  'iwi',
  'languages',
  'child_safety',
  'manifestations',
  'contexts',
  'indicators',
  'narrative',
  'immediate_risk',
  'child_aware',
  'lawful_basis',
] as const;

const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

function csvLine(id: string, r: ReferralData): string {
  const cells: Record<(typeof COLUMNS)[number], string> = {
    source_id: id,
    referrer_name: r.referrer.name,
    referrer_role: r.referrer.role ?? '',
    referrer_email: r.referrer.email ?? '',
    concern_date: r.concern.date,
    region: r.concern.region,
    police_district: r.concern.policeDistrict ?? '',
    child_identified: r.child.identified ? 'yes' : 'no',
    given_names: r.child.givenNames ?? '',
    family_name: r.child.familyName ?? '',
    aliases: r.child.aliases.join(';'),
    date_of_birth: r.child.dateOfBirth ?? '',
    gender: r.child.gender,
    ethnicities: r.child.ethnicities.join(';'),
    iwi: r.child.iwi.join(';'),
    languages: r.child.languages.join(';'),
    child_safety: r.child.safety,
    manifestations: r.manifestations.join(';'),
    contexts: r.contexts.join(';'),
    indicators: r.indicators.join(';'),
    // A few sentences, as a referrer writes them, with a comma and a line break to quote.
    narrative: `${r.narrative} Seen near the bus station on two evenings, with an older adult;\nschool attendance has dropped this term. Reference ${id}.`,
    immediate_risk: r.immediateRisk ? 'yes' : 'no',
    child_aware: r.childAware,
    lawful_basis: r.lawfulBasis,
  };
  return COLUMNS.map((column) => quote(cells[column])).join(',') + '\n';
}

/**
 * Writes the file; returns its row count. Dates spread over the last ten years. Source ids are
 * BENCH-n, or `prefix`-n (a file for data that already holds an earlier run's rows).
 */
export async function writeFile(
  file: string,
  rows: number,
  bytes: number | null,
  prefix = 'BENCH',
): Promise<number> {
  const rand = random(7);
  const out = createWriteStream(file);
  out.write(COLUMNS.join(',') + '\n');
  let written = 0;
  let size = 0;
  const progress = progressLine();
  const start = Date.UTC(2016, 10, 1);
  for (let n = 0; bytes === null ? n < rows : size < bytes; n++) {
    const received = new Date(start + rand() * 3650 * 86_400_000).toISOString().slice(0, 10);
    const line = csvLine(`${prefix}-${n}`, syntheticReferral(rand, received, n));
    size += Buffer.byteLength(line);
    written++;
    if (!out.write(line)) await once(out, 'drain');
    progress(`writing ${file}: ${formatCount(written)} rows, ${(size / 2 ** 20).toFixed(0)} MiB`);
  }
  out.end();
  await once(out, 'finish');
  process.stderr.write('\n');
  return written;
}
