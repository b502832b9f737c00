/**
 * The matcher: compiles TERMINOLOGY_RULES once at module load, then scans a narrative.
 * Pure, synchronous, no I/O: meant to run on every keystroke.
 */
import { exemptSpans, type Span } from './exemptions.ts';
import {
  CONTEXTS,
  EXCLUSIONS,
  NAME_STOPWORDS,
  followingRegExp,
  isNegated,
  phraseNeedles,
  phraseRegExp,
  precedingRegExp,
  prefixRegExp,
  workerIsSubject,
  type ContextName,
  type ExclusionName,
  type Scope,
} from './language.ts';
import { TERMINOLOGY_RULES, type FindingKind, type PatternSpec, type TerminologyRule } from './rules.ts';

export interface TerminologyFinding {
  kind: FindingKind;
  /** Character span in the input (UTF-16 index, end exclusive). */
  start: number;
  end: number;
  /** The exact text matched, as in the input. */
  text: string;
  ruleId: string;
  preferred: string[];
  reason: string;
}

interface CompiledPattern {
  rule: TerminologyRule;
  order: number;
  regex: RegExp;
  /** Required words before the phrase, included in the finding. */
  prefix: RegExp | undefined;
  /** The phrase is only run when the lower-cased text contains one of these. */
  needles: readonly string[] | null;
  context: ContextName | undefined;
  precededBy: RegExp | undefined;
  notPrecededBy: RegExp[];
  notFollowedBy: RegExp[];
  unlessSentence: readonly ExclusionName[];
  notCapitalised: RegExp | undefined;
}

function compileRule(rule: TerminologyRule, order: number): CompiledPattern[] {
  const notCapitalised =
    rule.notCapitalised && rule.notCapitalised.length > 0
      ? new RegExp(
          `\\b(?:${rule.notCapitalised.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('|')})\\b`,
        )
      : undefined;
  return rule.patterns.map((pattern): CompiledPattern => {
    const spec: PatternSpec = typeof pattern === 'string' ? { phrase: pattern } : pattern;
    const notPrecededBy = [rule.notPrecededBy, spec.notPrecededBy].filter((p) => p !== undefined);
    const notFollowedBy = [rule.notFollowedBy, spec.notFollowedBy].filter((p) => p !== undefined);
    return {
      rule,
      order,
      regex: phraseRegExp([spec.phrase]),
      prefix: spec.prefix === undefined ? undefined : prefixRegExp(spec.prefix),
      needles: phraseNeedles(spec.phrase),
      context: spec.context ?? rule.context,
      precededBy: spec.precededBy ? precedingRegExp(spec.precededBy) : undefined,
      notPrecededBy: notPrecededBy.map(precedingRegExp),
      notFollowedBy: notFollowedBy.map(followingRegExp),
      unlessSentence: rule.unlessSentence ?? [],
      notCapitalised,
    };
  });
}

const COMPILED: readonly CompiledPattern[] = TERMINOLOGY_RULES.flatMap(compileRule);

/** Every needle of every phrase, longest first, in one RegExp: one pass finds which are present. */
const NEEDLES = new RegExp(
  [...new Set(COMPILED.flatMap((p) => p.needles ?? []))].sort((a, b) => b.length - a.length).join('|'),
  'gi',
);

/**
 * The needles found in the text (each as the longest needle starting at its position). A needle is
 * present when it is part of one of these: a shorter needle starting at the same place is a prefix.
 */
function presentNeedles(text: string): (needle: string) => boolean {
  const found = new Set<string>();
  NEEDLES.lastIndex = 0;
  for (let m = NEEDLES.exec(text); m !== null; m = NEEDLES.exec(text)) {
    found.add(m[0].toLowerCase());
    NEEDLES.lastIndex = m.index + 1;
  }
  const cache = new Map<string, boolean>();
  return (needle) => {
    let hit = cache.get(needle);
    if (hit === undefined) {
      hit = [...found].some((f) => f.includes(needle));
      cache.set(needle, hit);
    }
    return hit;
  };
}

