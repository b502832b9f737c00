import { CURRENT_TAXONOMY, type ReferralInput } from '@tiaki/domain';

const first = (list: readonly { code: string }[], index = 0): string => {
  const entry = list[index] ?? list[0];
  if (!entry) throw new Error('taxonomy list is empty');
  return entry.code;
};

/** A valid referral built from whatever codes the current taxonomy has. */
export function validReferral(
  overrides: Partial<ReferralInput> = {},
  child: Partial<ReferralInput['child']> = {},
): ReferralInput {
  const t = CURRENT_TAXONOMY;
  return {
    referrer: {
      name: 'Constable Test',
      role: 'Youth Aid officer',
      phone: '+64 9 555 0101',
      email: 'referrer@example.test',
    },
    concern: { date: '2026-10-05', region: '02' },
    child: {
      identified: true,
      givenNames: 'Tāne',
      familyName: 'Kōrero-Testchild',
      aliases: ['T-Bone'],
      dateOfBirth: '2011-03-14',
      gender: first(t.genders),
      ethnicities: [
        first(
          t.ethnicities.filter((e) => e.level === 1),
          1,
        ),
      ],
      iwi: [],
      languages: ['English', 'te reo Māori'],
      currentLocation: 'Staying with an aunt in Ōtāhuhu',
      safety: 'unknown',
      ...child,
    },
    manifestations: [first(t.manifestations)],
    contexts: [first(t.contexts)],
    indicators: t.indicators
      .filter((i) => i.strength === 'supporting')
      .slice(0, 1)
      .map((i) => i.code),
    narrative: 'Synthetic narrative: Tāne was seen getting into cars outside the dairy late at night.',
    immediateRisk: false,
    evidenceReferences: [{ agency: 'police', reference: 'P0123456789' }],
    childViews: 'Does not want to go back to the placement.',
    childAware: 'yes',
    lawfulBasis: first(t.lawfulBases),
    ...overrides,
  };
}
