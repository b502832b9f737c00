/**
 * Canonical form of a name for exact matching: macrons and other diacritics removed (ā → a),
 * case folded, punctuation (hyphens, apostrophes, full stops) turned to spaces, spaces collapsed.
 * "Tāne  O'Neil-Smith" → "tane o neil smith".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A rough sound-alike key: the first letter, then consonants with common spelling variants
 * merged (c/k/q, ph/f, wh/w, double letters). "Smyth" and "Smith" both give "smt"; so do
 * "Ngāire" and "Ngaire" ("nr"). A blocking key, not a match: it only finds candidates to score.
 */
export function soundKey(name: string): string {
  const folded = normaliseName(name).replace(/\s+/g, '');
  if (!folded) return '';
  const merged = folded
    .replace(/ph/g, 'f')
    .replace(/wh/g, 'w')
    .replace(/ng/g, 'n')
    .replace(/[ckq]/g, 'k')
    .replace(/[sz]/g, 's')
    .replace(/(.)\1+/g, '$1');
  const first = merged.charAt(0);
  const rest = merged.slice(1).replace(/[aeiouyhw]/g, '');
  return (first + rest).slice(0, 5);
}

/**
 * Keys under which to look for the same child: each name's sound key, and the birth year with
 * the family name's initial. Two records sharing any key are compared; the rest never are.
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
    for (const token of normaliseName(name ?? '').split(' ')) {
      const key = soundKey(token);
      // One-letter keys ("te", "ro") would gather half the country.
      if (key.length >= 2) keys.add(`s:${key}`);
    }
  }
  const family = normaliseName(child.familyName ?? '');
  if (child.dateOfBirth) {
    keys.add(`d:${child.dateOfBirth}`);
    if (family) keys.add(`y:${child.dateOfBirth.slice(0, 4)}:${family.charAt(0)}`);
  }
  return [...keys];
}
