import { referralInput, type ReferralInput } from '@tiaki/domain';
import type { AppContext } from '../context.ts';
import type { Actor } from '../modules/audit/service.ts';
import { insertReferral } from '../modules/referrals/service.ts';

/**
 * A handful of synthetic referrals waiting in the triage queue, so a demo shows the workflow at
 * once. Names are invented and marked "(demo)"; two of the children are the same child reported
 * by two agencies under different spellings, so "search before create" has something to find.
 */
const DEMO_REFERRALS: { org: string; input: ReferralInput }[] = [
  demo(
    'police',
    { givenNames: 'Aroha', familyName: 'Demo-Ngata', dateOfBirth: '2011-04-09', gender: 'girl' },
    {
      region: '02',
      manifestations: ['exploitation_in_prostitution'],
      contexts: ['gang'],
      urgent: true,
    },
  ),
  demo(
    'school',
    { givenNames: 'Aroha', familyName: 'Demo Ngāta', dateOfBirth: '2011-04-09', gender: 'girl' },
    {
      region: '02',
      manifestations: ['online_sexual_exploitation'],
      contexts: ['intimate_partner'],
    },
  ),
  demo(
    'health',
    { givenNames: 'Sione', familyName: 'Demo-Taufa', dateOfBirth: '2010-11-21', gender: 'boy' },
    {
      region: '09',
      manifestations: ['online_sexual_exploitation'],
      contexts: ['family_violence'],
    },
  ),
  demo(
    'ot',
    { givenNames: 'Mere', familyName: 'Demo-Walker', dateOfBirth: '2012-01-30', gender: 'girl' },
    {
      region: '03',
      manifestations: ['trafficking_sexual_purposes'],
      contexts: ['family_member_involved'],
    },
  ),
];

function demo(
  org: string,
  child: { givenNames: string; familyName: string; dateOfBirth: string; gender: string },
  facts: { region: string; manifestations: string[]; contexts: string[]; urgent?: boolean },
): { org: string; input: ReferralInput } {
  return {
    org,
    input: {
      referrer: { name: 'Demo Referrer', role: 'Demo practitioner', email: 'referrer@demo.tiaki.test' },
      concern: { date: '2026-01-15', region: facts.region },
      child: {
        identified: true,
        ...child,
        familyName: `${child.familyName} (demo)`,
        aliases: [],
        ethnicities: [],
        iwi: [],
        languages: ['English'],
        safety: facts.urgent ? 'unsafe' : 'unknown',
      },
      manifestations: facts.manifestations,
      contexts: facts.contexts,
      indicators: [],
      narrative: 'Synthetic demo narrative: no real person is described.',
      immediateRisk: facts.urgent ?? false,
      evidenceReferences: [],
      childAware: 'unknown',
      lawfulBasis: 'ota_66c_ot_services',
    },
  };
}

export async function seedDemoReferrals(
  ctx: AppContext,
  actor: Actor,
  organisationIds: ReadonlyMap<string, { id: string }>,
  /** The demo frontline officer: the referrals from their organisation are theirs. */
  frontline?: { userId: string; organisation: { id: string } },
): Promise<void> {
  for (const { org, input } of DEMO_REFERRALS) {
    const organisation = organisationIds.get(org);
    if (!organisation) throw new Error(`Demo organisation ${org} is missing`);
    const data = referralInput.parse(input);
    await ctx.db.transaction().execute((trx) =>
      insertReferral(
        ctx,
        trx,
        actor,
        {
          organisationId: organisation.id,
          userId: frontline?.organisation.id === organisation.id ? frontline.userId : null,
          apiKeyId: null,
        },
        data,
      ),
    );
  }
}
