import {
  addCalendarDays,
  type NeedType,
  type OrganisationKind,
  type Role,
  type ServiceCapacity,
} from '@tiaki/domain';
import { recordAudit } from '../modules/audit/service.ts';
import { seedDemoReferrals } from './referrals.ts';
import { seedDemoReviews } from './reviews.ts';
import { authFor, seedDemoHistory } from './history.ts';
import { createDraft } from '../modules/referrals/drafts.ts';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { generateOneTimePassword } from '../security/passwords.ts';
import type { Actor } from '../modules/audit/service.ts';
import * as organisations from '../modules/organisations/service.ts';
import * as users from '../modules/users/service.ts';

/** Synthetic organisations: every name says "(demo)" so nobody mistakes them for real agencies. */
const DEMO_ORGANISATIONS: { key: string; kind: OrganisationKind; name: string; regions: string[] }[] = [
  { key: 'lead', kind: 'lead_agency', name: 'National CSEC Referral Centre (demo)', regions: [] },
  { key: 'police', kind: 'police', name: 'NZ Police, Counties Manukau (demo)', regions: ['02'] },
  { key: 'ot', kind: 'oranga_tamariki', name: 'Oranga Tamariki, Manukau site (demo)', regions: ['02'] },
  { key: 'health', kind: 'health', name: 'Harbourside Youth Health Clinic (demo)', regions: ['02', '01'] },
  { key: 'school', kind: 'school', name: 'Kōwhai Street College (demo)', regions: ['02'] },
  { key: 'shelter', kind: 'ngo', name: 'Safe Harbour Youth Shelter (demo)', regions: ['02', '03'] },
  { key: 'counselling', kind: 'ngo', name: 'Pathways Counselling Trust (demo)', regions: ['09', '08'] },
  {
    key: 'kaupapa',
    kind: 'kaupapa_maori',
    name: 'Te Whare Tiaki Rangatahi (demo)',
    regions: ['02', '03', '04'],
  },
  { key: 'dia', kind: 'dia', name: 'Internal Affairs, Digital Child Exploitation Team (demo)', regions: [] },
];

/** Synthetic directory entries, so that a demo case can be referred to services straight away. */
const DEMO_SERVICES: {
  org: string;
  name: string;
  needTypes: NeedType[];
  regions: string[];
  capacity: ServiceCapacity;
}[] = [
  {
    org: 'shelter',
    name: 'Safe Harbour emergency beds for rangatahi (demo)',
    needTypes: ['emergency_accommodation', 'youth_housing', 'crisis_response'],
    regions: ['02', '03'],
    capacity: 'accepting',
  },
  {
    org: 'counselling',
    name: 'Pathways trauma counselling (demo)',
    needTypes: ['counselling', 'mental_health'],
    regions: ['09', '08'],
    capacity: 'waitlist',
  },
  {
    org: 'kaupapa',
    name: 'Te Whare Tiaki whānau ora support (demo)',
    needTypes: ['kaupapa_maori', 'whanau_support', 'cultural_support'],
    regions: ['02', '03', '04'],
    capacity: 'accepting',
  },
  {
    org: 'health',
    name: 'Harbourside sexual-harm medical clinic (demo)',
    needTypes: ['sexual_harm_medical', 'health', 'acc_sensitive_claims'],
    regions: ['02', '01'],
    capacity: 'full',
  },
];

const DEMO_USERS: { role: Role; org: string; name: string }[] = [
  { role: 'frontline', org: 'police', name: 'Demo Frontline Officer' },
  { role: 'triage', org: 'lead', name: 'Demo Triage Officer' },
  { role: 'decision_maker', org: 'lead', name: 'Demo Decision Maker' },
  { role: 'caseworker', org: 'lead', name: 'Demo Caseworker' },
  { role: 'supervisor', org: 'lead', name: 'Demo Supervisor' },
  { role: 'service_provider', org: 'shelter', name: 'Demo Service Provider' },
  { role: 'analyst', org: 'lead', name: 'Demo Analyst' },
  { role: 'data_steward', org: 'lead', name: 'Demo Data Steward' },
  { role: 'maori_data_governance', org: 'kaupapa', name: 'Demo Māori Data Governance Member' },
  { role: 'privacy_officer', org: 'lead', name: 'Demo Privacy Officer' },
  { role: 'auditor', org: 'lead', name: 'Demo Auditor' },
  { role: 'administrator', org: 'lead', name: 'Demo Administrator' },
];