const LETTER = /[\p{L}\p{N}\p{M}]/u;
/** Letter, digit or combining mark (so "tāchild" is one word); ASCII without a RegExp. */
function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return LETTER.test(ch);
}
const QUOTE_OPEN = new Set(['"', "'", '‘', '“', '«']);
const QUOTE_CLOSE = new Set(['"', "'", '’', '”', '»']);
const SO_CALLED = /\bso[\s\-‐‑]?called\s*["'‘“]?$/i;
const LOOK = 80;
/** The longest stretch taken as one quotation; longer, an unclosed mark is not a quotation. */
const MAX_QUOTE = 600;

/**
 * Spans inside quotation marks: someone's own words, written down as the form asks. A straight
 * double quote pairs with the next one; curly quotes pair “ with ” and ‘ with ’; a single mark
 * opens only where a word starts after it (not an apostrophe: "Mele's", "can't") and closes only
 * where no letter follows. A quotation never runs over a blank line.
 */
function quotedSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const prev = i > 0 ? text.charAt(i - 1) : ' ';
    const next = text.charAt(i + 1);
    let close: ((at: number) => boolean) | null = null;
    if (c === '"' || c === '“' || c === '«') {
      const want = c === '«' ? '»' : c === '“' ? '”' : '"';
      close = (at) => text.charAt(at) === want || (c === '“' && text.charAt(at) === '"');
    } else if ((c === "'" || c === '‘') && !isWordChar(prev) && next !== '' && isWordChar(next)) {
      close = (at) => {
        const ch = text.charAt(at);
        return (ch === "'" || ch === '’') && !isWordChar(text.charAt(at + 1) || ' ');
      };
    }
    if (close === null) {
      i++;
      continue;
    }
    let end = -1;
    for (let j = i + 1; j < Math.min(text.length, i + MAX_QUOTE); j++) {
      if (text.charAt(j) === '\n' && /^\n[ \t\r]*\n/.test(text.slice(j, j + 20))) break;
      if (close(j)) {
        end = j;
        break;
      }
    }
    if (end < 0) {
      i++;
      continue;
    }
    spans.push({ start: i + 1, end });
    i = end + 1;
  }
  return spans;
}

/** Start and end of the sentence around [start, end): split at . ! ? + space, or a blank line. */
function sentenceAround(text: string, start: number, end: number): Span {
  let s = start;
  const minS = Math.max(0, start - 600);
  while (s > minS) {
    const c = text.charAt(s - 1);
    if ((c === '.' || c === '!' || c === '?') && s < start && /\s/.test(text.charAt(s))) break;
    if (c === '\n' && /\n[ \t\r]*$/.test(text.slice(Math.max(0, s - 20), s - 1))) break;
    s--;
  }
  let e = end;
  const maxE = Math.min(text.length, end + 600);
  while (e < maxE) {
    const c = text.charAt(e);
    if ((c === '.' || c === '!' || c === '?') && (e + 1 >= text.length || /\s/.test(text.charAt(e + 1)))) {
      e++;
      break;
    }
    if (c === '\n' && /^[ \t\r]*\n/.test(text.slice(e + 1, e + 20))) break;
    e++;
  }
  return { start: s, end: e };
}

/** The {name} slot matched a capitalised given name, not a pronoun, an agency or a two-word name. */
function nameIsPlausible(text: string, name: string | undefined, nameStart: number): boolean {
  if (name === undefined) return true;
  if (!/^\p{Lu}/u.test(name) || NAME_STOPWORDS.has(name.toLowerCase())) return false;
  // "Clients of Whānau Ora": a second capitalised word makes it an organisation.
  const nameEnd = nameStart + name.length;
  return !/^\s+\p{Lu}/u.test(text.slice(nameEnd, nameEnd + 3));
}

/** A prefix is at most this many words ("had up to ten regular clients"). */
const PREFIX_WORDS = 8;

/**
 * Where the finding starts once a required prefix is included; ok is false when the prefix is absent
 * or a {name} slot matched something that is not a name. Tries the longest prefix first.
 */
