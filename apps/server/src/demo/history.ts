import { sql } from 'kysely';
import {
  addCalendarDays,
  addWorkingDays,
  CURRENT_TAXONOMY,
  daysBetween,
  permissionsOf,
  referralInput,
  type NeedType,
  type ReferralData,
  type Role,
} from '@tiaki/domain';
import type { AppContext } from '../context.ts';
import type { Actor } from '../modules/audit/service.ts';
import type { AuthContext } from '../modules/auth/service.ts';
import { decide } from '../modules/decisions/service.ts';
import { openCase } from '../modules/triage/service.ts';
import { insertReferral } from '../modules/referrals/service.ts';
import { checkNeeds } from '../modules/services/directory.ts';
import { createServiceReferral, transitionServiceReferral } from '../modules/services/referrals.ts';

/**
 * Synthetic history for demonstrations and statistics tests: referrals over a period with the
 * patterns the statistics must show (more in school holidays and December, most in Auckland,
 * Māori and Pacific children over-represented, mostly girls aged 12–17), cases, identification
 * decisions, service referrals and unmet needs. Every name is invented and marked "(demo)".
 */
export interface HistoryOptions {
  referrals: number;
  from: string;
  to: string;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Small, seeded, good-enough random numbers: the same seed gives the same history. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Most referrals are shared under the Oranga Tamariki Act; some with consent, which allows export.
const LAWFUL_BASIS_WEIGHTS = [
  ['ota_66c_ot_services', 45],
  ['consent_young_person', 25],
  ['consent_parent_whanau', 15],
  ['privacy_ipp11_purpose', 15],
] as const;

const CONTEXT_CODES = CURRENT_TAXONOMY.contexts.map((c) => c.code);

function pickOne<T>(rand: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error('nothing to pick from');
  return value;
}

/** A Police district serving the region, most of the time (referrers do not always record one). */
function policeDistrict(rand: () => number, region: string): { policeDistrict?: string } {
  const serving = CURRENT_TAXONOMY.policeDistricts.filter((d) => d.mainRegions.includes(region));
  return serving.length > 0 && rand() < 0.9 ? { policeDistrict: pickOne(rand, serving).code } : {};
}

/**
 * The services stamp cases, service referrals and unmet needs with the real clock; history made
 * today must carry the dates it happened on, or every one would fall in the current month.
 */
async function backdate(ctx: AppContext, caseId: string, openedOn: string, helpOn: string, waitDays: number) {
  await sql`UPDATE case_record SET opened_at = ${openedOn}::date WHERE id = ${caseId}`.execute(ctx.db);
  await sql`UPDATE unmet_need SET recorded_at = ${helpOn}::date WHERE case_id = ${caseId}`.execute(ctx.db);
  await sql`UPDATE service_referral SET created_at = ${helpOn}::date WHERE case_id = ${caseId}`.execute(
    ctx.db,
  );
  await sql`UPDATE service_referral_event e SET occurred_at = ${helpOn}::date + ${waitDays}::int
    FROM service_referral s WHERE s.id = e.service_referral_id AND s.case_id = ${caseId}`.execute(ctx.db);
}

export function pick<T>(rand: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r <= 0) return value;
  }
  const last = weighted.at(-1);
  if (!last) throw new Error('nothing to pick from');
  return last[0];
}

// Roughly the share of the child population by region, Auckland largest.
const REGION_WEIGHTS = [
  ['02', 33],
  ['13', 13],
  ['09', 10],
  ['03', 10],
  ['04', 7],
  ['08', 5],
  ['06', 4],
  ['01', 4],
  ['12', 1],
  ['07', 3],
  ['14', 5],
  ['15', 2],
  ['05', 1],
  ['16', 1],
  ['17', 1],
  ['18', 1],
] as const;
// Over-representation as the NGOs describe it: Māori and Pacific children far above population share.
const ETHNICITY_WEIGHTS = [
  [['21'], 40],
  [['11'], 28],
  [['31'], 10],
  [['21', '11'], 10],
  [['21', '31'], 5],
  [['42'], 4],
  [['51'], 3],
] as const;
const GENDER_WEIGHTS = [
  ['girl', 75],
  ['boy', 22],
  ['transgender_girl', 3],
] as const;
const MANIFESTATION_WEIGHTS = [
  [['exploitation_in_prostitution'], 38],
  [['online_sexual_exploitation'], 30],
  [['online_sexual_exploitation', 'child_sexual_abuse_material'], 12],
  [['child_sexual_abuse_material'], 8],
  [['trafficking_sexual_purposes', 'exploitation_in_prostitution'], 8],
  [['trafficking_sexual_purposes'], 4],
] as const;
const REFERRER_WEIGHTS = [
  ['police', 30],
  ['ot', 25],
  ['health', 15],
  ['school', 15],
  ['shelter', 10],
  ['kaupapa', 5],
] as const;
const NEEDS: readonly (readonly [NeedType, number])[] = [
  ['emergency_accommodation', 25],
  ['counselling', 25],
  ['kaupapa_maori', 15],
  ['sexual_harm_medical', 15],
  ['whanau_support', 10],
  ['education_support', 10],
];
const GIVEN = [
  'Aroha',
  'Mere',
  'Kaia',
  'Ana',
  'Lani',
  'Sina',
  'Jade',
  'Ruby',
  'Maia',
  'Tia',
  'Hemi',
  'Nikau',
  'Tama',
];
const FAMILY = [
  'Ngata',
  'Tuhoe',
  'Faleolo',
  'Taufa',
  'Smith',
  'Walker',
  'Brown',
  'Paewai',
  'Kereama',
  'Tautahi',
];

