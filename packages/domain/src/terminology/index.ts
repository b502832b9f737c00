/**
 * Terminology guard: flags Luxembourg Guidelines "avoid" terms and language implying that a child
 * consented to, or is complicit in, their own exploitation. See docs/terminology.md.
 */
export { CONSENT_REMINDER, TERMINOLOGY_RULES } from './rules.ts';
export type { FindingKind, PatternSpec, TerminologyRule } from './rules.ts';
export type { ContextName, ExclusionName } from './language.ts';
export { checkTerminology } from './guard.ts';
export type { TerminologyFinding } from './guard.ts';
