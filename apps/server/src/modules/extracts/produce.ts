import { randomInt } from 'node:crypto';
import {
  dateHierarchy,
  kAnonymise,
  regionHierarchy,
  type Hierarchy,
  type HierarchyLevel,
  type KAnonymityReport,
} from '@tiaki/disclosure';
import { CURRENT_TAXONOMY, TAXONOMIES, type ExtractVariable } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { withFacts } from '../statistics/index.ts';
import { firstReferralFacts } from './queries.ts';

/** Smallest group of rows sharing the same quasi-identifiers (CTDC practice). */
export const EXTRACT_K = 11;

/** Quasi-identifiers: details someone could know about a child from elsewhere. */
export const QUASI_IDENTIFIERS = [
  'received_month',
  'region',
  'police_district',
  'age_band',
  'gender',
  'ethnicities',
  'iwi',
  'citizenship',
] as const satisfies readonly ExtractVariable[];
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

const isQuasiIdentifier = (v: ExtractVariable): v is QuasiIdentifier =>
  (QUASI_IDENTIFIERS as readonly string[]).includes(v);

const ANY: HierarchyLevel = { name: 'any', generalise: () => 'any' };
const NONE = 'none';
const MAORI_LEVEL_1 = '2';

/** How each quasi-identifier is coarsened, one rung at a time, before rows are suppressed. */
const HIERARCHIES: Record<QuasiIdentifier, Hierarchy> = {
  // Values are already months (YYYY-MM): the next rungs are quarter, year, any.
  received_month: dateHierarchy.slice(1),
  region: regionHierarchy,
  police_district: [ANY],
  age_band: [ANY],
  gender: [ANY],
  ethnicities: [
    {
      name: 'Māori / non-Māori',
      generalise: (v) =>
        v === NONE || v === null
          ? NONE
          : String(v).split(';').includes(MAORI_LEVEL_1)
            ? 'Māori'
            : 'non-Māori',
    },
    ANY,
  ],
  iwi: [
    { name: 'affiliated / none', generalise: (v) => (v === NONE || v === null ? NONE : 'affiliated') },
    ANY,
  ],
  citizenship: [ANY],
};

/** Level-2 ethnicity codes mapped to their level-1 group (Stats NZ ETHNIC05), across taxonomy versions. */
const LEVEL_1 = new Map<string, string>();
for (const taxonomy of [CURRENT_TAXONOMY, ...Object.values(TAXONOMIES)]) {
  for (const e of taxonomy.ethnicities) LEVEL_1.set(e.code, e.parent ?? e.code);
}

const list = (values: readonly string[] | null): string => {
  const unique = [...new Set(values ?? [])].sort();
  return unique.length === 0 ? NONE : unique.join(';');
};

export interface ProducedExtract {
  header: string[];
  rows: string[][];
  report: KAnonymityReport<string>;
  quasiIdentifiers: QuasiIdentifier[];
}

/**
 * Reads the fact views only (as the statistics role), one row per child: the child's first
 * referral in the period, their latest identification decision and the needs they were referred
 * to services for. Then generalises and suppresses until every group of rows sharing the
 * requested quasi-identifiers has at least k rows, and numbers the rows at random.
 */
export async function produceExtract(
  ctx: AppContext,
  variables: readonly ExtractVariable[],
  period: { from: string; to: string },
): Promise<ProducedExtract> {
  const facts = await withFacts(ctx, (trx) => firstReferralFacts(trx, period));

  const rows = facts.map((f) => {
    const values: Record<ExtractVariable, string> = {
      received_month: f.received_month,
      region: f.region,
      police_district: f.police_district ?? '',
      age_band: f.age_band ?? '',
      gender: f.gender ?? '',
      ethnicities: list(f.ethnicities.map((code) => LEVEL_1.get(code) ?? code)),
      iwi: list(f.iwi),
      citizenship: f.citizenship ?? '',
      manifestations: list(f.manifestations),
      contexts: list(f.contexts),
      urgent: f.urgent ? 'yes' : 'no',
      concern_level: f.concern_level,
      referrer_kind: f.referrer_kind,
      identification_outcome: f.identification_outcome ?? NONE,
      service_needs: list(f.service_needs),
    };
    return values;
  });

  const quasiIdentifiers = variables.filter(isQuasiIdentifier);
  const hierarchies = Object.fromEntries(quasiIdentifiers.map((q) => [q, HIERARCHIES[q]]));
  const { rows: safe, report } = kAnonymise(rows, quasiIdentifiers, { k: EXTRACT_K, hierarchies });

  // Random order, numbered for this extract only: a row number says nothing about a child.
  const shuffled = [...safe];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof safe)[number], shuffled[i] as (typeof safe)[number]];
  }
  return {
    header: ['row', ...variables],
    rows: shuffled.map((row, i) => [String(i + 1), ...variables.map((v) => row[v])]),
    report,
    quasiIdentifiers,
  };
}
