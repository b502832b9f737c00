// Seeded generator of synthetic referral records about children in Aotearoa, with the ways the
// same child comes to be recorded differently: typos, lost macrons, nicknames, swapped given and
// family names, missing or estimated dates of birth, aliases, a move to another region.
// Ids follow FEBRL (rec-N-org, rec-N-dup-k) so evaluation reads the truth from them.
import { randomSource } from './blocking.ts';
import { nicknamesOf } from './nicknames.ts';
import { FAMILY, GIVEN, GROUP_WEIGHTS, nameList, REGIONS } from './names.ts';
import { normalise } from './text.ts';
import type { LinkRecord } from './types.ts';

type Group = keyof typeof GROUP_WEIGHTS;

export interface GenerateOptions {
  /** Number of records to produce. */
  count: number;
  seed?: number;
  /** Average extra records per child (default 0.9: about half of children are recorded more than once). */
  duplicatesPerChild?: number;
}

/** Items with a cumulative distribution, for drawing one at random by weight. */
export interface Weighted<T> {
  items: readonly T[];
  cumulative: Float64Array;
}

export function weighted<T>(items: readonly T[], weight: (item: T, rank: number) => number): Weighted<T> {
  const cumulative = new Float64Array(items.length);
  let sum = 0;
  items.forEach((it, k) => {
    sum += weight(it, k);
    cumulative[k] = sum;
  });
  for (let k = 0; k < cumulative.length; k++) cumulative[k] = (cumulative[k] ?? 0) / sum;
  return { items, cumulative };
}

/** The item at `r` (uniform in 0–1) of the distribution: a binary search. */
export function pick<T>(w: Weighted<T>, r: number): T {
  let lo = 0;
  let hi = w.items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((w.cumulative[mid] ?? 1) < r) lo = mid + 1;
    else hi = mid;
  }
  return w.items[lo] as T;
}

// Popular names are much more common than rare ones (Zipf-like by list order).
const zipf = (_: string, rank: number) => 1 / (rank + 4);
const GROUPS = Object.keys(GROUP_WEIGHTS) as Group[];
const groupPick = weighted(GROUPS, (g) => GROUP_WEIGHTS[g]);
const givenPick = Object.fromEntries(GROUPS.map((g) => [g, weighted(nameList(GIVEN[g]), zipf)])) as Record<
  Group,
  Weighted<string>
>;
const familyPick = Object.fromEntries(GROUPS.map((g) => [g, weighted(nameList(FAMILY[g]), zipf)])) as Record<
  Group,
  Weighted<string>
>;
const regionPick = weighted(REGIONS, ([, share]) => share);

