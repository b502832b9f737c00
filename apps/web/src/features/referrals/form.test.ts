import { describe, expect, it } from 'vitest';
import { CURRENT_TAXONOMY, referralInput } from '@tiaki/domain';
import {
  checkAll,
  checkStep,
  emptyForm,
  explain,
  formFromContent,
  stepOfPath,
  toInput,
  type ReferralForm,
} from './form.ts';

const translate = (key: string) => `«${key}»`;
const first = (list: readonly { code: string }[]) => list[0]?.code ?? '';

function complete(): ReferralForm {
  const form = emptyForm({ name: 'Constable Test', email: 'referrer@example.test' });
  return {
    ...form,
    concern: { ...form.concern, date: '2026-01-05', region: '09' },
    child: {
      ...form.child,
      identified: 'yes',
      givenNames: 'Aroha',
      aliases: ['Ro', '  '],
      ageKind: 'estimatedAge',
      estimatedAge: '14',
      dateOfBirth: '2012-01-01',
      gender: first(CURRENT_TAXONOMY.genders),
      safety: 'unknown',
    },
    manifestations: ['exploitation_in_prostitution'],
    manifestationSubtypes: ['survival_exchange', 'online_grooming'],
    narrative: 'Seen getting into cars late at night.',
    immediateRisk: 'no',
    childAware: 'no',
    lawfulBasis: first(CURRENT_TAXONOMY.lawfulBases),
  };
}

describe('the referral form', () => {
  it('sends only what the person chose, in the shape the schema takes', () => {
    const input = toInput(complete());
    expect(referralInput.safeParse(input).success).toBe(true);
    expect(input.child.estimatedAge).toBe(14);
    expect(input.child.dateOfBirth).toBeUndefined();
    expect(input.child.aliases).toEqual(['Ro']);
    // A subtype of a form not chosen is dropped.
    expect(input.manifestationSubtypes).toEqual(['survival_exchange']);
    expect(checkAll(complete())).toEqual([]);
  });

  it('leaves out identifying details of a child who is not identified', () => {
    const form = complete();
    const input = toInput({ ...form, child: { ...form.child, identified: 'no', ageKind: 'dateOfBirth' } });
    expect(input.child).not.toHaveProperty('givenNames');
    expect(input.child.aliases).toEqual([]);
    expect(input.child.dateOfBirth).toBeUndefined();
  });

  it('refuses a date of birth that makes the child 18 or older on the concern date, on the child step', () => {
    const form = complete();
    const adult = {
      ...form,
      child: { ...form.child, ageKind: 'dateOfBirth' as const, dateOfBirth: '1990-03-02' },
    };
    const problems = checkStep(adult, 'child').filter((p) => p.path === 'child.dateOfBirth');
    expect(problems.map((p) => p.message)).toEqual([
      'Tiaki is for children under 18: this date of birth makes them 35 on the date of the concern',
    ]);
    expect(checkAll(adult).map((p) => p.path)).toContain('child.dateOfBirth');
    // Seventeen on the day of the concern is a child; eighteen the day before it is not.
    const seventeen = {
      ...form,
      child: { ...form.child, ageKind: 'dateOfBirth' as const, dateOfBirth: '2008-01-06' },
    };
    expect(checkStep(seventeen, 'child').filter((p) => p.path === 'child.dateOfBirth')).toEqual([]);
    const eighteen = {
      ...form,
      child: { ...form.child, ageKind: 'dateOfBirth' as const, dateOfBirth: '2008-01-05' },
    };
    expect(checkStep(eighteen, 'child').map((p) => p.path)).toContain('child.dateOfBirth');
  });

  it('checks one step at a time, and every problem on the child step at once', () => {
    const blank = emptyForm({ name: 'A', email: '' });
    expect(checkStep(blank, 'about').map((p) => p.path)).toEqual(['concern.region']);
    const paths = checkStep(blank, 'child').map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['child.identified', 'child.gender', 'child.safety', 'child.estimatedAge']),
    );
    const problems = explain(translate, checkStep(blank, 'child'), blank);
    expect(problems.find((p) => p.path === 'child.age')?.message).toBe('«referrals.required.childAge»');
    expect(problems.find((p) => p.path === 'child.gender')?.message).toBe('«referrals.required.childGender»');
  });

  it('maps the server’s dotted paths to fields and steps', () => {
    const form = complete();
    const fields = [
      { path: 'lawfulBasis', message: 'Unknown lawful basis code' },
      { path: 'child.dateOfBirth', message: 'A date of birth cannot be in the future' },
      { path: 'evidenceReferences.0.reference', message: 'A reference number' },
    ];
    const problems = explain(translate, fields, form);
    expect(problems.map((p) => [p.path, stepOfPath(p.path)])).toEqual([
      ['lawfulBasis', 5],
      ['child.dateOfBirth', 1],
      ['evidenceReferences.0.reference', 4],
    ]);
    // A wrong value keeps the server's own words.
    expect(problems[1]?.message).toBe('A date of birth cannot be in the future');
    expect(stepOfPath('referrer.email')).toBe(0);
    expect(stepOfPath('indicators.3')).toBe(3);
  });

  it('opens a draft, ignoring anything of the wrong kind', () => {
    const base = emptyForm({ name: 'A', email: 'a@example.test' });
    const form = formFromContent(
      {
        referrer: { name: 'B', phone: 42 },
        child: { givenNames: 'Aroha', aliases: ['x', 3], iwi: 'not a list' },
        evidenceReferences: [
          { agency: 'police', reference: 'P1' },
          { agency: 'fbi', reference: 'X' },
        ],
        unknown: true,
      },
      base,
    );
    expect(form.referrer).toEqual({ ...base.referrer, name: 'B' });
    expect(form.child.givenNames).toBe('Aroha');
    expect(form.child.aliases).toEqual(['x']);
    expect(form.child.iwi).toEqual([]);
    expect(form.evidenceReferences).toEqual([{ agency: 'police', reference: 'P1' }]);
    expect(form).not.toHaveProperty('unknown');
  });
});
