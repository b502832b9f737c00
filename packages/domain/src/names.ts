// Names for the product's look-ups and candidate search. Normalising, sound-alike keys and known
// other forms of a name come from the one name matcher in @tiaki/linkage, so the candidates found
// here are the ones the engine scores and the encoder encodes, spelt the same way.
import { nameFormKeys, normalise, phoneticKey } from '@tiaki/linkage/names';

/**
 * Canonical form of a name for exact matching: macrons and other diacritics removed (ā → a),
 * case folded, apostrophes and okina dropped (Maʻafu = Ma'afu = Maafu), other punctuation
 * (hyphens, full stops) turned to spaces, spaces collapsed. "Tāne  O'Neil-Smith" → "tane oneil smith".
 */
export function normaliseName(name: string): string {
  return normalise(name);
}

/**
 * A sound-alike key of a whole name (spaces removed): the engine's phonetic key, which keeps
 * vowel positions and treats wh/f/ph, c/k/q, s/z and doubled letters alike. "Smyth" and "Smith"
 * share one; so do "Ngāire" and "Ngaire". A blocking key, not a match.
 */
export function soundKey(name: string): string {
  return phoneticKey(normalise(name).replace(/\s+/g, ''));
}

/**
 * Keys under which to look for the same child: each name's sound key, the known other forms of
 * each name (Bill and William, Sione and John share one), and the birth date, and the birth year
 * with the family name's initial. Two records sharing any key are compared; the rest never are.
 */
export function blockingKeys(child: {
  givenNames?: string | null | undefined;
  familyName?: string | null | undefined;
  aliases?: readonly string[] | undefined;
  dateOfBirth?: string | null | undefined;
}): string[] {
  const keys = new Set<string>();
  const names = [child.givenNames, child.familyName, ...(child.aliases ?? [])];
  for (const name of names) {
    for (const token of normalise(name ?? '').split(' ')) {
      // Two-letter words ("te", "ah", "le") would gather half the country.
      if (token.length < 3) continue;
      keys.add(`s:${phoneticKey(token)}`);
      for (const form of nameFormKeys(token)) keys.add(`f:${form}`);
    }
  }
  const family = normalise(child.familyName ?? '');
  if (child.dateOfBirth) {
    keys.add(`d:${child.dateOfBirth}`);
    if (family) keys.add(`y:${child.dateOfBirth.slice(0, 4)}:${family.charAt(0)}`);
  }
  return [...keys];
}
