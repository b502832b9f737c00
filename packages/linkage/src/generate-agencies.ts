// Two agencies' files about children in Aotearoa, FEBRL-style, with the truth in the ids: the
// hard case the engine exists for. Children live in households (siblings and twins share a
// family name, an address and, for twins, a date of birth, but not a given name); each agency
// holds one record per child; a share of children is in both files. Each agency's record is made
// the way people record children: macrons lost or doubled, okina written four ways, nicknames and
// transliterations, given and family names swapped, estimated or day–month-swapped dates of
// birth, a move to another suburb, an NHI-like identifier only sometimes.
//
// The generator's variant tables are deliberately its own, not the matcher's: a model must not
// be measured on the very table it matches with.
import { randomSource } from './blocking.ts';
import { pick, weighted, type Weighted } from './generate.ts';
import { FAMILY, GIVEN, nameList } from './names.ts';
import type { LinkRecord } from './types.ts';

export interface AgencyPairOptions {
  /** Records in each file (default 5,000). */
  count?: number;
  seed?: number;
  /** Share of each file's children also in the other file (default: drawn between 0.3 and 0.6). */
  overlap?: number;
  /** Share of records carrying an identifier (default 0.15). */
  identifierShare?: number;
}

type Origin = 'maori' | 'pacific' | 'pakeha' | 'asian';

// Pacific and Asian names with the spellings that vary between systems: okina, macrons, the
// order of Chinese and Korean names. Added to the shared list for generation only.
const EXTRA_GIVEN: Record<Origin, string> = {
  maori: 'Ātaahua Tūī Kōrero Mānaia Rāwinia Tāmati Pōhatu Ngāpaki',
  pacific:
    "Sāmuelu Fa'afetai Lose'ala 'Ofa Sēmisi Tēvita Mosese Litia Mereoni Seru Josefa Vilisoni Waisale Teina Tuaine Mata'u Ngā Tangimetua Makerita Pa'u Salote Siosaia Losana",
  pakeha: '',
  asian: 'Mohammed Muhammad Xiaoming Yuxuan Zihan Haoran Jiayi Thanh Huong Arjun Harjit Jaspreet',
};
const EXTRA_FAMILY: Record<Origin, string> = {
  maori: 'Tūhiwai Pōtaka Ngāwati Tāwhiao Kōkiri Mākoare',
  pacific:
    "Tu'ipulotu Ma'afu Fa'alogo Tauiliili Taufa'ahau Lealaiauloto Tuiasosopo Naivalu Rokobaro Tuilevuka Qarase Vunibaka Tangiiti Mataio Tekii Pouono Sa'u Leiataua Fonoti Tupou",
  pakeha: 'McDonald MacKenzie Oliver Cooke Payne',
  asian:
    'Nguyễn Trần Phạm Lê Huỳnh Võ Zhou Zhang Xu Chen Liang Huang Wong Chan Cheung Kaur Singh Gill Dhillon',
};

