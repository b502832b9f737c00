import type { resources } from '../../i18n/index.ts';

type Fields = (typeof resources)['en']['translation']['referrals']['fields'];
type FieldKey = { [K in keyof Fields]: Fields[K] extends string ? K : never }[keyof Fields];

/** The label of the field at each path, for the error summary. */
const LABELS: Readonly<Record<string, FieldKey>> = {
  'referrer.name': 'referrerName',
  'referrer.role': 'referrerRole',
  'referrer.phone': 'referrerPhone',
  'referrer.email': 'referrerEmail',
  'concern.date': 'concernDate',
  'concern.region': 'region',
  'concern.policeDistrict': 'policeDistrict',
  'child.identified': 'identified',
  'child.givenNames': 'givenNames',
  'child.familyName': 'familyName',
  'child.aliases': 'aliases',
  'child.age': 'age',
  'child.dateOfBirth': 'dateOfBirth',
  'child.estimatedAge': 'estimatedAge',
  'child.ageBand': 'ageBandSelect',
  'child.gender': 'gender',
  'child.ethnicities': 'ethnicities',
  'child.iwi': 'iwi',
  'child.citizenship': 'citizenship',
  'child.languages': 'languages',
  'child.currentLocation': 'currentLocation',
  'child.safety': 'safety',
  manifestations: 'manifestations',
  manifestationSubtypes: 'subtypes',
  contexts: 'contexts',
  indicators: 'indicators',
  narrative: 'narrative',
  immediateRisk: 'immediateRisk',
  evidenceReferences: 'evidence',
  childViews: 'childViews',
  childAware: 'childAware',
  lawfulBasis: 'lawfulBasis',
};

/** The label key for a path; "child.aliases.2" and "evidenceReferences.0.reference" use their list's. */
export function labelKeyOf(path: string): FieldKey | undefined {
  const parts = path.split('.');
  while (parts.length) {
    const key = LABELS[parts.join('.')];
    if (key) return key;
    parts.pop();
  }
  return undefined;
}

const ORDER = Object.keys(LABELS);

/** Where a path's field stands on the form, for listing problems in the order of the page. */
export function pathOrder(path: string): number {
  const parts = path.split('.');
  while (parts.length) {
    const index = ORDER.indexOf(parts.join('.'));
    if (index !== -1) return index;
    parts.pop();
  }
  return ORDER.length;
}
