import { sql } from 'kysely';
import {
  addCalendarDays,
  addWorkingDays,
  CURRENT_TAXONOMY,
  daysBetween,
  permissionsOf,
  referralInput,
  type ClosureReason,
  type NeedType,
  type ReferralData,
  type Role,
  type ScreenOutReason,
} from '@tiaki/domain';
import type { AppContext } from '../context.ts';
import type { Actor } from '../modules/audit/service.ts';
import type { AuthContext } from '../modules/auth/service.ts';
import { closeCase } from '../modules/case-team/service.ts';
import { decide } from '../modules/decisions/service.ts';
import { attachReferral, openCase, screenOut } from '../modules/triage/service.ts';
import { insertReferral } from '../modules/referrals/service.ts';
import { checkNeeds } from '../modules/services/directory.ts';
import { createServiceReferral, transitionServiceReferral } from '../modules/services/referrals.ts';
import { recordUnmetNeedExplicitly } from '../modules/services/unmet-needs.ts';
import { seedDemoCharges } from './charges.ts';

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
// Iwi affiliations recorded for many Māori children (Stats NZ iwi codes), the largest iwi most often.
const IWI_WEIGHTS = [
  ['0104', 30], // Ngāpuhi
  ['0601', 12], // Ngāti Porou
  ['1109', 8], // Ngāi Tahu / Kāi Tahu
  ['0304', 8], // Waikato
  ['0302', 6], // Ngāti Maniapoto
  ['0703', 6], // Ngāti Kahungunu ki Heretaunga
  ['0507', 6], // Tūhoe
  ['0411', 6], // Ngāti Tūwharetoa (ki Taupō)
  ['0106', 4], // Te Rarawa
  ['0114', 4], // Ngāti Whātua o Ōrākei
  ['0504', 4], // Ngāti Awa
] as const;
/** Share of Māori children whose iwi the referrer records. */
export const IWI_RECORDED_SHARE = 0.7;

/** One or two iwi for a Māori child, most of the time; none for other children. */
function iwiOf(rand: () => number, ethnicities: readonly string[]): string[] {
  if (!ethnicities.includes('21') || rand() >= IWI_RECORDED_SHARE) return [];
  const first = pick(rand, IWI_WEIGHTS);
  const second = rand() < 0.25 ? pick(rand, IWI_WEIGHTS) : first;
  return second === first ? [first] : [first, second];
}

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
  const ethnicities = [...pick<readonly string[]>(rand, ETHNICITY_WEIGHTS)];
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
      ethnicities,
      iwi: iwiOf(rand, ethnicities),
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

