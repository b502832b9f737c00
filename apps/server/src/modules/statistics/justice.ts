import { CHARGE_OUTCOMES, CURRENT_TAXONOMY } from '@tiaki/domain';
import { chargesByProvisionAndForm, chargesByProvisionAndOutcome } from './queries/tables.ts';
import type { TableSpec } from './tables.ts';

/**
 * Prosecutions: which offence provisions charges are laid under, for which forms of exploitation,
 * and how they end. Counted from fact_charge (codes and dates only), each charge once, rounded and
 * suppressed like every published count (cell key = the sum of the charges' keys).
 */

const codes = (list: readonly { code: string }[]) => list.map((x) => x.code);

export const JUSTICE_TABLES: readonly TableSpec[] = [
  {
    name: 'charges_by_provision_and_form',
    title: 'Charges laid, by offence provision and form of exploitation',
    rows: { name: 'provision', categories: codes(CURRENT_TAXONOMY.lawProvisions) },
    columns: { name: 'manifestation', categories: codes(CURRENT_TAXONOMY.manifestations) },
    query: chargesByProvisionAndForm,
  },
  {
    name: 'charges_by_provision_and_outcome',
    title: 'Charges laid, by offence provision and where they stand now',
    rows: { name: 'provision', categories: codes(CURRENT_TAXONOMY.lawProvisions) },
    columns: { name: 'charge outcome', categories: CHARGE_OUTCOMES },
    query: chargesByProvisionAndOutcome,
  },
];

/** The provision the source documents ask about: trafficking in persons, never yet used for child sex trafficking. */
export const TRAFFICKING_PROVISION = 'crimes_98d';
export const SEX_TRAFFICKING_FORM = 'trafficking_sexual_purposes';
