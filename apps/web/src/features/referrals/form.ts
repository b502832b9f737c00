import {
  CHILD_AWARE,
  CHILD_SAFETY,
  CURRENT_TAXONOMY,
  EVIDENCE_AGENCIES,
  newZealandToday,
  adultDateOfBirth,
  referralFields,
  referralInput,
  type ReferralInput,
} from '@tiaki/domain';

export type YesNo = '' | 'yes' | 'no';
export type AgeKind = '' | 'dateOfBirth' | 'estimatedAge' | 'ageBand';
export type EvidenceAgency = (typeof EVIDENCE_AGENCIES)[number];

export interface EvidenceRow {
  agency: EvidenceAgency;
  reference: string;
}

/**
 * What the person has typed and chosen, as the form holds it: text as typed, answers not yet given
 * as ''. This is also what a draft stores; `toInput` turns it into a ReferralInput.
 */
export interface ReferralForm {
  referrer: { name: string; role: string; phone: string; email: string };
  concern: { date: string; region: string; policeDistrict: string };
  child: {
    identified: YesNo;
    givenNames: string;
    familyName: string;
    aliases: string[];
    ageKind: AgeKind;
    dateOfBirth: string;
    estimatedAge: string;
    ageBand: string;
    gender: string;
    ethnicities: string[];
    iwi: string[];
    citizenship: string;
    languages: string[];
    currentLocation: string;
    safety: '' | (typeof CHILD_SAFETY)[number];
  };
  manifestations: string[];
  manifestationSubtypes: string[];
  contexts: string[];
  indicators: string[];
  narrative: string;
  immediateRisk: YesNo;
  evidenceReferences: EvidenceRow[];
  childViews: string;
  childAware: '' | (typeof CHILD_AWARE)[number];
  lawfulBasis: string;
}

export function emptyForm(referrer: { name: string; email: string }): ReferralForm {
  return {
    referrer: { name: referrer.name, role: '', phone: '', email: referrer.email },
    concern: { date: newZealandToday(new Date(), 'latest'), region: '', policeDistrict: '' },
    child: {
      identified: '',
      givenNames: '',
      familyName: '',
      aliases: [],
      ageKind: '',
      dateOfBirth: '',
      estimatedAge: '',
      ageBand: '',
      gender: '',
      ethnicities: [],
      iwi: [],
      citizenship: '',
      languages: [],
      currentLocation: '',
      safety: '',
    },
    manifestations: [],
    manifestationSubtypes: [],
    contexts: [],
    indicators: [],
    narrative: '',
    immediateRisk: '',
    evidenceReferences: [],
    childViews: '',
    childAware: '',
    lawfulBasis: '',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a draft's content back into the form, taking only values of the expected kind: a draft
 * saved by an older version of the form still opens, with anything it lacks left empty.
 */
export function formFromContent(content: unknown, base: ReferralForm): ReferralForm {
  const merge = <T extends object>(template: T, value: unknown): T => {
    if (!isRecord(value)) return template;
    const result: Record<string, unknown> = { ...(template as Record<string, unknown>) };
    for (const [key, fallback] of Object.entries(template)) {
      const given = value[key];
      if (typeof fallback === 'string' && typeof given === 'string') result[key] = given;
      else if (Array.isArray(fallback) && Array.isArray(given)) {
        result[key] =
          key === 'evidenceReferences'
            ? given.filter(isEvidenceRow)
            : given.filter((item): item is string => typeof item === 'string');
      } else if (isRecord(fallback)) result[key] = merge(fallback, given);
    }
    return result as T;
  };
  return merge(base, content);
}

function isEvidenceRow(value: unknown): value is EvidenceRow {
  return (
    isRecord(value) &&
    typeof value.reference === 'string' &&
    (EVIDENCE_AGENCIES as readonly unknown[]).includes(value.agency)
  );
}

/** A date of birth is asked only for a child who can be identified. */
export function effectiveAgeKind(form: ReferralForm): AgeKind {
  return form.child.identified === 'no' && form.child.ageKind === 'dateOfBirth' ? '' : form.child.ageKind;
}

const optional = (value: string) => (value.trim() === '' ? undefined : value);
const yesNo = (value: YesNo) => (value === '' ? undefined : value === 'yes');
const filled = (values: readonly string[]) => values.filter((value) => value.trim() !== '');

/** Subtype codes that belong to one of the chosen forms of exploitation. */
export function subtypesOf(manifestations: readonly string[]): Set<string> {
  return new Set(
    CURRENT_TAXONOMY.manifestations
      .filter((m) => manifestations.includes(m.code))
      .flatMap((m) => (m.subtypes ?? []).map((s) => s.code)),
  );
}

/**
 * The referral as the API takes it. Hidden answers are left out (a child who cannot be identified
 * has no name; only the kind of age chosen is sent), and unanswered questions are left undefined so
 * that the schema reports them.
 */
export function toInput(form: ReferralForm): ReferralInput {
  const { child } = form;
  const identified = yesNo(child.identified);
  const age = child.estimatedAge.trim();
  const estimatedAge = /^\d{1,3}$/.test(age) ? Number(age) : optional(age);
  const allowedSubtypes = subtypesOf(form.manifestations);
  const ageKind = effectiveAgeKind(form);
  // Undefined where the person has not answered yet: the schema then says what is missing.
  const input = {
    referrer: {
      name: form.referrer.name,
      role: optional(form.referrer.role),
      phone: optional(form.referrer.phone),
      email: optional(form.referrer.email),
    },
    concern: {
      date: form.concern.date,
      region: form.concern.region,
      policeDistrict: optional(form.concern.policeDistrict),
    },
    child: {
      identified,
      ...(identified === false
        ? { aliases: [] }
        : {
            givenNames: optional(child.givenNames),
            familyName: optional(child.familyName),
            aliases: filled(child.aliases),
            currentLocation: optional(child.currentLocation),
          }),
      dateOfBirth: ageKind === 'dateOfBirth' ? optional(child.dateOfBirth) : undefined,
      estimatedAge: ageKind === 'estimatedAge' ? estimatedAge : undefined,
      ageBand: ageKind === 'ageBand' ? optional(child.ageBand) : undefined,
      gender: child.gender,
      ethnicities: child.ethnicities,
      iwi: child.iwi,
      citizenship: optional(child.citizenship),
      languages: filled(child.languages),
      safety: optional(child.safety),
    },
    manifestations: form.manifestations,
    manifestationSubtypes: form.manifestationSubtypes.filter((code) => allowedSubtypes.has(code)),
    contexts: form.contexts,
    indicators: form.indicators,
    narrative: form.narrative,
    immediateRisk: yesNo(form.immediateRisk),
    evidenceReferences: form.evidenceReferences.filter((row) => row.reference.trim() !== ''),
    childViews: optional(form.childViews),
    childAware: optional(form.childAware),
    lawfulBasis: form.lawfulBasis,
  };
  return dropUndefined(input) as ReferralInput;
}

/** The schema is strict about keys, and JSON leaves undefined out anyway: drop them here too. */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  );
}

