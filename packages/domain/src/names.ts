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
