import { beforeAll, describe, expect, it } from 'vitest';
import { febrlConfig } from './config.ts';
import { readRecords } from './csv.ts';
import { entityOf, evaluateLinks } from './evaluate.ts';
import { generateAgencyPair } from './generate-agencies.ts';
import { explain, link, type LinkResult } from './linkage.ts';
import type { LinkRecord } from './types.ts';

// Two agencies' files about children living in households: siblings and twins share a family
// name, an address and (twins) a birth date, never a given name.
const { left, right } = generateAgencyPair({ count: 1500, seed: 5, overlap: 0.5 });
const byId = new Map([...left, ...right].map((r) => [r.id, r]));
let result: LinkResult;

beforeAll(async () => {
  result = await link(left, right, { config: febrlConfig(), workers: 0, oneToOne: true });
});

const ids = (rs: LinkRecord[]) => rs.map((r) => r.id);

/** Wrong links between two children of one home (same family name and address). */
function siblingLinks(pairs: { a: string; b: string }[]): number {
  return pairs.filter((p) => {
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    return (
      entityOf(p.a) !== entityOf(p.b) &&
      a?.address1 !== undefined &&
      a.address1 === b?.address1 &&
      a.familyNames.join(' ').toLowerCase() === b.familyNames.join(' ').toLowerCase()
    );
  }).length;
}

describe('siblings and twins', () => {
  it('learns from the data that pairs sharing a home but not a given name are mostly siblings', () => {
    expect(result.model.household).toBeDefined();
    expect(result.model.household?.weight).toBeLessThan(0);
  });

  it('links far fewer siblings as one child than the same model without the household rule', async () => {
    const { household: _, ...withoutRule } = result.model;
    const naive = await link(left, right, { model: withoutRule, workers: 0, oneToOne: true });
    expect(siblingLinks(naive.pairs)).toBeGreaterThan(20);
    expect(siblingLinks(result.pairs)).toBeLessThan(siblingLinks(naive.pairs) / 3);
    const q = evaluateLinks(ids(left), ids(right), result.pairs);
    expect(q.f1).toBeGreaterThan(evaluateLinks(ids(left), ids(right), naive.pairs).f1);
  });

  it('says so in the explanation of a twin pair: the shared home is not counted', () => {
    const twin = (given: string, id: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: ['Fifita'],
      dateOfBirth: '2013-05-02',
      streetNumber: '14',
      address1: 'Kauri Street',
      suburb: 'Otara',
      postcode: '2023',
      state: '02',
    });
    const e = explain(twin('Mele', 'x'), twin('Losana', 'y'), result.model);
    expect(e.fields.some((f) => f.comparison === 'household' && f.weight < 0)).toBe(true);
    expect(e.probability).toBeLessThan(0.5);
    // The same child, given name recorded in another form: no household rule, a link.
    expect(explain(twin('Mele', 'x'), twin('Mary', 'y'), result.model).probability).toBeGreaterThan(0.5);
  });

  it('leaves FEBRL (no households: a differing given name there is a typing error) alone', async () => {
    const all = await readRecords(`${import.meta.dirname}/../reference/febrl/dataset1.csv`, 'febrl');
    const res = await link(
      all.filter((r) => r.id.endsWith('-org')),
      all.filter((r) => r.id.endsWith('-dup-0')),
      { config: febrlConfig(), workers: 0, oneToOne: true },
    );
    expect(res.model.household).toBeUndefined();
  });
});
