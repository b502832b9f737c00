// Given names (and a few family names) that the same child may be recorded under: English
// diminutives; te reo Māori, Samoan, Tongan, Cook Islands Māori and Fijian forms of biblical and
// English names; common transliterations of Chinese, Vietnamese, Korean, Arabic and Punjabi
// names. Each line is one group; a name may be in more than one group (Liam, Bill). Normalised
// spelling (no macrons, no okina: Sālote → salote, ʻOfa → ofa). The one table used by the engine,
// the encoder and the product's candidate search (via @tiaki/linkage/names).

const GROUPS: readonly string[] = [
  'william bill billy will willy liam wiremu wiremu viliami wili',
  'elizabeth liz lizzie lizzy beth betty bess elisa eliza libby lisa irihapeti erihapeti',
  'david dave davey rawiri tevita tavita davida',
  'mary mere meri mele maria mareta molly polly mari',
  'john jon johnny jack hone hoani ioane sione jonny',
  'thomas tom tommy tamati toma tama',
  'james jim jimmy jamie hemi semi jimi',
  'peter pete pita petelo pita',
  'joseph joe joey hohepa iosefa sefo iosefo josefa',
  'michael mike mikey mick mikaere mikaele mika',
  'andrew andy drew anaru aneterea',
  'charlotte charlie lottie salote halote',
  'catherine katherine kathryn kate katie kath cathy kathy kat kataraina katarina',
  'margaret maggie meg peggy marg makareta mereana',
  'robert rob robbie bob bobby bert ropata',
  'richard rick ricky dick rikihana',
  'benjamin ben benji pene',
  'daniel dan danny taniera',
  'samuel sam sammy hamuera samuelu',
  'joshua josh hohua iosua',
  'matthew matt matiu mataio',
  'christopher chris kiritopa',
  'alexander alex alec xander sandy alesana',
  'alexandra alex lexi sandra',
  'anne ann anna annie ani ana hana',
  'hannah hana anna',
  'susan sue susie huhana',
  'sarah sara sally hera hara',
  'rebecca becky becca ripeka',
  'rachel rahera',
  'ruth ruta',
  'martha mata mareta',
  'lucy ruihi lusi',
  'rose rosie losa roha rohi',
  'grace kerehi',
  'george hori siaosi',
  'henry harry hal hare henare',
  'edward ed eddie ted teddy eruera',
  'frederick fred freddie freddy perete',
  'stephen steven steve stevie tipene sitiveni',
  'paul pauro paulo paora',
  'timothy tim timmy timote',
  'jonathan jon jonno hoani',
  'nicholas nick nicky nico nikora',
  'anthony tony anitelu',
  'patrick pat paddy patariki',
  'jessica jess jessie',
  'jennifer jen jenny',
  'victoria vicky tori wikitoria',
  'isabella isabel izzy bella isabelle',
  'abigail abby abbie',
  'olivia liv livvy',
  'sophia sophie sofia',
  'emily em emmy',
  'madeline madeleine maddie maddy madison',
  'natalie nat',
  'zachary zac zack zach',
  'nathaniel nathan nate',
  'jacob jake',
  'luke ruka',
  'mark maka mareko',
  'isaac aihe',
  'moses mohi',
  'solomon horomona',
  'te rangi terangi',
  'tane tanemahuta',
  'aroha rohi',
  'manaia nai',
  'kahurangi kahu',
  'wairimu wai',
  'ngaire ngaere',
  'mereana merehana',
  // Pacific forms (Samoan, Tongan, Cook Islands Māori, Fijian) of biblical and English names.
  'james hemi semi semisi simi jemesa jimi',
  'joseph hohepa iosefa josefa iosefo sefo sosefo josaia',
  'josiah siosaia josaia',
  'george hori siaosi siosi joji',
  'john hone ioane sione soane jone joni',
  'mary mere mele meri maria malia mereia',
  'david rawiri tevita tavita davida tawita',
  'peter pita petelo pita peni',
  'paul paora paulo paula paolo paulu',
  'samuel hamuera samuelu samiu semi',
  'daniel taniera tanielu taniela',
  'michael mikaere mikaele mikaela maikeli mika',
  'matthew matiu mataio matiu mateo',
  'stephen tipene sitiveni setefano sefa',
  'timothy timote timoti timi',
  'thomas tamati toma tomasi tomasi',
  'charlotte salote halote',
  'lucy ruihi lusi lusia',
  'rose losa rohi losana losaline',
  'margaret makareta makerita maketi',
  'elizabeth irihapeti elisapeti lisiate',
  'sarah hera sela sala',
  'ruth luti ruta',
  'esther ehetere eseta',
  'grace kerehi kelesi',
  'rebecca ripeka lepeka',
  'anne ani ana hana',
  'martha mata maata',
  'william wiremu viliami wiliami wili',
  'lydia litia',
  'mereoni mary',
  'seru sairusi',
  'luke ruka luka',
  'mark mareko maka mareko',
  'jacob hakopa iakopo iakobo',
  'simon haimona simione',
  'aaron arona alona',
  'moses mohi mosese moses',
  'isaac aihe isaaka aisake',
  'joshua hohua iosua',
  // Transliterations and romanisations.
  'mohammed muhammad mohamed mohammad muhammed mohamad',
  'ahmed ahmad',
  'zhou chou',
  'zhang chang cheung',
  'xu hsu',
  'chen chan chin',
  'li lee lei',
  'huang hwang wong',
  'kaur kour',
  'gurpreet gurprit',
  'harpreet harprit',
  'jaspreet jasprit',
  'mcdonald macdonald',
  'mckenzie mackenzie',
];

