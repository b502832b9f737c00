/**
 * The pattern language of the terminology table, and the sentence-level cues its rules refer to.
 *
 * A phrase is lower-case words with a few operators, compiled once to a case-insensitive RegExp:
 *
 *   space or -   one or more separators: any whitespace (line breaks too), soft hyphen, hyphen or dash
 *   ~            zero or more separators ("kiddie~porn" also matches "kiddieporn")
 *   (a|b)        alternatives (non-capturing)
 *   ?            the previous letter or group is optional ("prostitutes?")
 *   '            a straight or curly apostrophe
 *   {slot}       a shared vocabulary from SLOTS below, e.g. {self} = herself|himself|themselves|themself
 *
 * Every other character is rejected when the table is compiled, so a typo fails the first test run
 * instead of silently matching something else. A phrase matches whole words only.
 */

const SEP_CHARS = '[\\s\\u00ad\\-\\u2010-\\u2015]';
export const SEP = `${SEP_CHARS}+`;
export const OPT_SEP = `${SEP_CHARS}*`;

const AGE_NUMBER = '(?:1[0-7]|[1-9])';
const AGE_WORD =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)';
const AGE = `(?:(?:${AGE_NUMBER}|${AGE_WORD})${OPT_SEP}(?:years?|yrs?|yr)${OPT_SEP}old|${AGE_NUMBER}${OPT_SEP}(?:yo|y\\/o))`;
const CHILD_NOUN = [
  'child(?:ren)?',
  'kids?',
  'girls?',
  'boys?',
  `young${SEP}(?:person|people)`,
  'youths?',
  'teens?',
  'teenagers?',
  'minors?',
  'rangatahi',
  'tamaiti',
  'tamariki',
  'k(?:ō|o\\u0304|oo|o)tiro',
  'daughters?',
  'sons?',
  'students?',
  'school(?:girl|boy)s?',
  'nieces?',
  'nephews?',
  'mokopuna',
].join('|');
/** A capitalised given name; checked after matching (see NAME_STOPWORDS). One per phrase. */
const NAME = '(?<name>[A-Za-z\\u00c0-\\u024f][A-Za-z\\u00c0-\\u024f\\-]*)';

/** Shared vocabularies, as regular-expression source. Internal: written and reviewed with the table. */
export const SLOTS: Readonly<Record<string, string>> = {
  self: 'herself|himself|themselves|themself',
  age: AGE,
  child: CHILD_NOUN,
  /** Words that make an avoid term about a child: "teen prostitute", "15-year-old sex worker". */
  childadj: `child|children['’]?s|juvenile|teen|teenage|teenaged|underage|under${OPT_SEP}aged?|adolescent|minor|school(?:girl|boy)|girl|boy|youth|${AGE}`,
  /** The person a buyer pays or picks up. */
  person: `her|him|(?:the|a|this|that|one|both)${SEP}(?:${CHILD_NOUN})|${CHILD_NOUN}`,
  /** The Luxembourg "client" words. "john" is checked for capitals after matching (a given name). */
  buyer: 'clients?|customers?|johns?|punters?',
  /** A small number of people: "up to ten clients". */
  count: `\\d+|a${SEP}few|few|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|some|numerous`,
  /** Any one word. */
  word: '[A-Za-z\\u00c0-\\u024f0-9]+',
  name: NAME,
};

export function compilePhrase(phrase: string): string {
  let out = '';
  for (let i = 0; i < phrase.length; i++) {
    const c = phrase.charAt(i);
    if (c === ' ' || c === '-') {
      // A run of spaces/hyphens in the phrase is one separator.
      if (!out.endsWith(SEP)) out += SEP;
    } else if (c === '~') out += OPT_SEP;
    else if (c === '(') out += '(?:';
    else if (c === ')' || c === '|' || c === '?') out += c;
    else if (c === "'" || c === '’') out += "['’]";
    else if (c === '{') {
      const close = phrase.indexOf('}', i);
      const name = close > i ? phrase.slice(i + 1, close) : '';
      const slot = SLOTS[name];
      if (slot === undefined) throw new Error(`terminology: unknown slot {${name}} in "${phrase}"`);
      out += `(?:${slot})`;
      i = close;
    } else if (/[\p{L}\p{N}]/u.test(c)) out += c;
    else throw new Error(`terminology: unsupported character "${c}" in "${phrase}"`);
  }
  return out;
}