/** A demo person's session, for doing their work through the services. */
export async function authFor(ctx: AppContext, email: string): Promise<AuthContext> {
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

/** A child with an open case, whom another agency may refer again. */
interface KnownChild {
  caseId: string;
  child: ReferralData['child'];
  referrerKey: string;
  openedOn: string;
  region: string;
}

/** One step of a case's history: what the services stamped from `since` happened on `on`. */
interface Step {
  since: Date;
  on: string;
}

/** Nine in the morning in New Zealand on a day, plus some minutes: when the work was done. */
function nzWorkingTime(day: string, minutes: number): Date {
  // New Zealand is 12 or 13 hours ahead of UTC: 21:00 UTC the day before is 9 or 10 in the morning.
  return new Date(Date.parse(`${addCalendarDays(day, -1)}T21:00:00Z`) + minutes * 60_000);
}

/**
 * The services stamp what they record with the real clock; history made today must carry the
 * days it happened on. Everything stamped since a step began is moved to that step's day (one
 * statement per table for the whole case, newest step first).
 */
async function backdateSteps(
  ctx: AppContext,
  caseId: string,
  steps: readonly Step[],
  helpOn: string | null,
  waitDays: number,
) {
  const ordered = [...steps].sort((a, b) => b.since.getTime() - a.since.getTime());
  const stamp = (column: string) =>
    sql`CASE ${sql.join(
      ordered.map(
        (s, i) => sql`WHEN ${sql.ref(column)} >= ${s.since} THEN ${nzWorkingTime(s.on, 30 + 7 * i)}`,
      ),
      sql` `,
    )} ELSE ${sql.ref(column)} END`;
  const first = ordered.at(-1)?.since ?? new Date();
  const helpAt = helpOn ? nzWorkingTime(helpOn, 90) : null;
  const answeredAt = helpOn ? nzWorkingTime(addCalendarDays(helpOn, waitDays), 120) : null;
  // One statement for the whole case: each table's rows stamped since the first step.
  await sql`WITH
    events AS (UPDATE case_event SET occurred_at = ${stamp('occurred_at')}
      WHERE case_id = ${caseId} AND occurred_at >= ${first}),
    decisions AS (UPDATE decision SET decided_at = ${stamp('decided_at')}
      WHERE case_id = ${caseId} AND decided_at >= ${first}),
    referrals AS (UPDATE referral SET triaged_at = ${stamp('triaged_at')}
      WHERE case_id = ${caseId} AND triaged_at >= ${first}),
    members AS (UPDATE case_member SET added_at = ${stamp('added_at')}
      WHERE case_id = ${caseId} AND added_at >= ${first}),
    organisations AS (UPDATE case_organisation SET added_at = ${stamp('added_at')}
      WHERE case_id = ${caseId} AND added_at >= ${first}),
    needs AS (UPDATE unmet_need SET recorded_at = coalesce(${helpAt}, recorded_at)
      WHERE case_id = ${caseId} AND recorded_at >= ${first}),
    sent AS (UPDATE service_referral SET created_at = coalesce(${helpAt}, created_at)
      WHERE case_id = ${caseId} AND created_at >= ${first}),
    answers AS (UPDATE service_referral_event e SET occurred_at = coalesce(${answeredAt}, e.occurred_at)
      FROM service_referral s
      WHERE s.id = e.service_referral_id AND s.case_id = ${caseId} AND e.occurred_at >= ${first}),
    told AS (UPDATE notification SET created_at = ${stamp('created_at')}
      WHERE created_at >= ${first} AND (
        (subject_type = 'case' AND subject_id = ${caseId})
        OR (subject_type = 'referral' AND subject_id IN (SELECT id FROM referral WHERE case_id = ${caseId}))
        OR (subject_type = 'decision' AND subject_id IN (SELECT id FROM decision WHERE case_id = ${caseId})))),
    toldProvider AS (UPDATE notification n SET created_at = coalesce(${helpAt}, n.created_at)
      FROM service_referral s
      WHERE n.subject_type = 'service_referral' AND n.subject_id = s.id AND s.case_id = ${caseId}
        AND n.created_at >= ${first})
    UPDATE case_record SET opened_at = ${stamp('opened_at')}, closed_at = ${stamp('closed_at')},
      updated_at = ${stamp('updated_at')} WHERE id = ${caseId}`.execute(ctx.db);
}

const SCREEN_OUT_WEIGHTS: readonly (readonly [ScreenOutReason, number])[] = [
  ['not_exploitation_concern', 45],
  ['referred_elsewhere', 25],
  ['insufficient_information', 20],
  ['duplicate_of_existing_referral', 10],
];
const CLOSURE_WEIGHTS: readonly (readonly [ClosureReason, number])[] = [
  ['needs_met', 55],
  ['transferred_to_other_agency', 15],
  ['turned_18_referred_to_adult_services', 10],
  ['child_and_whanau_declined_further_support', 12],
  ['moved_out_of_new_zealand', 3],
  ['other', 5],
];

/** Shares that make the demo look like a year of real work; tests hold the history to them. */
export const HISTORY_SHARES = {
  /** Referrals about a child who already has an open case, from another agency, added to it. */
  repeat: 0.12,
  /** Of the rest, referrals that do not become a case: screened out (or still waiting, if recent). */
  noCase: 0.25,
  /** Identification decisions made within their working days. */
  onTime: 0.9,
  /** Cases closed once their decisions are made and the help has had time. */
  closed: 0.7,
} as const;

/** Reminders are read within hours, as people work; only those of the last weeks are still unread. */
export const REMINDERS_UNREAD_DAYS = 21;
/** Service referrals the demo provider has still to answer at the end of the history. */
export const PROVIDER_WAITING = 3;

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
  const frontline = await authFor(ctx, 'frontline@demo.tiaki.test');
  const clock = ctx.config.workflow;
  const dayWeights = historyDayWeights(options.from, options.to);
  const counts = { referrals: 0, cases: 0, decisions: 0, serviceReferrals: 0 };
  // In the order they arrived, so a child can be referred again after their case is open.
  const days = Array.from({ length: options.referrals }, () => pick(rand, dayWeights)).sort();
  const known: KnownChild[] = [];
  /** When a decision is made: mostly within its working days, sometimes a few days late. */
  const decisionDay = (from: string, workingDays: number, region: string) =>
    addWorkingDays(
      from,
      rand() < HISTORY_SHARES.onTime
        ? 1 + Math.floor(rand() * workingDays)
        : workingDays + 1 + Math.floor(rand() * 3),
      region,
    );

  for (const [n, received] of days.entries()) {
    let referrerKey: string = pick(rand, REFERRER_WEIGHTS);
    let data = syntheticReferral(rand, received, n);
    // Another agency refers a child whose case is open: the same child, linked into that case.
    const again =
      rand() < HISTORY_SHARES.repeat
        ? known.find((k) => k.openedOn < received && daysBetween(k.openedOn, received) < 120)
        : undefined;
    let repeat: KnownChild | undefined;
    if (again) {
      const same = referralInput.safeParse({
        ...data,
        child: again.child,
        concern: { ...data.concern, region: again.region },
      });
      if (same.success) {
        data = same.data;
        repeat = again;
        referrerKey =
          REFERRER_WEIGHTS.map(([key]) => key).find((key) => key !== again.referrerKey) ?? referrerKey;
      }
    }
    // The concern is usually reported the day it is seen, sometimes a few days later.
    const concernOn = addCalendarDays(
      received,
      -pick(rand, [
        [0, 60],
        [1, 25],
        [2, 10],
        [4, 5],
      ]),
    );
    data = { ...data, concern: { ...data.concern, date: concernOn } };
    const organisation = organisationIds.get(referrerKey);
    if (!organisation) throw new Error('Demo organisations are missing');
    const region = data.concern.region;
    const ack = await ctx.db.transaction().execute(async (trx) => {
      const made = await insertReferral(
        at(received),
        trx,
        actor,
        {
          organisationId: organisation.id,
          // The demo frontline officer sent some of their organisation's referrals themselves.
          userId: organisation.id === frontline.organisation.id && n % 3 === 0 ? frontline.userId : null,
          apiKeyId: null,
        },
        data,
      );
      // Sent on the day it was received, during the working day (never before the concern).
      await sql`UPDATE referral SET submitted_at = ${nzWorkingTime(received, Math.floor(rand() * 480))}
        WHERE id = ${made.id}`.execute(trx);
      return made;
    });
    counts.referrals += 1;
    options.onProgress?.(n + 1, options.referrals);

    const triagedOn = addWorkingDays(received, 1, region);
    // Recent referrals are still in the triage queue.
    if (triagedOn > options.to) continue;
    const triaged: Step = { since: new Date(), on: triagedOn };
    if (repeat) {
      await attachReferral(at(triagedOn), triage, actor, ack.id, repeat.caseId, 1);
      await backdateSteps(ctx, repeat.caseId, [triaged], null, 0);
      continue;
    }
    if (rand() < HISTORY_SHARES.noCase) {
      await screenOut(at(triagedOn), triage, actor, ack.id, pick(rand, SCREEN_OUT_WEIGHTS), 1);
      await sql`UPDATE referral SET triaged_at = ${nzWorkingTime(triagedOn, 60)} WHERE id = ${ack.id}`.execute(
        ctx.db,
      );
      continue;
    }
    const opened = await openCase(at(triagedOn), triage, actor, ack.id, 1, caseworker.userId);
    counts.cases += 1;
    const steps: Step[] = [triaged];
    const child: KnownChild = {
      caseId: opened.caseId,
      child: data.child,
      referrerKey,
      openedOn: triagedOn,
      region,
    };
    known.unshift(child);
    const result = await workTheCase(opened.caseId, received, region, steps);
    await backdateSteps(ctx, opened.caseId, steps, result.helpOn, Math.floor(rand() * 8));
    if (result.closed) known.splice(known.indexOf(child), 1);
  }
  await leaveWorkForProvider();
  // Reminders carry the day of what they remind of; all but the last weeks' have been read.
  await sql`UPDATE notification SET read_at = created_at + interval '2 hours'
    WHERE read_at IS NULL
      AND created_at < ${nzWorkingTime(addCalendarDays(options.to, -REMINDERS_UNREAD_DAYS), 0)}`.execute(
    ctx.db,
  );
  await seedDemoCharges(ctx, options.seed ?? 2026, options.to);
  return counts;

  /**
   * The provider's inbox at the end of the history: the last weeks' referrals are still to be
   * answered, and a few more sent this week to open cases the provider serves, so there is
   * something to review and accept.
   */
  async function leaveWorkForProvider(): Promise<void> {
    const waiting = await ctx.db
      .selectFrom('service_referral')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('provider_organisation_id', '=', provider.organisation.id)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    let missing = PROVIDER_WAITING - Number(waiting.n);
    if (missing <= 0) return;
    const open = await ctx.db
      .selectFrom('case_record as k')
      .select('k.id')
      .where('k.status', '=', 'open')
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('service_referral as s').select('s.id').whereRef('s.case_id', '=', 'k.id')),
        ),
      )
      .orderBy('k.opened_at', 'desc')
      .limit(50)
      .execute();
    const today = ctx.today();
    for (const { id } of open) {
      if (missing <= 0) break;
      const { services } = await checkNeeds(at(today), caseworker, id, 'emergency_accommodation');
      const service = services.find((s) => s.provider.id === provider.organisation.id);
      if (!service) continue;
      await createServiceReferral(at(today), caseworker, actor, id, {
        serviceId: service.id,
        needType: 'emergency_accommodation',
        sharedFields: ['age_band', 'needs_summary'],
        lawfulBasis: 'ota_66c_ot_services',
        purpose: 'Demo: a safe place to stay',
        childConsulted: 'yes',
        needsSummary: 'Demo needs summary: somewhere safe to stay this week.',
        urgency: 'routine',
        send: true,
      });
      counts.serviceReferrals += 1;
      missing -= 1;
    }
  }

  /** Decisions, help and closure for a new case, each on its day; stops at the end of the period. */
  async function workTheCase(
    caseId: string,
    received: string,
    region: string,
    steps: Step[],
  ): Promise<{ helpOn: string | null; closed: boolean }> {
    const rg = await ctx.db
      .selectFrom('decision')
      .select(['id', 'version'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const decidedOn = decisionDay(received, clock.reasonableGroundsWorkingDays, region);
    // Not decided yet: due in the last days of the period (a few are overdue today).
    if (decidedOn > options.to) return { helpOn: null, closed: false };
    const positive = rand() < 0.8;
    await decideOn(rg, decidedOn, positive, steps);
    const helpOn = positive ? await help(caseId, decidedOn, steps) : null;

    let lastDecisionOn = decidedOn;
    let closure: ClosureReason = positive ? pick(rand, CLOSURE_WEIGHTS) : 'no_exploitation_identified';
    if (positive) {
      const cg = await ctx.db
        .selectFrom('decision')
        .select(['id', 'earliest_on', 'version'])
        .where('case_id', '=', caseId)
        .where('kind', '=', 'conclusive_grounds')
        .executeTakeFirst();
      if (!cg?.earliest_on) return { helpOn, closed: false };
      const cgOn = decisionDay(cg.earliest_on, clock.conclusiveGroundsWorkingDays, region);
      if (cgOn > options.to) return { helpOn, closed: false };
      const confirmed = rand() < 0.9;
      await decideOn(cg, cgOn, confirmed, steps);
      lastDecisionOn = cgOn;
      if (!confirmed) closure = 'no_exploitation_identified';
    }
    const closeOn = addCalendarDays(lastDecisionOn, 10 + Math.floor(rand() * 50));
    if (closeOn > options.to || rand() > HISTORY_SHARES.closed) return { helpOn, closed: false };
    const { version } = await ctx.db
      .selectFrom('case_record')
      .select('version')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    steps.push({ since: new Date(), on: closeOn });
    await closeCase(at(closeOn), caseworker, actor, caseId, { reason: closure, version });
    return { helpOn, closed: true };
  }

  /** The decision maker records an identification decision on its day. */
  async function decideOn(
    decision: { id: string; version: number },
    on: string,
    positive: boolean,
    steps: Step[],
  ): Promise<void> {
    steps.push({ since: new Date(), on });
    await decide(at(on), decider, actor, decision.id, {
      outcome: positive ? 'positive' : 'negative',
      rationale: 'Synthetic demo rationale.',
      evidence: 'Demo evidence reference.',
      version: decision.version,
    });
    counts.decisions += 1;
  }

  /** Help: find services for a need; refer when there is one, else the caseworker records the unmet need. */
  async function help(caseId: string, on: string, steps: Step[]): Promise<string> {
    const need = pick(rand, NEEDS);
    steps.push({ since: new Date(), on });
    const { services, noneAvailable } = await checkNeeds(at(on), caseworker, caseId, need);
    if (noneAvailable) {
      await recordUnmetNeedExplicitly(at(on), caseworker, actor, caseId, {
        needType: need,
        note: 'Demo: no service in the region could take the child.',
      });
    }
    const service = services.find((s) => s.provider.id === provider.organisation.id);
    if (!service) return on;
    const sent = await createServiceReferral(at(on), caseworker, actor, caseId, {
      serviceId: service.id,
      needType: need,
      sharedFields: ['age_band', 'needs_summary'],
      lawfulBasis: 'ota_66c_ot_services',
      purpose: 'Demo: support for the child',
      childConsulted: 'yes',
      needsSummary: 'Demo needs summary.',
      urgency: need === 'emergency_accommodation' || need === 'crisis_response' ? 'urgent' : 'routine',
      send: true,
    });
    counts.serviceReferrals += 1;
    const answer = rand();
    // The last weeks' referrals are still waiting for the provider's answer.
    if (daysBetween(on, options.to) < 7) return on;
    await transitionServiceReferral(at(on), provider, actor, sent.id, {
      to: answer < 0.75 ? 'accepted' : 'declined',
      ...(answer < 0.75 ? {} : { declineReason: 'no_capacity' as const }),
      version: sent.version,
    });
    return on;
  }
}