// How an agency may write the same name differently: transliterations, other forms and
// nicknames, for the generator only (the matcher has its own, independently written table).
const VARIANTS: readonly string[] = [
  'William Bill Billy Will Liam Wiremu Viliami',
  'John Johnny Jack Hone Sione Ioane',
  'David Dave Rāwiri Tēvita Tevita Tavita',
  'Mary Mere Mele Maria Molly',
  'Thomas Tom Tommy Tāmati Tamati Toma',
  'James Jim Jimmy Jamie Hēmi Semisi Sēmisi',
  'Joseph Joe Joey Hōhepa Iosefa Josefa Sefo',
  'Michael Mike Mikaere Mikaele Mika',
  'Samuel Sam Sammy Sāmuelu Samuelu Hamuera',
  'Elizabeth Liz Lizzie Beth Betty Irihapeti',
  'Catherine Katherine Kate Katie Kataraina Katarina',
  'Margaret Maggie Meg Makareta Makerita',
  'Alexander Alex Xander Alesana',
  'Christopher Chris Kiritopa',
  'Benjamin Ben Benji Pene',
  'Matthew Matt Matiu Mataio',
  'Charlotte Charlie Lottie Salote Sālote',
  'Rebecca Becky Becca Ripeka',
  'Joshua Josh Hohua Iosua',
  'Stephen Steven Steve Tipene Sitiveni',
  'Lucy Ruihi Lusi Lusia',
  'Rose Rosie Losa Rohi',
  'Georgia George Siaosi Hori',
  'Daniel Dan Danny Taniera',
  'Jasmine Jazz Jas',
  'Isabella Bella Izzy Isabel',
  'Caitlin Katelyn Kaitlyn Cate',
  'Harrison Harry',
  'Nicholas Nick Nikora',
  'Mohammed Muhammad Mohamed Mohammad',
  'Xiaoming Ming',
  'Joseph Iosefa',
  'Sarah Sara Hera Sally',
  'Hannah Hana Ana Anna',
  'Paulo Paul Paora',
  'Timote Timothy Tim',
  'Nguyễn Nguyen Ngyuen Nguen',
  'Trần Tran',
  'Zhou Chou Jou',
  'Zhang Chang Cheung',
  'Xu Hsu Hsü',
  'Chen Chan Chin',
  'Li Lee Lei',
  'Huang Hwang Wong',
  'Kaur Kour',
  'McDonald MacDonald Macdonald',
  'MacKenzie McKenzie Mackenzie',
  'Cooke Cook',
  'Payne Paine',
];

const STREETS =
  'Kauri Rata Tōtara Kōwhai Rimu Pōhutukawa Main Church High Queen King Victoria Albert Station Beach Hill Park Bridge Te Atatū Great North Great South Dominion Pah Tamaki Pakuranga Te Rapa Ulster Tristram Devonport Grey Cameron Fraser Ōtara Māngere Bader Coronation Princes Massey Clyde Kiwi Tui Huia Kea Moana Tainui Aotea Rangitoto'.split(
    ' ',
  );
const STREET_TYPES = ['Street', 'Road', 'Avenue', 'Place', 'Crescent', 'Drive', 'Lane', 'Terrace'];
const SUBURBS: readonly [string, string, string][] = [
  // suburb, postcode, region code (Stats NZ regional council area)
  ['Ōtara', '2023', '02'],
  ['Māngere', '2022', '02'],
  ['Manurewa', '2102', '02'],
  ['Papatoetoe', '2025', '02'],
  ['Ōtāhuhu', '1062', '02'],
  ['Henderson', '0612', '02'],
  ['Glen Innes', '1072', '02'],
  ['Ōnehunga', '1061', '02'],
  ['Papakura', '2110', '02'],
  ['Avondale', '1026', '02'],
  ['Massey', '0614', '02'],
  ['Ponsonby', '1011', '02'],
  ['Northcote', '0627', '02'],
  ['Whangārei', '0110', '01'],
  ['Kaikohe', '0405', '01'],
  ['Kaitāia', '0410', '01'],
  ['Hamilton East', '3216', '03'],
  ['Enderley', '3214', '03'],
  ['Huntly', '3700', '03'],
  ['Tokoroa', '3420', '03'],
  ['Rotorua', '3010', '04'],
  ['Ōpōtiki', '3122', '04'],
  ['Tauranga', '3110', '04'],
  ['Kawerau', '3127', '04'],
  ['Kaiti', '4010', '05'],
  ['Flaxmere', '4120', '06'],
  ['Camberley', '4120', '06'],
  ['Maraenui', '4110', '06'],
  ['Waitara', '4320', '07'],
  ['Whanganui East', '4500', '08'],
  ['Highbury', '4412', '08'],
  ['Cannons Creek', '5024', '09'],
  ['Porirua East', '5024', '09'],
  ['Naenae', '5011', '09'],
  ['Wainuiomata', '5014', '09'],
  ['Newtown', '6021', '09'],
  ['Aranui', '8061', '13'],
  ['Linwood', '8062', '13'],
  ['Hornby', '8042', '13'],
  ['Addington', '8024', '13'],
  ['South Dunedin', '9012', '14'],
  ['Invercargill', '9810', '15'],
];