/** Lower-case substrings one of which every match of a slot contains; slots not listed have none. */
const SLOT_NEEDLES: Readonly<Record<string, readonly string[]>> = {
  self: ['sel'],
  buyer: ['client', 'customer', 'john', 'punter'],
};

/**
 * Lower-case substrings one of which every match of the phrase must contain, or null when the phrase
 * has no usable literal. The guard skips a phrase whose needles are all absent from the text, so a
 * narrative without "client" never runs the client patterns.
 */
export function phraseNeedles(phrase: string): readonly string[] | null {
  let i = 0;
  function sequence(): (readonly string[] | null)[] {
    const items: (readonly string[] | null)[] = [];
    let run = '';
    const endRun = () => {
      if (run.length > 0) items.push([run.toLowerCase()]);
      run = '';
    };
    while (i < phrase.length) {
      const c = phrase.charAt(i);
      if (c === ')' || c === '|') break;
      i++;
      if (c === '(') {
        endRun();
        const group = alternatives();
        i++; // ')'
        if (phrase.charAt(i) === '?') {
          i++;
          items.push(null);
        } else items.push(group);
      } else if (c === '{') {
        endRun();
        const close = phrase.indexOf('}', i);
        const slot = SLOT_NEEDLES[phrase.slice(i, close)] ?? null;
        i = close + 1;
        if (phrase.charAt(i) === '?') {
          i++;
          items.push(null);
        } else items.push(slot);
      } else if (c === '?') {
        // The previous letter is optional: the run so far stops before it.
        run = run.slice(0, -1);
        endRun();
      } else if (/[\p{L}\p{N}]/u.test(c)) run += c;
      else endRun();
    }
    endRun();
    return items;
  }
  function best(items: (readonly string[] | null)[]): readonly string[] | null {
    let chosen: readonly string[] | null = null;
    let score = 0;
    for (const item of items) {
      if (item === null) continue;
      const shortest = Math.min(...item.map((n) => n.length));
      if (shortest > score) {
        chosen = item;
        score = shortest;
      }
    }
    return chosen;
  }
  function alternatives(): readonly string[] | null {
    const options: (readonly string[] | null)[] = [best(sequence())];
    while (phrase.charAt(i) === '|') {
      i++;
      options.push(best(sequence()));
    }
    if (options.some((o) => o === null)) return null;
    return [...new Set(options.flatMap((o) => o ?? []))];
  }
  const needles = alternatives();
  return needles !== null && Math.min(...needles.map((n) => n.length)) >= 3 ? needles : null;
}

/** A whole-word, case-insensitive, global RegExp for a list of phrases. */
export function phraseRegExp(phrases: readonly string[]): RegExp {
  return new RegExp(`\\b(?:${phrases.map(compilePhrase).join('|')})\\b`, 'gi');
}

/** Matches when one of the phrases ends the text just before a match (separators allowed between). */
export function precedingRegExp(phrases: readonly string[]): RegExp {
  return new RegExp(
    `(?:(?<![\\p{L}\\p{N}])|(?=['’]))(?:${phrases.map(compilePhrase).join('|')})${OPT_SEP}$`,
    'iu',
  );
}

/**
 * A required prefix (see PatternSpec.prefix): sticky, tried at word starts before a match, and must
 * run to the end of the text it is given (the text just before the match).
 */
export function prefixRegExp(prefix: string): RegExp {
  return new RegExp(`(?:${compilePhrase(prefix)})$`, 'iuy');
}

