// The domain's labels, which the web app's translations are built from: a published table names
// categories exactly as the screens do.
import {
  CHARGE_OUTCOME_LABELS,
  CLOSURE_REASON_LABELS,
  CURRENT_TAXONOMY,
  DECISION_KIND_LABELS,
  DECISION_OUTCOME_LABELS,
  NEED_TYPE_LABELS,
  ORGANISATION_KIND_LABELS,
  REGIONS,
  SERVICE_REFERRAL_STATUS_LABELS,
} from '@tiaki/domain';

/** Equity groups (prioritised: Māori, then Pacific; see equity.ts). */
export const EQUITY_GROUP_LABELS: Readonly<Record<string, string>> = {
  maori: 'Māori',
  pacific: 'Pacific peoples (not Māori)',
  other: 'Neither Māori nor Pacific',
  not_recorded: 'Ethnicity not recorded',
};
const IDENTIFICATION_LABELS: Readonly<Record<string, string>> = {
  rg_positive: 'Reasonable grounds: positive',
  rg_negative: 'Reasonable grounds: negative',
  cg_positive: 'Conclusive grounds: positive',
  cg_negative: 'Conclusive grounds: negative',
};
const SERVICE_RESPONSE_LABELS: Readonly<Record<string, string>> = {
  accepted: 'Accepted',
  declined: 'Declined',
  waiting: 'Waiting for an answer',
  withdrawn: 'Withdrawn',
};

type Entry = { code: string; label?: string; name?: string };
const fromList = (list: readonly Entry[]) =>
  new Map(list.map((entry) => [entry.code, entry.label ?? entry.name ?? entry.code]));

const BY_DIMENSION: Record<string, ReadonlyMap<string, string>> = {
  manifestation: fromList(CURRENT_TAXONOMY.manifestations),
  context: fromList(CURRENT_TAXONOMY.contexts),
  'age band': fromList(CURRENT_TAXONOMY.ageBands),
  gender: fromList(CURRENT_TAXONOMY.genders),
  ethnicity: fromList(CURRENT_TAXONOMY.ethnicities),
  iwi: fromList(CURRENT_TAXONOMY.iwi),
  region: fromList(REGIONS),
  'police district': fromList(CURRENT_TAXONOMY.policeDistricts),
  referrer: new Map(Object.entries(ORGANISATION_KIND_LABELS)),
  decision: new Map(Object.entries(DECISION_KIND_LABELS)),
  outcome: new Map(Object.entries(DECISION_OUTCOME_LABELS)),
  need: new Map(Object.entries(NEED_TYPE_LABELS)),
  status: new Map(Object.entries(SERVICE_REFERRAL_STATUS_LABELS)),
  'closure reason': new Map(Object.entries(CLOSURE_REASON_LABELS)),
  // Prosecutions and equity (justice.ts, equity.ts).
  provision: new Map(
    CURRENT_TAXONOMY.lawProvisions.map((p) => [p.code, `${p.act} ${p.section}: ${p.label}`]),
  ),
  'charge outcome': new Map(Object.entries(CHARGE_OUTCOME_LABELS)),
  'equity group': new Map(Object.entries(EQUITY_GROUP_LABELS)),
  identification: new Map(Object.entries(IDENTIFICATION_LABELS)),
  'service response': new Map(Object.entries(SERVICE_RESPONSE_LABELS)),
};

const MONTH = new Intl.DateTimeFormat('en-NZ', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A category code of a published table in words ("02" → "Auckland"); unknown codes stay as they are. */
export function categoryLabel(dimension: string, code: string): string {
  if (code === 'not_recorded' || code === 'unknown') return 'Not recorded';
  if ((dimension === 'month' || dimension === 'period') && /^\d{4}-\d{2}$/.test(code))
    return MONTH.format(new Date(`${code}-01T00:00:00Z`));
  if (dimension === 'quarter') return code.replace(/^(\d{4})Q([1-4])$/, 'Q$2 $1');
  return BY_DIMENSION[dimension]?.get(code) ?? code;
}
