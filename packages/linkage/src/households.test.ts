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

  it('links one child whose given name was mistyped at the same home and birth date, and not twins', () => {
    const atHome = (given: string, family: string, dateOfBirth: string, id: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: [family],
      dateOfBirth,
      streetNumber: '64',
      address1: 'Rata Drive',
      suburb: 'South Dunedin',
      postcode: '9012',
      state: '14',
    });
    // One typing error in the given name, same family, home and birth date (or its day and
    // month swapped): one child, not the sibling pattern.
    const typo = explain(
      atHome('Victoria', 'Wood', '2017-10-07', 'x'),
      atHome('Vicroria', 'Wood', '2017-10-07', 'y'),
      result.model,
    );
    expect(typo.fields.some((f) => f.comparison === 'household')).toBe(false);
    expect(typo.probability).toBeGreaterThan(0.9);
    const swapped = explain(
      atHome('Holly', 'Stevens', '2016-03-08', 'x'),
      atHome('Holpy', 'Stevens', '2016-08-03', 'y'),
      result.model,
    );
    expect(swapped.probability).toBeGreaterThan(0.9);
    // A plainly different given name at the same home and birth date is what twins look like.
    const twins = explain(
      atHome('Victoria', 'Wood', '2017-10-07', 'x'),
      atHome('Amelia', 'Wood', '2017-10-07', 'y'),
      result.model,
    );
    expect(twins.fields.some((f) => f.comparison === 'household' && f.weight < 0)).toBe(true);
    expect(twins.probability).toBeLessThan(0.5);
    // A loosely similar given name with another birth date at the same home is still a possible sibling.
    const sibling = explain(
      atHome('Holly', 'Wood', '2017-10-07', 'x'),
      atHome('Holpy', 'Wood', '2014-02-19', 'y'),
      result.model,
    );
    expect(sibling.probability).toBeLessThan(0.5);
  });

  it('takes a brother or sister born years apart, or twins written in the other order, for siblings', () => {
    const atHome = (given: string, family: string, dateOfBirth: string, id: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: [family],
      dateOfBirth,
      streetNumber: '9',
      address1: 'Totara Street',
      suburb: 'Kaikohe',
      postcode: '0405',
      state: '01',
    });
    // Another form of the name or one that sounds alike, but born years apart: a sibling.
    for (const [a, b] of [
      ['Jack', 'Johnny'],
      ['Kauri', 'Kiri'],
    ] as const) {
      const e = explain(
        atHome(a, 'Allen', '2009-10-04', 'x'),
        atHome(b, 'Allen', '2015-03-22', 'y'),
        result.model,
      );
      expect(e.fields.some((f) => f.comparison === 'household' && f.weight < 0)).toBe(true);
      expect(e.probability).toBeLessThan(0.5);
    }
    // The same name with a wrong birth year is still one child.
    const sameName = explain(
      atHome('Kauri', 'Allen', '2009-10-04', 'x'),
      atHome('Kauri', 'Allen', '2015-03-22', 'y'),
      result.model,
    );
    expect(sameName.fields.some((f) => f.comparison === 'household')).toBe(false);
    // Twins, one written family name first: neither name agrees, one home, one birth date.
    const twins = explain(
      atHome('Anahera', 'Wood', '2017-12-08', 'x'),
      atHome('Wood', 'Ataahua', '2017-12-08', 'y'),
      result.model,
    );
    expect(twins.probability).toBeLessThan(0.5);
    // One child written family name first, with a typing error in the other name: swapped names.
    const oneChild = explain(
      atHome('Xin', 'Singh', '2012-06-26', 'x'),
      atHome('Singh', 'Xni', '2012-06-26', 'y'),
      result.model,
    );
    expect(oneChild.fields[0]?.level).toBe('given and family names swapped');
    expect(oneChild.probability).toBeGreaterThan(0.9);
  });

  it('takes siblings both written family name first, and twins with a mistyped family name, for siblings', () => {
    const atHome = (given: string, family: string, id: string, socId?: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: [family],
      dateOfBirth: '2014-02-11',
      streetNumber: '31',
      address1: 'Huia Road',
      suburb: 'Otara',
      postcode: '2023',
      state: '02',
      ...(socId ? { socId } : {}),
    });
    // "Smith Ava" and "Smith Paige": the given names agree on what is here a family name.
    const otherOrder = explain(atHome('Smith', 'Ava', 'x'), atHome('Smith', 'Paige', 'y'), result.model);
    expect(otherOrder.fields.some((f) => f.comparison === 'household' && f.weight < 0)).toBe(true);
    expect(otherOrder.probability).toBeLessThan(0.5);
    // A step-parent's family name on one record of one child (the given name is a given name here).
    const stepParent = explain(atHome('Ava', 'Smith', 'x'), atHome('Ava', 'Brown', 'y'), result.model);
    expect(stepParent.fields.some((f) => f.comparison === 'household')).toBe(false);
    // Twins, one family name mistyped: Mele Fifita, Losana Fifta.
    const twins = explain(atHome('Mele', 'Fifita', 'x'), atHome('Losana', 'Fifta', 'y'), result.model);
    expect(twins.fields.some((f) => f.comparison === 'household' && f.weight < 0)).toBe(true);
    expect(twins.probability).toBeLessThan(0.5);
  });

  it('never takes two records with one identifier for siblings', () => {
    const r = (given: string, family: string, id: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: [family],
      dateOfBirth: '2011-01-29',
      streetNumber: '32',
      address1: 'Victoria Avenue',
      suburb: 'Whanganui East',
      postcode: '4500',
      state: '08',
      socId: 'ABD5018',
    });
    // Looks like twins (one family name, home and birth date, given names unrelated), but the
    // NHI number agrees: one child, recorded under another given name.
    const e = explain(r('Mele', 'Fifita', 'x'), r('Losana', 'Fifita', 'y'), result.model);
    expect(e.fields.some((f) => f.comparison === 'household')).toBe(false);
    expect(e.probability).toBeGreaterThan(0.9);
  });

  it('links a child known by a middle name at the same home and birth date', () => {
    const r = (given: string, id: string): LinkRecord => ({
      id,
      givenNames: [given],
      familyNames: ['Wood'],
      dateOfBirth: '2009-09-12',
      streetNumber: '92',
      address1: 'Kowhai Terrace',
      suburb: 'Kaiti',
      postcode: '4010',
      state: '05',
    });
    const e = explain(r('Madison Harrison', 'x'), r('Harrison', 'y'), result.model);
    expect(e.fields[0]?.level).not.toBe('different');
    expect(e.probability).toBeGreaterThan(0.9);
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