function withPrefix(
  p: CompiledPattern,
  match: RegExpExecArray,
  text: string,
): { start: number; ok: boolean } {
  const start = match.index;
  if (!p.prefix) {
    const name = match.groups?.name;
    const nameStart = name === undefined ? start : start + match[0].indexOf(name);
    return { start, ok: nameIsPlausible(text, name, nameStart) };
  }
  const from = Math.max(0, start - LOOK);
  const before = text.slice(from, start);
  const wordStarts: number[] = [];
  for (let i = before.length - 1; i >= 0 && wordStarts.length < PREFIX_WORDS; i--) {
    if (isWordChar(before.charAt(i)) && (i === 0 || !isWordChar(before.charAt(i - 1)))) {
      wordStarts.push(i);
    }
  }
  for (let k = wordStarts.length - 1; k >= 0; k--) {
    const at = wordStarts[k] ?? 0;
    p.prefix.lastIndex = at;
    const m = p.prefix.exec(before);
    if (m !== null) {
      const name = m.groups?.name;
      const nameStart = name === undefined ? 0 : from + at + m[0].indexOf(name);
      return { start: from + at, ok: nameIsPlausible(text, name, nameStart) };
    }
  }
  return { start, ok: false };
}

function accepts(p: CompiledPattern, text: string, start: number, end: number): boolean {
  // Whole words in any script: the RegExp's \b only knows ASCII letters ("tāchild").
  if (start > 0 && isWordChar(text.charAt(start - 1))) return false;
  if (end < text.length && isWordChar(text.charAt(end))) return false;
  if (p.notCapitalised?.test(text.slice(start, end))) return false;

  // A term in quotation marks on its own, or "so-called", is mentioned rather than used.
  const before = text.slice(Math.max(0, start - LOOK), start);
  if (QUOTE_OPEN.has(text.charAt(start - 1)) && QUOTE_CLOSE.has(text.charAt(end))) return false;
  if (SO_CALLED.test(before)) return false;

  if (p.precededBy && !p.precededBy.test(before)) return false;
  if (p.notPrecededBy.some((re) => re.test(before))) return false;
  if (p.notFollowedBy.length > 0) {
    const after = text.slice(end, end + LOOK);
    if (p.notFollowedBy.some((re) => re.test(after))) return false;
  }

  let sentence: Span | undefined;
  const scope: Scope = {
    text,
    start,
    end,
    sentence: () => (sentence ??= sentenceAround(text, start, end)),
  };
  if (p.context && !CONTEXTS[p.context](scope)) return false;
  if (p.unlessSentence.some((name) => EXCLUSIONS[name](scope))) return false;
  if (p.rule.unlessWorkerSubject && workerIsSubject(scope)) return false;
  if (p.rule.negatable && isNegated(scope)) return false;
  return true;
}

interface Candidate {
  pattern: CompiledPattern;
  start: number;
  end: number;
}

/**
 * Finds avoid terms and consent/complicity language in a narrative. Findings are sorted by start and
 * never overlap: where two matches overlap the longer wins, then the earlier, then the earlier rule.
 */
export function checkTerminology(text: string): TerminologyFinding[] {
  const candidates: Candidate[] = [];
  let exempt: Span[] | undefined;
  let quoted: Span[] | undefined;
  const contains = presentNeedles(text);
  for (const pattern of COMPILED) {
    if (pattern.needles !== null && !pattern.needles.some(contains)) continue;
    const re = pattern.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const end = m.index + m[0].length;
      const { start, ok } = withPrefix(pattern, m, text);
      if (ok && accepts(pattern, text, start, end)) {
        exempt ??= exemptSpans(text);
        quoted ??= quotedSpans(text);
        if (
          !exempt.some((span) => span.start < end && start < span.end) &&
          // Someone's own words in quotation marks are the record of what was said.
          !quoted.some((span) => span.start <= start && end <= span.end)
        ) {
          candidates.push({ pattern, start, end });
          continue;
        }
      }
      // Rejected: look again from the next character, in case a shorter match starts inside.
      re.lastIndex = m.index + 1;
    }
  }

  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.pattern.order - b.pattern.order,
  );
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (!chosen.some((k) => k.start < c.end && c.start < k.end)) chosen.push(c);
  }
  chosen.sort((a, b) => a.start - b.start);

  return chosen.map(({ pattern: { rule }, start, end }) => ({
    kind: rule.kind,
    start,
    end,
    text: text.slice(start, end),
    ruleId: rule.id,
    preferred: [...rule.preferred],
    reason: rule.reason,
  }));
}