export const STEPS = ['about', 'child', 'what', 'indicators', 'narrative', 'sharing'] as const;
export type StepKey = (typeof STEPS)[number];

/** The top-level fields of ReferralInput that each step asks for. */
const STEP_FIELDS: Readonly<Record<StepKey, readonly (keyof ReferralInput)[]>> = {
  about: ['referrer', 'concern'],
  child: ['child'],
  what: ['manifestations', 'manifestationSubtypes', 'contexts'],
  indicators: ['indicators'],
  narrative: ['narrative', 'immediateRisk', 'evidenceReferences'],
  sharing: ['childViews', 'childAware', 'lawfulBasis'],
};

/** The step that asks for the field at a dotted path such as "child.dateOfBirth". */
export function stepOfPath(path: string): number {
  const top = path.split('.')[0] ?? '';
  const index = STEPS.findIndex((step) => (STEP_FIELDS[step] as readonly string[]).includes(top));
  return index === -1 ? STEPS.length - 1 : index;
}

export interface FieldProblem {
  path: string;
  message: string;
  /** The message is in Tiaki's own words and names its question: it needs no label before it. */
  worded?: boolean;
}

function issuesOf(error: unknown): FieldProblem[] {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Checks one step's part of the referral with the domain schema itself. */
export function checkStep(form: ReferralForm, step: StepKey): FieldProblem[] {
  const mask: { [K in keyof typeof referralFields.shape]?: true } = {};
  const input = toInput(form) as Record<string, unknown>;
  const part: Record<string, unknown> = {};
  for (const field of STEP_FIELDS[step]) {
    mask[field] = true;
    if (field in input) part[field] = input[field];
  }
  // The schema is strict: give it only this step's part.
  const result = referralFields.pick(mask).safeParse(part);
  const problems = result.success ? [] : issuesOf(result.error);
  if (step !== 'child') return problems;
  // The schema checks these only once the rest of the child's details are valid: check them now,
  // so that the person sees every problem on the step at once.
  const extra = childChecks(form).filter((p) => !problems.some((q) => q.path === p.path));
  return [...problems, ...extra];
}

/** The child's checks across fields, at the schema's paths (`explain` words them). */
function childChecks(form: ReferralForm): FieldProblem[] {
  const input = toInput(form).child;
  const problems: FieldProblem[] = [];
  if (input.identified && !input.givenNames && !input.familyName && (input.aliases ?? []).length === 0) {
    problems.push({ path: 'child.givenNames', message: 'name' });
  }
  if (!input.dateOfBirth && input.estimatedAge === undefined && !input.ageBand) {
    problems.push({ path: 'child.estimatedAge', message: 'age' });
  }
  // The same rule the server applies to the whole referral: a child is under 18 on the concern date.
  const concernDate = toInput(form).concern.date;
  const adult = input.dateOfBirth && concernDate ? adultDateOfBirth(input.dateOfBirth, concernDate) : null;
  if (adult) problems.push({ path: 'child.dateOfBirth', message: adult });
  return problems;
}

/** Checks the whole referral before it is sent. */
export function checkAll(form: ReferralForm): FieldProblem[] {
  const result = referralInput.safeParse(toInput(form));
  return result.success ? [] : issuesOf(result.error);
}

/**
 * The id of the control for a path. Every field on the form uses this id, so error messages from
 * this device and from the server can link to it.
 */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** The nearest control on the page for a path: "child.aliases.2" falls back to "child.aliases". */
export function findField(path: string): HTMLElement | null {
  const parts = path.split('.');
  while (parts.length) {
    const element = document.getElementById(fieldId(parts.join('.')));
    if (element) return element;
    parts.pop();
  }
  return null;
}

/** Moves the cursor to a field; for a group of choices, to its first choice. */
export function focusField(path: string): void {
  const element = findField(path);
  if (!element) return;
  const target = element.matches('input, select, textarea, button')
    ? element
    : element.querySelector<HTMLElement>('input, select, textarea, button');
  (target ?? element).focus();
  element.scrollIntoView({ block: 'center' });
}

type RequiredKey =
  | 'referrerName'
  | 'concernDate'
  | 'concernRegion'
  | 'childIdentified'
  | 'childName'
  | 'childGender'
  | 'childSafety'
  | 'manifestations'
  | 'narrative'
  | 'immediateRisk'
  | 'childAware'
  | 'lawfulBasis';

type AgeKey =
  'childAge' | 'childEstimatedAgeNumber' | 'childDateOfBirth' | 'childEstimatedAge' | 'childAgeBand';

const AGE_MISSING = {
  dateOfBirth: 'referrals.required.childDateOfBirth',
  estimatedAge: 'referrals.required.childEstimatedAge',
  ageBand: 'referrals.required.childAgeBand',
} as const;

/** Plain messages for questions not answered yet (the schema's own words fit wrong answers better). */
const REQUIRED: Readonly<Record<string, RequiredKey>> = {
  'referrer.name': 'referrerName',
  'concern.date': 'concernDate',
  'concern.region': 'concernRegion',
  'child.identified': 'childIdentified',
  'child.givenNames': 'childName',
  'child.gender': 'childGender',
  'child.safety': 'childSafety',
  manifestations: 'manifestations',
  narrative: 'narrative',
  immediateRisk: 'immediateRisk',
  childAware: 'childAware',
  lawfulBasis: 'lawfulBasis',
};

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isRecord(current)) current = current[part];
    else return undefined;
  }
  return current;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Puts each problem, from this device or from the server, in words for the person and against
 * the control that shows it; one message a field.
 */
export function explain(
  translate: (key: `referrals.required.${RequiredKey | AgeKey}`) => string,
  problems: readonly FieldProblem[],
  form: ReferralForm,
): FieldProblem[] {
  const input = toInput(form) as unknown;
  const ageKind = effectiveAgeKind(form);
  const seen = new Set<string>();
  const result: FieldProblem[] = [];
  for (const problem of problems) {
    let { path, message } = problem;
    const original = message;
    const value = valueAt(input, path);
    if (path === 'child.estimatedAge' && typeof value === 'string') {
      message = translate('referrals.required.childEstimatedAgeNumber');
    } else if (path === 'child.estimatedAge' && value === undefined) {
      // No age of any kind: show it against the question the person has not answered yet.
      if (ageKind === '') {
        path = 'child.age';
        message = translate('referrals.required.childAge');
      } else {
        path = `child.${ageKind}`;
        message = translate(AGE_MISSING[ageKind]);
      }
    } else {
      const key = REQUIRED[path];
      if (key && isEmpty(value)) message = translate(`referrals.required.${key}`);
    }
    if (seen.has(path)) continue;
    seen.add(path);
    result.push(message === original ? { path, message } : { path, message, worded: true });
  }
  return result;
}