/** Matches when one of the phrases starts the text just after a match. */
export function followingRegExp(phrases: readonly string[]): RegExp {
  return new RegExp(`^${OPT_SEP}(?:${phrases.map(compilePhrase).join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

/** Words the {name} slot must not be: pronouns, determiners, agencies. */
export const NAME_STOPWORDS: ReadonlySet<string> = new Set(
  [
    'she',
    'he',
    'they',
    'the',
    'her',
    'his',
    'their',
    'it',
    'this',
    'that',
    'police',
    'oranga',
    'ot',
    'whānau',
    'whanau',
    'kāinga',
    'te',
    'ngā',
    'nga',
    'ministry',
    'msd',
    'winz',
    'acc',
    'school',
    'kura',
    'service',
    'trust',
    'centre',
    'ngo',
    'tiaki',
    'agency',
    'iwi',
    'hapū',
  ].map((word) => word.toLowerCase()),
);

// ── Sentence-level cues ───────────────────────────────────────────────────────────────────────────

const ADULT_AGE = '(?:1[89]|[2-9]\\d)';

/** Buying or selling sex, or the places and means of it: "client" means a buyer only with one. */
const COMMERCIAL_SEX = new RegExp(
  [
    '\\b(?:sex|sexual(?:ly)?|paid|pay|pays|paying|payment|money|cash|dollars|in exchange|in return',
    'escort\\w*|pimp\\w*|brothel|parlour|stable|street|corner|motel|hotel|booked|bookings?|ads?',
    'advert\\w*|online|app|apps|snapchat|telegram|instagram|tinder|grindr|website|sugar',
    'exploit\\w*|traffick\\w*|forced|made to|abus\\w*',
    'for (?:drugs|meth|weed|alcohol|food|smokes|vapes|a place to stay|accommodation|a bed))\\b|\\$\\s?\\d',
  ].join('|'),
  'i',
);

/** Exploitation, abuse, adults, offenders: choice and agreement words only mean consent near these. */
const EXPLOITATION = new RegExp(
  [
    '\\b(?:sex|sexual(?:ly)?|exploit\\w*|abus\\w*|groom\\w*|paid|pay|money|cash|men|man|older|adults?',
    `${ADULT_AGE}[\\s-]*(?:years?|yrs?)[\\s-]*old|guys|pimp\\w*|gang|mob|pad|street|motel|hotel`,
    'party|parties|drugs|meth|alcohol|vapes?|smokes|boyfriend|lifestyle|clients|customers|punters',
    'johns|photos|pictures|images|nudes?|videos?|offend\\w*|perpetrat\\w*|accused|suspect|prostitut\\w*',
    'hurt|hurts|hit|hits|violen\\w*|assault\\w*|threat\\w*|controll\\w*|trafficker\\w*)\\b|\\$\\s?\\d',
  ].join('|'),
  'i',
);

/** Coercion or an adult: what turns "sexting" into abuse. */
const COERCION = new RegExp(
  [
    '\\b(?:forc\\w*|coerc\\w*|pressur\\w*|threat\\w*|blackmail\\w*|demand\\w*|groom\\w*|extort\\w*',
    'made (?:her|him|them)|paid|pay|money|cash|in exchange|older|adults?|man|men|offender|perpetrator',
    `stranger|${ADULT_AGE}[\\s-]*(?:years?|yrs?)[\\s-]*old|aged?\\s+${ADULT_AGE})\\b|\\(${ADULT_AGE}\\)|\\$\\s?\\d`,
  ].join('|'),
  'i',
);

/** A child named as the subject: an age under 18, "underage", "the young person". */
const MINOR_MARKER = new RegExp(
  [
    `\\b(?:${AGE}|aged?\\s+${AGE_NUMBER}|under[\\s-]?(?:age|aged|18|16|eighteen|sixteen)|minor`,
    '(?:the|this|a)\\s+(?:child|young\\s+person|rangatahi|tamaiti|k(?:ō|o)tiro|girl|boy|teen|teenager|student)|school(?:girl|boy)',
    `year\\s+(?:[7-9]|1[0-3])|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\\b`,
    `\\(${AGE_NUMBER}\\)|,\\s${AGE_NUMBER},`,
  ].join('|'),
  'gi',
);

/** An adult named as the subject: "her mother is a sex worker" is not about the child. */
const ADULT_MARKER = new RegExp(
  [
    '\\b(?:mum|mother|mom|mam|father|dad|step(?:mum|mother|dad|father)|aunt|aunty|auntie|whaea|nan|nana',
    'nanny|kuia|grandmother|grandma|koro|adults?|woman|women|lady|ladies|older',
    `${ADULT_AGE}[\\s-]*(?:years?|yrs?)[\\s-]*old|aged?\\s+${ADULT_AGE})\\b|\\(${ADULT_AGE}\\)`,
  ].join('|'),
  'gi',
);

const GAMBLING = /\b(?:TAB|bet|bets|betting|odds|racing|races|punts?|pokies|gambl\w*|bookie|bookmaker)\b/i;
const PAID_JOB =
  /\b(?:job|shift|part[\s-]time|café|cafe|dairy owner|shop|store|takeaways?|supermarket|countdown|new world|pak['’]?n[\s']?save|mcdonald['’]?s|kfc|bakery|restaurant|boss|employer|wages|retail|checkout)\b/i;
const PEER =
  /\b(?:peers?|same[\s-]age|similar[\s-]age|classmates?|both (?:aged )?(?:1[0-7]|[1-9])|two (?:1[0-7]|[1-9])[\s-]*year[\s-]*olds|between (?:two )?(?:teenagers|students|young people))\b/i;

/** A professional as the subject just before the match: "the social worker said her clients ...". */
const WORKER_SUBJECT_ROLE =
  /\b(?:(?:social|youth|case|support|key|outreach|community)[\s-]?workers?|caseworkers?|counsellors?|lawyers?|nurses?|practitioners?|kaimahi|navigators?|psychologists?|therapists?|advocates?|doctors?|clinicians?|teachers?|staff|services?|agency|agencies|providers?|ngos?|programmes?|teams?|organisations?|clinics?|trusts?)\s+(?:\S+\s+){0,2}$/i;
const WORKER_SUBJECT_PRONOUN = /(?:^|\s)(?:I|[Ww]e)\s+(?:\S+\s+){0,2}$/;

/** The text a rule looks at around one match. */
export interface Scope {
  text: string;
  start: number;
  end: number;
  /** The sentence containing the match (computed lazily by the guard). */
  sentence(): { start: number; end: number };
}

export type ContextName = 'commercialSex' | 'exploitation' | 'coercion' | 'minorSubject';
export type ExclusionName = 'gambling' | 'paidJob' | 'peer';

function sentenceText(scope: Scope): string {
  const { start, end } = scope.sentence();
  return scope.text.slice(start, end);
}

function lastIndex(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let last = -1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    last = m.index;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

/** Required context: the match only counts when its sentence has this kind of cue. */
export const CONTEXTS: Readonly<Record<ContextName, (scope: Scope) => boolean>> = {
  commercialSex: (scope) => COMMERCIAL_SEX.test(sentenceText(scope)),
  exploitation: (scope) => EXPLOITATION.test(sentenceText(scope)),
  coercion: (scope) => COERCION.test(sentenceText(scope)),
  // The nearest person marker before the match is a child, not an adult.
  minorSubject: (scope) => {
    const before = scope.text.slice(scope.sentence().start, scope.start);
    return lastIndex(MINOR_MARKER, before) > lastIndex(ADULT_MARKER, before);
  },
};

/** Exclusions: the match does not count when its sentence has this kind of cue. */
export const EXCLUSIONS: Readonly<Record<ExclusionName, (scope: Scope) => boolean>> = {
  gambling: (scope) => GAMBLING.test(sentenceText(scope)),
  paidJob: (scope) => PAID_JOB.test(sentenceText(scope)),
  peer: (scope) => PEER.test(sentenceText(scope)),
};

export function workerIsSubject(scope: Scope): boolean {
  const before = scope.text.slice(Math.max(scope.sentence().start, scope.start - 80), scope.start);
  return WORKER_SUBJECT_ROLE.test(before) || WORKER_SUBJECT_PRONOUN.test(before);
}

// ── Negation ──────────────────────────────────────────────────────────────────────────────────────

const CLAUSE_BREAK =
  /[,;:()\u2013\u2014]|\b(?:but|because|and|so|since|as|that|when|while|which|who|although|though|after|before|if)\b/gi;
const NEGATOR =
  /\b(?:not|never|no|cannot|cant|nor|neither|unable|incapable|without|too young|hardly|far from|nobody|no one|none)\b|n['’]t\b/i;

/** "was not willing", "never consented", "didn't ask for it": a negator in the last six words of the clause. */
export function isNegated(scope: Scope): boolean {
  let clause = scope.text.slice(Math.max(scope.sentence().start, scope.start - 100), scope.start);
  const cut = lastBreak(clause);
  if (cut >= 0) clause = clause.slice(cut);
  const words = clause.trim().split(/\s+/).slice(-6).join(' ');
  return NEGATOR.test(words);
}

function lastBreak(clause: string): number {
  CLAUSE_BREAK.lastIndex = 0;
  let last = -1;
  for (let m = CLAUSE_BREAK.exec(clause); m !== null; m = CLAUSE_BREAK.exec(clause)) {
    last = m.index + m[0].length;
  }
  return last;
}
