import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TERMINOLOGY_CORPUS } from './corpus.ts';
import { CONSENT_REMINDER, TERMINOLOGY_RULES, checkTerminology, type TerminologyFinding } from './index.ts';

/** [ruleId, text] pairs, in order. */
function found(text: string): [string, string][] {
  return checkTerminology(text).map((f) => [f.ruleId, f.text]);
}

function expectWellFormed(text: string, findings: TerminologyFinding[]): void {
  for (const [i, f] of findings.entries()) {
    expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(f.end).toBeGreaterThan(f.start);
    const next = findings[i + 1];
    if (next) expect(next.start).toBeGreaterThanOrEqual(f.end);
  }
}

describe('terminology table', () => {
  it('has unique ids, preferred terms and one-line reasons', () => {
    const ids = TERMINOLOGY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of TERMINOLOGY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(rule.preferred.length).toBeGreaterThan(0);
      expect(rule.patterns.length).toBeGreaterThan(0);
      expect(rule.reason).not.toMatch(/\n/);
      expect(rule.reason.length).toBeLessThan(120);
    }
  });

  it('is exercised by the corpus: every rule has at least one positive sentence', () => {
    const expected = new Set(TERMINOLOGY_CORPUS.flatMap((c) => c.expect));
    for (const rule of TERMINOLOGY_RULES) expect(expected, rule.id).toContain(rule.id);
    for (const id of expected) expect(TERMINOLOGY_RULES.map((r) => r.id)).toContain(id);
  });

  it('states the consent reminder', () => {
    expect(CONSENT_REMINDER).toMatch(/child cannot consent/i);
  });
});

