import type { Taxonomy } from './types.ts';
import { TAXONOMY_2026_1 } from './versions/2026.1.ts';

/**
 * Every released taxonomy version, keyed by version. A released version never changes: to change
 * the taxonomy, add a version file under versions/, register it here and point CURRENT at it.
 * Referrals keep the version they were recorded under, so old versions stay here for ever.
 */
export const TAXONOMIES: Readonly<Record<string, Taxonomy>> = Object.freeze({
  [TAXONOMY_2026_1.version]: TAXONOMY_2026_1,
});

/** The version new referrals are recorded under. */
export const CURRENT_TAXONOMY: Taxonomy = TAXONOMY_2026_1;
export const CURRENT_TAXONOMY_VERSION: string = CURRENT_TAXONOMY.version;

/** The released taxonomy with this version, or undefined if there is none. */
export function taxonomyVersion(version: string): Taxonomy | undefined {
  return Object.hasOwn(TAXONOMIES, version) ? TAXONOMIES[version] : undefined;
}

/** True if `code` is in the list (by code). */
export function hasCode(list: readonly { code: string }[], code: string): boolean {
  return list.some((entry) => entry.code === code);
}

/** The entry with this code, or undefined. */
export function findByCode<T extends { code: string }>(list: readonly T[], code: string): T | undefined {
  return list.find((entry) => entry.code === code);
}

/** Every subtype of every manifestation (subtype codes are unique across the taxonomy). */
export function manifestationSubtypes(taxonomy: Taxonomy = CURRENT_TAXONOMY) {
  return taxonomy.manifestations.flatMap((m) =>
    (m.subtypes ?? []).map((s) => ({ ...s, manifestation: m.code })),
  );
}

/**
 * The narrowest age band for an age in whole years, or undefined (18 or over, or not a valid age).
 * Narrow bands are listed first, so the first match is the narrowest.
 */
export function ageBandForAge(age: number, taxonomy: Taxonomy = CURRENT_TAXONOMY) {
  return taxonomy.ageBands.find((band) => age >= band.min && age <= band.max);
}