type Rand = () => number;

const ORIGINS: readonly [Origin, number][] = [
  ['pakeha', 0.4],
  ['maori', 0.28],
  ['pacific', 0.17],
  ['asian', 0.15],
];
// Popular names are more common, but no one name is more than a few per cent of children.
const zipf = (rank: number) => 1 / (rank + 15);

function pool(base: string, extra: string): Weighted<string> {
  const names = [...new Set([...nameList(base), ...nameList(extra).filter(Boolean)])];
  return weighted(names, (_, rank) => zipf(rank));
}

const givenPool = Object.fromEntries(ORIGINS.map(([o]) => [o, pool(GIVEN[o], EXTRA_GIVEN[o])])) as Record<
  Origin,
  Weighted<string>
>;
const familyPool = Object.fromEntries(ORIGINS.map(([o]) => [o, pool(FAMILY[o], EXTRA_FAMILY[o])])) as Record<
  Origin,
  Weighted<string>
>;
const originPick = weighted(
  ORIGINS.map(([o]) => o),
  (_, k) => ORIGINS[k]?.[1] ?? 0,
);

let variantIndex: Map<string, string[]> | undefined;
function variantsOf(name: string): string[] {
  if (!variantIndex) {
    variantIndex = new Map();
    for (const line of VARIANTS) {
      const group = line.split(' ');
      for (const n of group) {
        const key = n.toLowerCase();
        variantIndex.set(key, [...(variantIndex.get(key) ?? []), ...group.filter((g) => g !== n)]);
      }
    }
  }
  return variantIndex.get(name.toLowerCase()) ?? [];
}

interface Child {
  id: number;
  origin: Origin;
  given: string;
  middle?: string;
  family: string;
  born: number; // days since 1970
  streetNumber: string;
  street: string;
  suburb: readonly [string, string, string];
  nhi?: string;
}