export interface DemoCredential {
  role: Role;
  email: string;
  password: string;
  organisation: string;
}

const SEED_ACTOR: Actor = { userId: null, organisationId: null, requestId: 'demo-seed' };

/** Seeds demo organisations and one user per role, once: only into a database with no organisations. */
export async function seedDemoData(
  ctx: AppContext,
  options: { historyReferrals?: number } = {},
): Promise<DemoCredential[] | null> {
  const existing = await ctx.db.selectFrom('organisation').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const orgIds = new Map<string, { id: string; name: string }>();
  for (const org of DEMO_ORGANISATIONS) {
    const created = await organisations.create(
      ctx,
      SEED_ACTOR,
      { kind: org.kind, name: org.name, regionsServed: org.regions },
      { isDemo: true },
    );
    orgIds.set(org.key, { id: created.id, name: created.name });
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (const service of DEMO_SERVICES) {
      const provider = orgIds.get(service.org);
      if (!provider) throw new Error(`Demo organisation ${service.org} is missing`);
      const created = await trx
        .insertInto('service')
        .values({
          id: randomUUID(),
          provider_organisation_id: provider.id,
          name: service.name,
          description: 'Synthetic demo service.',
          need_types: service.needTypes,
          regions: service.regions,
          min_age: 10,
          max_age: 17,
          capacity: service.capacity,
          contact: '0800 000 000 (demo)',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, SEED_ACTOR, {
        action: 'service.created',
        subjectType: 'service',
        subjectId: created.id,
      });
    }
  });
  const credentials: DemoCredential[] = [];
  for (const demo of DEMO_USERS) {
    const org = orgIds.get(demo.org);
    if (!org) throw new Error(`Demo organisation ${demo.org} is missing`);
    const email = `${demo.role.replaceAll('_', '-')}@demo.tiaki.test`;
    const password = generateOneTimePassword();
    await users.create(
      ctx,
      SEED_ACTOR,
      { email, displayName: demo.name, organisationId: org.id, roles: [demo.role] },
      { isDemo: true, mustChangePassword: false, password },
    );
    credentials.push({ role: demo.role, email, password, organisation: org.name });
  }
  // Triage's decisions on suggested matches, for the data steward's matching model screen.
  await seedDemoReviews(ctx, (await authFor(ctx, 'triage@demo.tiaki.test')).userId);
  const frontline = await authFor(ctx, 'frontline@demo.tiaki.test');
  await seedDemoReferrals(ctx, SEED_ACTOR, orgIds, frontline);
  // A concern the frontline officer started and has not sent yet.
  await createDraft(ctx, frontline, {
    step: 1,
    content: {
      concern: { date: addCalendarDays(ctx.today(), -1), region: '02', policeDistrict: '' },
      child: { identified: 'yes', givenNames: 'Tia', familyName: 'Demo-Paewai (demo)' },
    },
  });
  const historyReferrals = options.historyReferrals ?? ctx.config.demoHistoryReferrals;
  if (historyReferrals > 0) await seedDemoHistoryFor(ctx, historyReferrals);
  return credentials;
}

/**
 * Two years of synthetic history (DEMO_HISTORY_REFERRALS) ending a week before today, made by
 * the demo organisations' people through the same services as real work. `serve` runs it after
 * the server is listening, so the demo opens at once and the history fills in behind it.
 */
export async function seedDemoHistoryFor(
  ctx: AppContext,
  referrals: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const found = await ctx.db
    .selectFrom('organisation')
    .select(['id', 'name'])
    .where(
      'name',
      'in',
      DEMO_ORGANISATIONS.map((org) => org.name),
    )
    .execute();
  const orgIds = new Map(
    DEMO_ORGANISATIONS.flatMap((org) => {
      const row = found.find((f) => f.name === org.name);
      return row ? [[org.key, row] as const] : [];
    }),
  );
  const to = addCalendarDays(ctx.today(), -7);
  await seedDemoHistory(ctx, SEED_ACTOR, orgIds, {
    referrals,
    from: addCalendarDays(to, -730),
    to,
    ...(onProgress ? { onProgress } : {}),
  });
}

export function formatCredentials(credentials: DemoCredential[]): string {
  const width = Math.max(...credentials.map((c) => c.email.length));
  return [
    'Demo accounts (synthetic data only; shown once: keep them, or reset with `npx tiaki user reset-password --email ...`):',
    ...credentials.map((c) => `  ${c.email.padEnd(width)}  ${c.password}  ${c.role}`),
  ].join('\n');
}