/** Family-name origin given the child's given-name origin: many Māori whānau carry English surnames. */
const FAMILY_GROUP: Record<Group, [Group, number][]> = {
  maori: [
    ['maori', 0.55],
    ['pakeha', 0.4],
    ['pacific', 0.05],
  ],
  pacific: [
    ['pacific', 0.85],
    ['maori', 0.05],
    ['pakeha', 0.1],
  ],
  pakeha: [
    ['pakeha', 0.9],
    ['maori', 0.07],
    ['asian', 0.03],
  ],
  asian: [
    ['asian', 0.92],
    ['pakeha', 0.08],
  ],
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sqz',
  e: 'wrd',
  i: 'uok',
  o: 'ipl',
  u: 'yij',
  n: 'bmh',
  m: 'nj',
  r: 'etf',
  t: 'ryg',
  h: 'gjn',
  k: 'jlm',
  s: 'adw',
  l: 'kop',
  p: 'ol',
  w: 'qe',
  g: 'fht',
  y: 'tu',
  c: 'xv',
  d: 'sef',
  b: 'vn',
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Streams synthetic records; the same seed gives the same records. */
export function* generateRecords(options: GenerateOptions): Generator<LinkRecord> {
  const rand = randomSource(options.seed ?? 1);
  const meanDups = options.duplicatesPerChild ?? 0.9;
  const chance = (p: number) => rand() < p;
  const int = (n: number) => Math.floor(rand() * n);
  const first = Date.UTC(2007, 0, 1) / 86_400_000;
  const last = Date.UTC(2020, 11, 31) / 86_400_000;

  const typo = (name: string): string => {
    if (name.length < 3) return name;
    const k = 1 + int(name.length - 1);
    const c = name.charAt(k).toLowerCase();
    switch (int(4)) {
      case 0: // substitute a neighbouring key
        return name.slice(0, k) + (KEYBOARD_NEIGHBOURS[c] ?? LETTERS).charAt(int(3)) + name.slice(k + 1);
      case 1: // drop a letter
        return name.slice(0, k) + name.slice(k + 1);
      case 2: // double a letter
        return name.slice(0, k) + c + name.slice(k);
      default: // swap two letters
        return k + 1 < name.length
          ? name.slice(0, k) + name.charAt(k + 1) + name.charAt(k) + name.slice(k + 2)
          : name;
    }
  };

  let produced = 0;
  let child = 0;
  while (produced < options.count) {
    const group = pick(groupPick, rand());
    const familyGroup = ((): Group => {
      let r = rand();
      for (const [g, p] of FAMILY_GROUP[group]) {
        r -= p;
        if (r < 0) return g;
      }
      return group;
    })();
    const givenNames = [pick(givenPick[group], rand())];
    if (chance(0.2)) givenNames.push(pick(givenPick[group], rand()));
    const familyNames = [pick(familyPick[familyGroup], rand())];
    if (chance(0.08)) familyNames.push(pick(familyPick[chance(0.5) ? familyGroup : 'pakeha'], rand()));
    const born = first + int(last - first + 1);
    const truth: LinkRecord = {
      id: `rec-${child}-org`,
      givenNames,
      familyNames,
      dateOfBirth: isoDay(born),
      gender: chance(0.5) ? 'female' : chance(0.98) ? 'male' : 'another gender',
      region: pick(regionPick, rand())[0],
    };
    if (chance(0.03)) truth.aliases = [{ given: pick(givenPick[group], rand()) }];
    yield truth;
    produced++;
    // Geometric number of other records about the same child.
    let dups = 0;
    while (rand() < meanDups / (1 + meanDups)) dups++;
    for (let d = 0; d < dups && produced < options.count; d++) {
      yield corrupt(truth, `rec-${child}-dup-${d}`, born);
      produced++;
    }
    child++;
  }

  function corrupt(truth: LinkRecord, id: string, born: number): LinkRecord {
    const r: LinkRecord = structuredClone(truth);
    r.id = id;
    // Many systems cannot store macrons.
    if (chance(0.5)) {
      r.givenNames = r.givenNames.map(stripMacrons);
      r.familyNames = r.familyNames.map(stripMacrons);
    }
    const changes = 1 + int(3);
    for (let c = 0; c < changes; c++) {
      switch (int(11)) {
        case 0:
          r.givenNames[0] = typo(r.givenNames[0] ?? '');
          break;
        case 1:
          r.familyNames[0] = typo(r.familyNames[0] ?? '');
          break;
        case 2: {
          const others = nicknamesOf(normalise(r.givenNames[0]));
          const nick = others[int(others.length)];
          if (nick) r.givenNames[0] = nick.charAt(0).toUpperCase() + nick.slice(1);
          break;
        }
        case 3: {
          const g = r.givenNames[0] ?? '';
          r.givenNames = [r.familyNames.join(' ')];
          r.familyNames = [g];
          break;
        }
        case 4: {
          // Only an estimated age: a worker guessed within a couple of years.
          const seen = Math.min(last + 365 * 5, born + 365 * (6 + int(10)));
          const age = Math.floor((seen - born) / 365.25);
          const lo = Math.max(0, age - int(2));
          delete r.dateOfBirth;
          r.estimatedAge = { min: lo, max: lo + 1 + int(2), atDate: isoDay(seen) };
          break;
        }
        case 5:
          delete r.dateOfBirth;
          break;
        case 6: {
          const dob = r.dateOfBirth;
          if (!dob) break;
          const [y, m, d] = dob.split('-');
          const kind = int(3);
          if (kind === 0 && Number(d) <= 12) r.dateOfBirth = `${y}-${d}-${m}`;
          else if (kind === 1)
            r.dateOfBirth = `${y}-${m}-${pad(Math.max(1, Math.min(28, Number(d) + (chance(0.5) ? 1 : -1))))}`;
          else
            r.dateOfBirth = `${y}-${m}-${(d ?? '01').charAt(1)}${(d ?? '01').charAt(0)}`.replace(
              /-0?0$/,
              '-01',
            );
          if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(r.dateOfBirth)) r.dateOfBirth = dob;
          break;
        }
        case 7: {
          // Known by another family name too (a step-parent's, a whānau name).
          const other = pick(familyPick[chance(0.5) ? 'maori' : 'pakeha'], rand());
          if (chance(0.5)) r.aliases = [...(r.aliases ?? []), { family: other }];
          else {
            r.aliases = [...(r.aliases ?? []), { family: r.familyNames.join(' ') }];
            r.familyNames = [other];
          }
          break;
        }
        case 8:
          if (r.familyNames.length > 1) r.familyNames = [r.familyNames[int(r.familyNames.length)] ?? ''];
          else r.givenNames = r.givenNames.slice(0, 1);
          break;
        case 9:
          r.region = pick(regionPick, rand())[0];
          break;
        default:
          delete r.gender;
          break;
      }
    }
    return r;
  }
}

function stripMacrons(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Two files for linking, each with at most one record per child (so one-to-one linking holds):
 * a share `overlap` of children with a second record have it in the right file, the original in
 * the left; other children are in one file only. Ids keep the truth.
 */
export function* generateLinkPair(
  options: GenerateOptions & { overlap?: number },
): Generator<{ side: 0 | 1; record: LinkRecord }> {
  const overlap = options.overlap ?? 0.5;
  const rand = randomSource((options.seed ?? 1) ^ 0x5eed);
  let child: LinkRecord[] = [];
  function* flush(): Generator<{ side: 0 | 1; record: LinkRecord }> {
    const [org, dup] = child;
    if (!org) return;
    if (dup && rand() < overlap) {
      yield { side: 0, record: org };
      yield { side: 1, record: dup };
    } else {
      yield { side: rand() < 0.5 ? 0 : 1, record: org };
    }
  }
  for (const r of generateRecords({ ...options, duplicatesPerChild: options.duplicatesPerChild ?? 1.5 })) {
    if (r.id.endsWith('-org')) {
      yield* flush();
      child = [];
    }
    child.push(r);
  }
  yield* flush();
}