function isoCompact(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Builds households of children until there are `children` of them. */
function population(rand: Rand, children: number): Child[] {
  const int = (n: number) => Math.floor(rand() * n);
  const out: Child[] = [];
  const first = Date.UTC(2007, 0, 1) / 86_400_000;
  const last = Date.UTC(2021, 11, 31) / 86_400_000;
  const suburbs = weighted(SUBURBS, () => 1);
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  while (out.length < children) {
    const origin = pick(originPick, rand());
    const familyOrigin: Origin =
      origin === 'maori' && rand() < 0.4
        ? 'pakeha'
        : origin === 'pacific' && rand() < 0.1
          ? 'pakeha'
          : origin;
    const family = pick(familyPool[familyOrigin], rand());
    const suburb = pick(suburbs, rand());
    const street = `${STREETS[int(STREETS.length)] ?? 'Main'} ${STREET_TYPES[int(STREET_TYPES.length)] ?? 'Road'}`;
    const streetNumber = String(1 + int(240));
    // Household size: 1 child (50 %), 2 (28 %), 3 (14 %), 4–5 (8 %); 1 in 8 multi-child homes has twins.
    const r = rand();
    const size = r < 0.5 ? 1 : r < 0.78 ? 2 : r < 0.92 ? 3 : 4 + int(2);
    const givenUsed = new Set<string>();
    let born = first + int(last - first + 1);
    for (let k = 0; k < size && out.length < children; k++) {
      let given = pick(givenPool[origin], rand());
      for (let tries = 0; givenUsed.has(given) && tries < 20; tries++)
        given = pick(givenPool[origin], rand());
      givenUsed.add(given);
      const child: Child = {
        id: out.length,
        origin,
        given,
        family,
        born,
        streetNumber,
        street,
        suburb,
      };
      if (rand() < 0.25) child.middle = pick(givenPool[origin], rand());
      if (rand() < 0.6) {
        child.nhi = `${letters[int(24)]}${letters[int(24)]}${letters[int(24)]}${String(int(10_000)).padStart(4, '0')}`;
      }
      out.push(child);
      const twins = size > 1 && rand() < 0.12;
      if (!twins) {
        // The next sibling is one to five years older or younger, still a child in the window.
        const gap = 300 + int(365 * 4);
        born =
          born - gap >= first ? born - gap : born + gap <= last ? born + gap : first + int(last - first + 1);
      }
    }
  }
  // Shuffle so that households are spread through the files (siblings still share everything).
  for (let k = out.length - 1; k > 0; k--) {
    const j = int(k + 1);
    const t = out[k] as Child;
    out[k] = out[j] as Child;
    out[j] = t;
  }
  return out;
}

const MACRON_TO_DOUBLE: Record<string, string> = { ā: 'aa', ē: 'ee', ī: 'ii', ō: 'oo', ū: 'uu' };

function stripMacrons(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** How one agency's system and staff write a child's record. */
interface AgencyHabits {
  /** The system cannot store macrons (folded away). */
  noMacrons: boolean;
  /** How it writes an okina: ʻ, ', ’, or not at all. */
  okina: string;
  /** How much its records are corrupted (1 = typical). */
  care: number;
}

const NEIGHBOURS: Record<string, string> = {
  a: 'sqe',
  e: 'wria',
  i: 'uoe',
  o: 'ipu',
  u: 'yio',
  n: 'bmh',
  m: 'n',
  r: 'et',
  t: 'ry',
  h: 'gjn',
  k: 'jlc',
  s: 'adz',
  l: 'kp',
  p: 'ob',
  w: 'qv',
  g: 'fh',
  y: 'ti',
  c: 'kx',
  d: 'st',
  b: 'vp',
  f: 'ph',
  v: 'bw',
};

function typo(name: string, rand: Rand): string {
  if (name.length < 3) return name;
  const int = (n: number) => Math.floor(rand() * n);
  const k = 1 + int(name.length - 1);
  const c = name.charAt(k).toLowerCase();
  switch (int(4)) {
    case 0:
      return (
        name.slice(0, k) +
        (NEIGHBOURS[c] ?? 'e').charAt(int((NEIGHBOURS[c] ?? 'e').length)) +
        name.slice(k + 1)
      );
    case 1:
      return name.slice(0, k) + name.slice(k + 1);
    case 2:
      return name.slice(0, k) + c + name.slice(k);
    default:
      return k + 1 < name.length
        ? name.slice(0, k) + name.charAt(k + 1) + name.charAt(k) + name.slice(k + 2)
        : name;
  }
}

function writeName(name: string, habits: AgencyHabits, rand: Rand): string {
  let s = name.replace(/['ʻ’‘]/g, habits.okina);
  if (habits.noMacrons) s = stripMacrons(s);
  else if (rand() < 0.15) s = s.replace(/[āēīōū]/g, (c) => MACRON_TO_DOUBLE[c] ?? c);
  else if (rand() < 0.3) s = stripMacrons(s);
  // Some staff type in capitals.
  if (rand() < 0.05) s = s.toUpperCase();
  return s;
}

/** One agency's record of a child. `id` carries the truth. */
function toRecord(
  child: Child,
  id: string,
  habits: AgencyHabits,
  rand: Rand,
  identifierShare: number,
): LinkRecord {
  const chance = (p: number) => rand() < p * habits.care;
  const int = (n: number) => Math.floor(rand() * n);
  let given = child.given;
  let family = child.family;
  // Another form of the given name: nickname, English or Pacific form, transliteration.
  if (chance(0.18)) {
    const v = variantsOf(given);
    if (v.length > 0) given = v[int(v.length)] ?? given;
  }
  if (chance(0.06)) {
    const v = variantsOf(family);
    if (v.length > 0) family = v[int(v.length)] ?? family;
  }
  // Known by the middle name, or the middle name written into the given-name field.
  const middleRoll = rand() / habits.care;
  if (child.middle && middleRoll < 0.06) given = child.middle;
  else if (child.middle && middleRoll < 0.12) given = `${given} ${child.middle}`;
  if (chance(0.12)) given = typo(given, rand);
  if (chance(0.1)) family = typo(family, rand);
  // A step-parent's or whānau name.
  if (chance(0.05)) family = pick(familyPool[rand() < 0.5 ? 'maori' : 'pakeha'], rand());
  given = writeName(given, habits, rand);
  family = writeName(family, habits, rand);
  // Given and family name swapped (more common for Asian names, written family name first).
  if (chance(child.origin === 'asian' ? 0.2 : 0.05)) [given, family] = [family, given];

  let dob: string | undefined = isoCompact(child.born);
  const roll = rand();
  if (roll < 0.07 * habits.care) dob = undefined;
  else if (roll < 0.15 * habits.care) {
    // Estimated: 1 January (or 1 July) of a year guessed within one year.
    const year = Number(dob.slice(0, 4)) + (int(3) - 1);
    dob = `${year}${rand() < 0.7 ? '0101' : '0701'}`;
  } else if (roll < 0.22 * habits.care) {
    const day = dob.slice(6, 8);
    const month = dob.slice(4, 6);
    if (Number(day) <= 12 && day !== month) dob = `${dob.slice(0, 4)}${day}${month}`;
  } else if (roll < 0.27 * habits.care) {
    // One digit wrong in day or year.
    const pos = [3, 6, 7][int(3)] ?? 7;
    const digit = String(int(10));
    const candidate = dob.slice(0, pos) + digit + dob.slice(pos + 1);
    if (/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(candidate)) dob = candidate;
  } else if (roll < 0.3 * habits.care) {
    const day = child.born + (rand() < 0.5 ? 1 : -1);
    dob = isoCompact(day);
  }

  // Address: often out of date (the whānau moved), sometimes missing or mistyped.
  let streetNumber: string | undefined = child.streetNumber;
  let street: string | undefined = child.street;
  let suburb: readonly [string, string, string] | undefined = child.suburb;
  const a = rand();
  if (a < 0.22 * habits.care) {
    suburb = SUBURBS[int(SUBURBS.length)];
    street = `${STREETS[int(STREETS.length)] ?? 'Main'} ${STREET_TYPES[int(STREET_TYPES.length)] ?? 'Road'}`;
    streetNumber = String(1 + int(240));
  } else if (a < 0.32 * habits.care) {
    streetNumber = undefined;
    street = undefined;
    suburb = undefined;
  } else if (a < 0.42 * habits.care) street = typo(street, rand);

  const out: LinkRecord = {
    id,
    givenNames: given ? [given] : [],
    familyNames: family ? [family] : [],
  };
  if (dob) out.dateOfBirth = `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6, 8)}`;
  if (streetNumber) out.streetNumber = streetNumber;
  if (street) out.address1 = habits.noMacrons ? stripMacrons(street) : street;
  if (suburb) {
    out.suburb = habits.noMacrons ? stripMacrons(suburb[0]) : suburb[0];
    out.postcode = suburb[1];
    out.state = suburb[2];
  }
  if (child.nhi && rand() < identifierShare / 0.6) out.socId = child.nhi;
  return out;
}

/**
 * Two agencies' files: `count` records each, one per child, a share `overlap` of each file's
 * children also in the other. Left ids are rec-N-org, right ids rec-N-dup-0 (N is the child).
 */
export function generateAgencyPair(options: AgencyPairOptions = {}): {
  left: LinkRecord[];
  right: LinkRecord[];
  overlap: number;
} {
  const rand = randomSource((options.seed ?? 1) * 7919 + 17);
  const count = options.count ?? 5000;
  const overlap = options.overlap ?? 0.3 + rand() * 0.3;
  const shared = Math.round(count * overlap);
  const children = population(rand, 2 * count - shared);
  const identifierShare = options.identifierShare ?? 0.15;
  const okinas = ['ʻ', "'", '’', ''];
  const habits = (): AgencyHabits => ({
    noMacrons: rand() < 0.5,
    okina: okinas[Math.floor(rand() * okinas.length)] ?? '',
    care: 0.8 + rand() * 0.5,
  });
  const leftHabits = habits();
  const rightHabits = habits();
  const left: LinkRecord[] = [];
  const right: LinkRecord[] = [];
  children.forEach((c, k) => {
    const inLeft = k < count;
    const inRight = k < shared || k >= count;
    if (inLeft) left.push(toRecord(c, `rec-${c.id}-org`, leftHabits, rand, identifierShare));
    if (inRight) right.push(toRecord(c, `rec-${c.id}-dup-0`, rightHabits, rand, identifierShare));
  });
  // Files are not in child order.
  for (const file of [left, right]) {
    for (let k = file.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      const t = file[k] as LinkRecord;
      file[k] = file[j] as LinkRecord;
      file[j] = t;
    }
  }
  return { left, right, overlap };
}

export interface AgencyFilesOptions {
  /** Records over all files (default 20,000). */
  count?: number;
  seed?: number;
  /** Agencies, one file each (default 4). */
  agencies?: number;
  /** Share of children referred by more than one agency (default: drawn between 0.3 and 0.6). */
  overlap?: number;
  /** Share of records carrying an identifier (default 0.15). */
  identifierShare?: number;
}

/** One agency's record of a child: `child` is the truth (the same child in every file). */
export interface AgencyRecord {
  agency: number;
  child: number;
  /** The child's true date of birth (YYYY-MM-DD), which the record may have wrong or missing. */
  born: string;
  record: LinkRecord;
}

/**
 * Several agencies' files about the same population of children (households, siblings, twins),
 * `count` records in all, each agency holding at most one record per child and writing it its
 * own way. A share `overlap` of the children is referred by two or more agencies (two most
 * often, sometimes three or four). Record ids are rec-CHILD-aAGENCY. Separate from
 * `generateAgencyPair`, whose files (and random sequence) stay as they were.
 */
export function generateAgencyFiles(options: AgencyFilesOptions = {}): {
  files: AgencyRecord[][];
  overlap: number;
  children: number;
} {
  const rand = randomSource((options.seed ?? 1) * 6101 + 29);
  const count = options.count ?? 20_000;
  const agencies = Math.max(2, options.agencies ?? 4);
  const overlap = options.overlap ?? 0.3 + rand() * 0.3;
  const identifierShare = options.identifierShare ?? 0.15;
  const okinas = ['ʻ', "'", '’', ''];
  const habits = Array.from({ length: agencies }, (): AgencyHabits => ({
    noMacrons: rand() < 0.5,
    okina: okinas[Math.floor(rand() * okinas.length)] ?? '',
    care: 0.8 + rand() * 0.5,
  }));
  // Referrals a child gets: one, or (a share `overlap` of children) two to four agencies'.
  const referralsOf = () => {
    if (rand() >= overlap) return 1;
    const r = rand();
    return Math.min(agencies, r < 0.6 ? 2 : r < 0.9 ? 3 : 4);
  };
  const expected =
    1 - overlap + overlap * (0.6 * 2 + 0.3 * Math.min(3, agencies) + 0.1 * Math.min(4, agencies));
  const people = population(rand, Math.ceil(count / expected) + 50);
  const files: AgencyRecord[][] = Array.from({ length: agencies }, () => []);
  let made = 0;
  let children = 0;
  for (const child of people) {
    if (made >= count) break;
    const n = Math.min(referralsOf(), count - made);
    // Which agencies: distinct, drawn at random.
    const order = Array.from({ length: agencies }, (_, k) => k);
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [order[k], order[j]] = [order[j] as number, order[k] as number];
    }
    for (const agency of order.slice(0, n)) {
      const record = toRecord(
        child,
        `rec-${child.id}-a${agency}`,
        habits[agency] as AgencyHabits,
        rand,
        identifierShare,
      );
      const born = isoCompact(child.born);
      files[agency]?.push({
        agency,
        child: child.id,
        born: `${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6, 8)}`,
        record,
      });
    }
    made += n;
    children += 1;
  }
  for (const file of files) {
    for (let k = file.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [file[k], file[j]] = [file[j] as AgencyRecord, file[k] as AgencyRecord];
    }
  }
  return { files, overlap, children };
}