let index: Map<string, number[]> | undefined;

function buildIndex(): Map<string, number[]> {
  const map = new Map<string, number[]>();
  GROUPS.forEach((line, group) => {
    for (const name of new Set(line.split(' '))) {
      const list = map.get(name);
      if (list) list.push(group);
      else map.set(name, [group]);
    }
  });
  return map;
}

/**
 * Doubled vowels written for long ones (Māori double-vowel spelling, or a macron typed twice):
 * "raawiri" → "rawiri", "heemi" → "hemi".
 */
export function singleVowels(normalised: string): string {
  return normalised.replace(/([aeiou])\1+/g, '$1');
}

/** The table's names of FUZZY_MIN letters or more, by each form with one letter left out. */
let deletions: Map<string, number[]> | undefined;
const FUZZY_MIN = 5;
const fuzzyCache = new Map<string, readonly number[]>();

function oneLetterOut(name: string): string[] {
  const out: string[] = [];
  for (let k = 0; k < name.length; k++) out.push(name.slice(0, k) + name.slice(k + 1));
  return out;
}

function buildDeletions(table: Map<string, number[]>): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const [name, groups] of table) {
    if (name.length < FUZZY_MIN || name.includes(' ')) continue;
    for (const d of new Set(oneLetterOut(name))) {
      const list = map.get(d) ?? [];
      for (const g of groups) if (!list.includes(g)) list.push(g);
      map.set(d, list);
    }
  }
  return map;
}

/**
 * Group numbers a normalised given name belongs to (empty if none): the name as written, else
 * with doubled vowels made single, else, for a name of five letters or more that the table does
 * not hold, the groups of table names one typing error away (a letter added, left out, changed,
 * or two swapped: "goerge", "stepjen", "dnaiel"). Names the table holds never match fuzzily.
 */
export function nicknameGroups(normalised: string): readonly number[] {
  index ??= buildIndex();
  const direct = index.get(normalised);
  if (direct) return direct;
  const cached = fuzzyCache.get(normalised);
  if (cached) return cached;
  if (fuzzyCache.size > 100_000) fuzzyCache.clear();
  const found = otherSpelling(index, normalised);
  fuzzyCache.set(normalised, found);
  return found;
}

function otherSpelling(index: Map<string, number[]>, normalised: string): readonly number[] {
  const single = singleVowels(normalised);
  const collapsed = single === normalised ? undefined : index.get(single);
  if (collapsed) return collapsed;
  if (single.length < FUZZY_MIN || single.includes(' ')) return [];
  deletions ??= buildDeletions(index);
  const found: number[] = [];
  const add = (groups: readonly number[] | undefined) => {
    for (const g of groups ?? []) if (!found.includes(g)) found.push(g);
  };
  add(deletions.get(single)); // a letter added
  for (const d of oneLetterOut(single)) {
    const name = index.get(d);
    if (name && d.length >= FUZZY_MIN) add(name); // a letter left out
    add(deletions.get(d)); // a letter changed, or two swapped
  }
  return found;
}

/** The table holds the name as written, or with doubled vowels made single. */
function inTable(normalised: string): boolean {
  index ??= buildIndex();
  return index.has(normalised) || index.has(singleVowels(normalised));
}

/** Group numbers of a name exactly as the table holds it (no fuzzy look-up). */
function exactGroups(normalised: string): readonly number[] {
  index ??= buildIndex();
  return index.get(normalised) ?? [];
}

/** The first name of a group (a stable name for it: the table may grow, numbers shift). */
export function groupHeadName(group: number): string {
  return (GROUPS[group] ?? '').split(' ')[0] ?? '';
}

/** True when two normalised given names are known forms of the same name (William/Bill, Hone/John). */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const ga = nicknameGroups(a);
  if (ga.length === 0) return false;
  const gb = nicknameGroups(b);
  // Two names each only one typing error from a name in the table (Holly → Molly, Mania → Maria)
  // are not known forms of one another: at least one must be in the table as written.
  if (!inTable(a) && !inTable(b)) return false;
  // One name's forms may be split over lines with the same first name (James's English
  // diminutives on one, its Pacific forms on another): compared by that first name, the key the
  // product's candidate search and blocking use (nameFormKeys), so Jamie and Sēmisi are forms of one.
  for (const g of ga) {
    const head = groupHeadName(g);
    for (const h of gb) if (h === g || groupHeadName(h) === head) return true;
  }
  return false;
}

/** Other forms of a name, for the synthetic generator. */
export function nicknamesOf(normalised: string): string[] {
  const out = new Set<string>();
  for (const g of exactGroups(normalised)) {
    for (const name of (GROUPS[g] ?? '').split(' ')) if (name !== normalised) out.add(name);
  }
  return [...out];
}
