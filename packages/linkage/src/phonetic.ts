// A phonetic key that knows te reo Māori and Pacific spelling as well as English.
// Soundex and Metaphone were built for English surnames: they drop vowels (which carry most of a
// Māori name), code "wh" as "w" (it sounds close to "f") and split "ng" (one sound in te reo).
// This key keeps every vowel position, folds long vowels (macrons, doubled vowels), and maps the
// spellings people interchange when they hear a name: wh/f/ph, c/k/q, s/z, doubled consonants.

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.has(c);
}

function keyOfToken(token: string): string {
  if (/\d/.test(token)) return token;
  let s = token;
  // Silent English onsets.
  s = s.replace(/^kn/, 'n').replace(/^wr/, 'r').replace(/^gn/, 'n').replace(/^ps/, 's').replace(/^rh/, 'r');
  s = s.replace(/^chr/, 'kr').replace(/mb$/, 'm');
  // y is a vowel except before a vowel at the start ("Yolanda").
  s = s.replace(/y(?![aeiou])/g, 'i').replace(/^y/, 'Y');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const n = s.charAt(i + 1);
    if (c === 'w' && n === 'h') {
      out += 'f';
      i++;
    } else if (c === 'p' && n === 'h') {
      out += 'f';
      i++;
    } else if (c === 'n' && n === 'g') {
      out += 'N';
      i++;
    } else if (c === 't' && n === 'h') {
      out += 'T';
      i++;
    } else if (c === 's' && n === 'h') {
      out += 'S';
      i++;
    } else if (c === 't' && n === 'c' && s.charAt(i + 2) === 'h') {
      out += 'C';
      i += 2;
    } else if (c === 'c' && n === 'h') {
      out += 'C';
      i++;
    } else if (c === 'c' && n === 'k') {
      out += 'k';
      i++;
    } else if (c === 'c') {
      out += n === 'e' || n === 'i' ? 's' : 'k';
    } else if (c === 'q') {
      out += 'k';
    } else if (c === 'x') {
      out += 'ks';
    } else if (c === 'z') {
      out += 's';
    } else if (c === 'd' && n === 'g') {
      out += 'j';
      i++;
    } else if (c === 'h') {
      // h is a consonant in te reo (Hemi, Aroha) but silent at the end of English syllables (Sarah).
      if (isVowel(n)) out += 'h';
    } else if (isVowel(c)) {
      out += 'a';
    } else {
      out += c;
    }
  }
  // One vowel per run (long vowels, diphthongs) and one consonant per doubled consonant.
  let key = '';
  for (const c of out) if (key.charAt(key.length - 1) !== c) key += c;
  return key;
}

/** Phonetic key of a normalised name (each token keyed, joined by spaces). */
export function phoneticKey(normalised: string): string {
  if (normalised === '') return '';
  return normalised.split(' ').map(keyOfToken).join(' ');
}

/** American Soundex, for comparison in tests and docs only: it is what te reo names should not rely on. */
export function soundex(normalised: string): string {
  const s = normalised.replace(/[^a-z]/g, '');
  if (s === '') return '';
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  };
  let out = s.charAt(0).toUpperCase();
  let last = codes[s.charAt(0)] ?? '';
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const c = s.charAt(i);
    const code = codes[c] ?? '';
    if (code !== '' && code !== last) out += code;
    if (c !== 'h' && c !== 'w') last = code;
  }
  return out.padEnd(4, '0');
}