describe('checkTerminology: exact findings', () => {
  it('reports span, text, rule, preferred terms and reason', () => {
    const text = 'Police found child pornography on his phone.';
    expect(checkTerminology(text)).toEqual([
      {
        kind: 'avoid_term',
        start: 13,
        end: 30,
        text: 'child pornography',
        ruleId: 'child-pornography',
        preferred: ['child sexual abuse material', 'child sexual exploitation material'],
        reason: expect.any(String) as string,
      },
    ]);
  });

  it('matches across line breaks, hyphens and case, keeping the input text', () => {
    const text = 'He had CHILD\nporn, kiddie-porn and child -\n pornography.';
    expect(found(text)).toEqual([
      ['child-pornography', 'CHILD\nporn'],
      ['child-pornography', 'kiddie-porn'],
      ['child-pornography', 'child -\n pornography'],
    ]);
  });

  it('counts UTF-16 code units (emoji, macrons)', () => {
    const text = '🙏 Ōtāhuhu: the kōtiro was called a child prostitute.';
    const [f] = checkTerminology(text);
    expect(f?.ruleId).toBe('child-prostitute');
    expect(f?.start).toBe(text.indexOf('child prostitute'));
    expect(f?.text).toBe('child prostitute');
  });

  it('prefers the longest match', () => {
    expect(found('It was webcam child sex tourism.')).toEqual([
      ['webcam-child-sex-tourism', 'webcam child sex tourism'],
    ]);
    expect(found('Police found a child sex worker.')).toEqual([['child-sex-worker', 'child sex worker']]);
  });

  it('finds several terms in one sentence, sorted by position', () => {
    const text = 'The client paid her, and Police said she chose to go and that it was consensual.';
    expect(found(text)).toEqual([
      ['client', 'client paid her'],
      ['chose', 'chose to'],
      ['consensual', 'consensual'],
    ]);
    expect(checkTerminology(text).map((f) => f.kind)).toEqual([
      'avoid_term',
      'implies_consent',
      'implies_consent',
    ]);
  });

  it('flags "client" only when the client is a buyer', () => {
    expect(found('My client is 14 and lives with her nan.')).toEqual([]);
    expect(found('The client disclosed that older men paid her for sex.')).toEqual([]);
    expect(found('Her clients paid her in cash.')).toEqual([['client', 'Her clients paid her']]);
    expect(found('Her clients found her online.')).toEqual([['client', 'Her clients']]);
    expect(found('Police identified clients of the girl.')).toEqual([['client', 'clients of the girl']]);
    expect(found('John picked her up; the johns paid her.')).toEqual([['client', 'johns paid her']]);
    expect(found('John picked her up from kura.')).toEqual([]);
  });

  it('does not flag negated consent language', () => {
    for (const text of [
      'She was not willing.',
      'She did not choose this life.',
      'Mele never consented.',
      'A child cannot consent.',
      "It wasn't consensual.",
      'She was too young to consent, and did not agree to any of it.',
      'She did not put herself at risk.',
    ]) {
      expect(found(text), text).toEqual([]);
    }
    expect(found('She was not forced, she chose to go with the men.')).toEqual([['chose', 'chose to']]);
  });

  it('skips legal titles and citations as a whole, but not terms around them', () => {
    const opsc = 'the Optional Protocol on the sale of children, child prostitution and child pornography';
    expect(found(`NZ ratified ${opsc} in 2011.`)).toEqual([]);
    expect(found(`Under ${opsc}, child porn is an offence.`)).toEqual([['child-pornography', 'child porn']]);
    expect(found('Crimes Act 1961 s 144C (organising or promoting child sex tours) applies.')).toEqual([]);
    expect(found('The Child Pornography Prevention Act 1996 (US).')).toEqual([]);
    expect(found('Prostitution Reform Act 2003 s 23: the child prostitute cannot be charged.')).toEqual([
      ['child-prostitute', 'child prostitute'],
    ]);
  });

  it('leaves quoted words alone (a mention, or what someone said) and flags the writer’s own words', () => {
    expect(found("Replace 'child pornography' with CSAM.")).toEqual([]);
    expect(found('The so-called child prostitutes were 13.')).toEqual([]);
    expect(found('He said, “you’re my working girl now.”')).toEqual([]);
    expect(found('Kaia said "I consented to it" but she is 14.')).toEqual([]);
    // An apostrophe is not a quotation mark: "Mele's" and "can't" open nothing.
    expect(found("Mele's uncle said she can't stop; she consented to it.")).toEqual([
      ['consented', 'consented to it'],
    ]);
    // The writer's own words around a quotation are still checked.
    expect(found('She said "he is nice" and she consented to it.')).toEqual([
      ['consented', 'consented to it'],
    ]);
    // An unclosed quotation mark quotes nothing.
    expect(found('She said " and then she consented to it.')).toEqual([['consented', 'consented to it']]);
  });

  it('keeps preferred terms, adult sex work and ordinary words unflagged', () => {
    for (const text of [
      'Police seized Child Sexual Abuse Material.',
      'She is a child exploited in prostitution.',
      'The images were shared without consent (non-consensual sharing).',
      'Her mother is a sex worker.',
      'She is a hard-working girl.',
      'He sells himself short.',
      'Sex with a minor is an offence.',
      'He showed her pornographic videos.',
      'Jayden chose a seat by the window.',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('handles empty and trigger-free text', () => {
    expect(checkTerminology('')).toEqual([]);
    expect(checkTerminology('Kia ora, the whānau hui is on Tuesday.')).toEqual([]);
  });
});

describe('checkTerminology: corpus', () => {
  it('returns well-formed findings for every sentence', () => {
    for (const c of TERMINOLOGY_CORPUS) expectWellFormed(c.text, checkTerminology(c.text));
  });

  it('keeps spans sorted, exact and non-overlapping in any mix of sentences', () => {
    const sentences = TERMINOLOGY_CORPUS.map((c) => c.text);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...sentences), fc.constantFrom(' ', '\n', '\n\n', '  ', ' — ')), {
          maxLength: 12,
        }),
        (parts) => {
          const text = parts.map(([s, sep]) => s + sep).join('');
          expectWellFormed(text, checkTerminology(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('meets precision and recall of at least 0.95', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const misses: string[] = [];
    for (const c of TERMINOLOGY_CORPUS) {
      const got = new Set(checkTerminology(c.text).map((f) => f.ruleId));
      const want = new Set(c.expect);
      for (const id of got) {
        if (want.has(id)) truePositives++;
        else {
          falsePositives++;
          misses.push(`false positive ${id}: ${c.text}`);
        }
      }
      for (const id of want) {
        if (!got.has(id)) {
          falseNegatives++;
          misses.push(`false negative ${id}: ${c.text}`);
        }
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    const positives = TERMINOLOGY_CORPUS.filter((c) => c.expect.length > 0).length;
    console.log(
      `terminology guard: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} over ` +
        `${TERMINOLOGY_CORPUS.length} sentences (${positives} positive, ` +
        `${TERMINOLOGY_CORPUS.length - positives} near misses)\n  ${misses.join('\n  ')}`,
    );
    expect(TERMINOLOGY_CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('logs the time for a 20,000-character narrative (not asserted)', () => {
    const all = TERMINOLOGY_CORPUS.map((c) => c.text).join(' ');
    const dense = all.repeat(Math.ceil(20_000 / all.length)).slice(0, 20_000);
    const plain =
      'Aroha lives with her nan in Porirua and attends kura most days. The social worker visited on ' +
      'Tuesday and discussed the safety plan with the whānau. ';
    const ordinary = plain.repeat(Math.ceil(20_000 / plain.length)).slice(0, 20_000);
    for (const [name, text] of [
      ['ordinary', ordinary],
      ['every sentence a trigger', dense],
    ] as const) {
      for (let i = 0; i < 10; i++) checkTerminology(text);
      const runs = 50;
      const start = performance.now();
      for (let i = 0; i < runs; i++) checkTerminology(text);
      const ms = (performance.now() - start) / runs;
      console.log(`terminology guard: ${ms.toFixed(2)} ms per 20,000 characters (${name})`);
    }
  });
});