/** More referrals in school holidays (January, April, July, late September–October) and December. */
function seasonalWeight(date: string): number {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (month === 1 || month === 12) return 1.35;
  if ((month === 4 && day >= 10) || (month === 7 && day <= 20) || (month === 10 && day <= 12)) return 1.3;
  return 1;
}

/**
 * One synthetic referral received on `received`, drawn with the patterns above; `n` makes the
 * invented family name unique. Also used by the national-scale benchmark data (bench/data).
 */
export function syntheticReferral(rand: () => number, received: string, n: number): ReferralData {
  const region = pick(rand, REGION_WEIGHTS);
  const birthYear =
    Number(received.slice(0, 4)) -
    pick(rand, [
      [16, 30],
      [15, 25],
      [14, 20],
      [13, 12],
      [17, 8],
      [11, 5],
    ]);
  return referralInput.parse({
    referrer: { name: 'Demo Referrer', role: 'Demo practitioner', email: 'referrer@demo.tiaki.test' },
    concern: { date: received, region, ...policeDistrict(rand, region) },
    child: {
      identified: true,
      givenNames: GIVEN[Math.floor(rand() * GIVEN.length)],
      familyName: `${FAMILY[Math.floor(rand() * FAMILY.length)] ?? 'Demo'} (demo ${n})`,
      aliases: [],
      dateOfBirth: `${birthYear}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
      gender: pick(rand, GENDER_WEIGHTS),
      ethnicities: [...pick<readonly string[]>(rand, ETHNICITY_WEIGHTS)],
      iwi: [],
      languages: ['English'],
      safety: 'unknown',
    },
    manifestations: [...pick<readonly string[]>(rand, MANIFESTATION_WEIGHTS)],
    contexts: rand() < 0.7 ? [pickOne(rand, CONTEXT_CODES)] : [],
    indicators: [],
    narrative: 'Synthetic demo narrative: no real person is described.',
    immediateRisk: rand() < 0.1,
    evidenceReferences: [],
    childAware: 'unknown',
    lawfulBasis: pick(rand, LAWFUL_BASIS_WEIGHTS),
  });
}

/** Day weights for a period: seasonal peaks and a gentle upward trend as agencies learn to tag. */
export function historyDayWeights(from: string, to: string): (readonly [string, number])[] {
  const span = daysBetween(from, to);
  return Array.from({ length: span + 1 }, (_, i) => {
    const day = addCalendarDays(from, i);
    return [day, seasonalWeight(day) * (1 + (0.25 * i) / Math.max(span, 1))] as const;
  });
}

async function authFor(ctx: AppContext, email: string): Promise<AuthContext> {
  const user = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'o.id as org_id', 'o.name as org_name', 'o.kind as org_kind'])
    .where('u.email', '=', email)
    .executeTakeFirstOrThrow();
  const roles = (
    await ctx.db.selectFrom('role_assignment').select('role').where('user_id', '=', user.id).execute()
  ).map((r) => r.role as Role);
  const far = new Date(Date.now() + 3_600_000);
  return {
    sessionId: 'demo-history',
    stage: 'active',
    csrfToken: '',
    userId: user.id,
    email,
    displayName: user.display_name,
    organisation: { id: user.org_id, name: user.org_name, kind: user.org_kind },
    roles,
    permissions: permissionsOf(roles),
    mfaEnabled: true,
    isDemo: true,
    idleExpiresAt: far,
    absoluteExpiresAt: far,
  };
}

export async function seedDemoHistory(
  ctx: AppContext,
  actor: Actor,
  organisationIds: ReadonlyMap<string, { id: string }>,
  options: HistoryOptions,
): Promise<{ referrals: number; cases: number; decisions: number; serviceReferrals: number }> {
  const rand = random(options.seed ?? 2026);
  const at = (date: string): AppContext => ({ ...ctx, today: () => date });
  const triage = await authFor(ctx, 'triage@demo.tiaki.test');
  const decider = await authFor(ctx, 'decision-maker@demo.tiaki.test');
  const caseworker = await authFor(ctx, 'caseworker@demo.tiaki.test');
  const provider = await authFor(ctx, 'service-provider@demo.tiaki.test');
  const dayWeights = historyDayWeights(options.from, options.to);
  const counts = { referrals: 0, cases: 0, decisions: 0, serviceReferrals: 0 };

  for (let n = 0; n < options.referrals; n++) {
    const received = pick(rand, dayWeights);
    const organisation = organisationIds.get(pick(rand, REFERRER_WEIGHTS));
    if (!organisation) throw new Error('Demo organisations are missing');
    const data = syntheticReferral(rand, received, n);
    const region = data.concern.region;
    const ack = await ctx.db
      .transaction()
      .execute((trx) =>
        insertReferral(
          at(received),
          trx,
          actor,
          { organisationId: organisation.id, userId: null, apiKeyId: null },
          data,
        ),
      );
    counts.referrals += 1;
    options.onProgress?.(n + 1, options.referrals);

    const triagedOn = addWorkingDays(received, 1, region);
    if (rand() > 0.75 || triagedOn > options.to) continue;
    const opened = await openCase(at(triagedOn), triage, actor, ack.id, 1, caseworker.userId);
    counts.cases += 1;

    // Reasonable grounds: most on time, some late; most positive.
    const rg = await ctx.db
      .selectFrom('decision')
      .select(['id', 'due_on', 'version'])
      .where('case_id', '=', opened.caseId)
      .executeTakeFirstOrThrow();
    const decidedOn = addWorkingDays(received, 2 + Math.floor(rand() * 6), region);
    if (decidedOn > options.to || rand() < 0.1) {
      await backdate(ctx, opened.caseId, triagedOn, triagedOn, 0);
      continue;
    }
    const positive = rand() < 0.8;
    await decide(at(decidedOn), decider, actor, rg.id, {
      outcome: positive ? 'positive' : 'negative',
      rationale: 'Synthetic demo rationale.',
      evidence: 'Demo evidence reference.',
      version: rg.version,
    });
    counts.decisions += 1;

    if (positive) {
      const cg = await ctx.db
        .selectFrom('decision')
        .select(['id', 'earliest_on', 'version'])
        .where('case_id', '=', opened.caseId)
        .where('kind', '=', 'conclusive_grounds')
        .executeTakeFirst();
      const cgOn = cg?.earliest_on ? addWorkingDays(cg.earliest_on, Math.floor(rand() * 12), region) : null;
      if (cg && cgOn && cgOn <= options.to && rand() < 0.7) {
        await decide(at(cgOn), decider, actor, cg.id, {
          outcome: rand() < 0.9 ? 'positive' : 'negative',
          rationale: 'Synthetic demo rationale.',
          evidence: 'Demo evidence reference.',
          version: cg.version,
        });
        counts.decisions += 1;
      }
    }

    // Help: find services for a need; refer when there is one, else the unmet need is recorded.
    const need = pick(rand, NEEDS);
    const { services } = await checkNeeds(at(decidedOn), caseworker, actor, opened.caseId, need);
    const service = services.find((s) => s.provider.id === provider.organisation.id);
    if (!service) {
      await backdate(ctx, opened.caseId, triagedOn, decidedOn, 0);
      continue;
    }
    const sent = await createServiceReferral(at(decidedOn), caseworker, actor, opened.caseId, {
      serviceId: service.id,
      needType: need,
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_ot_services',
      purpose: 'Demo: support for the child',
      childConsulted: 'yes',
      needsSummary: 'Demo needs summary.',
      send: true,
    });
    counts.serviceReferrals += 1;
    const answer = rand();
    await transitionServiceReferral(at(decidedOn), provider, actor, sent.id, {
      to: answer < 0.75 ? 'accepted' : 'declined',
      ...(answer < 0.75 ? {} : { declineReason: 'no_capacity' as const }),
      version: sent.version,
    });
    await backdate(ctx, opened.caseId, triagedOn, decidedOn, Math.floor(rand() * 8));
  }
  return counts;
}
