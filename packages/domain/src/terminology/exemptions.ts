/**
 * Spans the guard never flags inside: titles of instruments and organisations, and legal citations.
 * "Optional Protocol on the sale of children, child prostitution and child pornography" is the UN's
 * official title and must be quoted as it is; so must "Child Pornography Prevention Act 1996" and a
 * section heading such as "s 144C (organising or promoting child sex tours)".
 */

export interface Span {
  start: number;
  end: number;
}

/** Named titles that contain avoid terms and are not Acts (Acts are found by scanning, below). */
const NAMED_TITLES: readonly RegExp[] = [
  // OPSC, and the former title of the UN Special Rapporteur's mandate.
  /(?:optional\s+protocol|special\s+rapporteur)(?:\s+to\s+the\s+convention\s+on\s+the\s+rights\s+of\s+the\s+child)?\s+on\s+the\s+sale\s+of\s+children,?\s+child[\s-]+prostitution,?\s+and\s+child[\s-]+pornography/gi,
  // ECPAT's former names.
  /end\s+child\s+prostitution(?:,?\s+child\s+pornography,?\s+(?:and|&)\s+(?:the\s+)?trafficking\s+(?:of|in)\s+children(?:\s+for\s+sexual\s+purposes)?|\s+in\s+asian\s+tourism)/gi,
];

/** A section with its heading: "s 144C (organising or promoting child sex tours)", "section 20: “...”". */
const SECTION_HEADING =
  /\b(?<!['’])(?:ss?|sections?|cl|clauses?)\.?\s*\d+[A-Z]{0,3}(?:\([0-9a-z]{1,4}\))*\s*(?:\([^()\n]{1,160}\)|[,:]?\s*["“‘][^"”’\n]{1,160}["”’])/giu;

/** A section cited, then its heading quoted later in the clause: "Section 144C of the Crimes Act criminalises “...”". */
const SECTION_THEN_QUOTE =
  /\b(?<!['’])(?:ss?|sections?)\.?\s*\d+[A-Z]{0,3}(?:\([0-9a-z]{1,4}\))*[^.;\n"“”]{0,80}?["“][^"”\n]{1,160}["”]/giu;

/** The word that ends the title of an enactment. Case-sensitive: "Act", not "act". */
const ENACTMENT_END = /\b(?:Act|Bill|Regulations)\b/g;
const CONNECTORS = new Set(['and', 'of', 'the', 'on', 'for', 'to', 'in', '&', 'a', 'an', 'with']);
/** After the title: year, then a section citation, then a heading in brackets. */
const CITATION_TAIL =
  /(?:\s*\(?\d{4}\)?)?(?:,?\s*(?:ss?|sections?|cl|clauses?|regs?|pt|part)\.?\s*\d+[A-Z]{0,3}(?:\([0-9a-z]{1,4}\))*(?:\s*(?:[-–]|to|and|,)\s*\d+[A-Z]{0,3}(?:\([0-9a-z]{1,4}\))*)*(?:\s*\([^()\n]{1,160}\))?)?/y;

const UPPER = /^\p{Lu}/u;
const WORD_CHAR = /[\p{L}\p{N}'’\-&]/u;

/**
 * "Films, Videos, and Publications Classification (Commercial Video on-Demand) Amendment Act 2020 s 4":
 * walk back from "Act" over capitalised words, connectors, commas and bracketed parts.
 */
function enactmentTitle(text: string, actStart: number, actEnd: number): Span | null {
  let start = actStart;
  let p = actStart;
  let words = 0;
  let capitalised = 0;
  while (p > 0 && words < 16) {
    let q = p;
    while (q > 0 && /[\s,]/.test(text.charAt(q - 1)) && text.charAt(q - 1) !== '\n') q--;
    if (q === 0) break;
    if (text.charAt(q - 1) === ')') {
      const open = text.lastIndexOf('(', q - 1);
      if (open < 0 || q - open > 100) break;
      p = open;
      start = open;
      continue;
    }
    let w = q;
    while (w > 0 && WORD_CHAR.test(text.charAt(w - 1))) w--;
    const word = text.slice(w, q);
    if (word.length === 0) break;
    if (UPPER.test(word)) capitalised++;
    else if (!CONNECTORS.has(word.toLowerCase())) break;
    words++;
    p = w;
    start = w;
  }
  // Trim lower-case connectors left at the front ("under the Crimes Act" starts at "Crimes").
  for (;;) {
    const m = /^([\p{L}&]+)[\s,]+/u.exec(text.slice(start, actStart));
    const first = m?.[1];
    if (m === null || first === undefined || !CONNECTORS.has(first)) break;
    start += m[0].length;
  }
  if (capitalised === 0) return null;
  CITATION_TAIL.lastIndex = actEnd;
  const tail = CITATION_TAIL.exec(text);
  return { start, end: actEnd + (tail ? tail[0].length : 0) };
}

/** Every exempt span in the text, unordered. */
export function exemptSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const re of [...NAMED_TITLES, SECTION_HEADING, SECTION_THEN_QUOTE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  ENACTMENT_END.lastIndex = 0;
  for (let m = ENACTMENT_END.exec(text); m !== null; m = ENACTMENT_END.exec(text)) {
    const span = enactmentTitle(text, m.index, m.index + m[0].length);
    if (span) spans.push(span);
  }
  return spans;
}
