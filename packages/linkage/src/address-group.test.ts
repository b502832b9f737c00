import { beforeAll, describe, expect, it } from 'vitest';
import { febrlConfig } from './config.ts';
import { generateAgencyPair } from './generate-agencies.ts';
import { explain, link, type LinkResult } from './linkage.ts';
import type { Explanation, LinkRecord, Model } from './types.ts';

// The parts of an address (number, street, suburb, postcode, region) weighed as one comparison:
// in Aotearoa a suburb has one postcode and lies in one region, and a whānau that moves changes
// them all at once, so they are not independent evidence.
const { left, right } = generateAgencyPair({ count: 1500, seed: 9, overlap: 0.5 });
let result: LinkResult;

beforeAll(async () => {
  result = await link(left, right, { config: febrlConfig(), workers: 0, oneToOne: true });
});

const ADDRESS = ['streetNumber', 'address1', 'address2', 'suburb', 'postcode', 'state'];

/** Bits the address gave a pair: its parts and the rule that weighs them together. */
function addressBits(e: Explanation): number {
  return e.fields
    .filter((f) => ADDRESS.includes(f.comparison) || f.comparison === 'address')
    .reduce((sum, f) => sum + f.weight, 0);
}

const child = (id: string, address: Partial<LinkRecord>): LinkRecord => ({
  id,
  givenNames: ['Mere'],
  familyNames: ['Tūhoe'],
  dateOfBirth: '2014-03-09',
  ...address,
});
const home = { streetNumber: '14', address1: 'Kauri Street', suburb: 'Otara', postcode: '2023', state: '02' };

describe('address weighed as one comparison', () => {
  it('learns how the parts depend on each other from the data, finest part first, region last', () => {
    const chain = result.model.groupChains?.address;
    expect(chain).toBeDefined();
    // (These files have no second address line: it is never compared.)
    const labels = (chain?.order.map((k) => result.model.comparisons[k]?.label ?? '') ?? []).filter(
      (l) => l !== 'address2',
    );
    expect(labels.at(-1)).toBe('state');
    expect(labels.indexOf('suburb')).toBeGreaterThanOrEqual(0);
    expect(labels.indexOf('suburb')).toBeLessThan(labels.indexOf('state'));
  });

  it('counts the same suburb about once: its postcode and region add almost nothing', () => {
    const a = child('a', { suburb: 'Otara', postcode: '2023', state: '02' });
    const suburbOnly = addressBits(explain(a, child('b', { suburb: 'Otara' }), result.model));
    const all = addressBits(
      explain(a, child('c', { suburb: 'Otara', postcode: '2023', state: '02' }), result.model),
    );
    expect(suburbOnly).toBeGreaterThan(2);
    expect(all - suburbOnly).toBeLessThan(1);
    // The older fixed rules counted the postcode and region at half weight on top.
    const { groupChains: _, ...fixed } = result.model;
    const fixedAll = addressBits(
      explain(a, child('c', { suburb: 'Otara', postcode: '2023', state: '02' }), fixed),
    );
    expect(fixedAll - all).toBeGreaterThan(2);
  });

  it('counts a move about once, as mild evidence against, not once per part', () => {
    const moved = {
      streetNumber: '203',
      address1: 'Moana Road',
      suburb: 'Tokoroa',
      postcode: '3420',
      state: '03',
    };
    const e = explain(child('a', home), child('b', moved), result.model);
    const parts = e.fields.filter((f) => ADDRESS.includes(f.comparison));
    const each = parts.reduce((sum, f) => sum + f.weight, 0);
    const strongest = Math.min(...parts.map((f) => f.weight));
    expect(strongest).toBeLessThan(0);
    expect(addressBits(e)).toBeLessThan(0);
    expect(addressBits(e)).toBeGreaterThan(each / 2);
    expect(e.fields.find((f) => f.comparison === 'address')?.level).toContain('weighed together');
  });

  it('never turns a part round: a postcode that differs in the same suburb is not evidence for', () => {
    const a = child('a', { suburb: 'Otara', postcode: '2023' });
    const typo = addressBits(explain(a, child('b', { suburb: 'Otara', postcode: '2032' }), result.model));
    const suburbOnly = addressBits(explain(a, child('c', { suburb: 'Otara' }), result.model));
    expect(typo).toBeLessThanOrEqual(suburbOnly + 1e-9);
  });

  it('keeps the fixed rules for a model learnt before (no groupChains) and with "groups: fixed"', async () => {
    const fixed = await link(left.slice(0, 600), right.slice(0, 600), {
      config: febrlConfig(),
      workers: 0,
      groups: 'fixed',
    });
    expect(fixed.model.groupChains).toBeUndefined();
    const e = explain(child('a', home), child('b', { ...home, streetNumber: '15' }), fixed.model);
    expect(e.fields.find((f) => f.comparison === 'address')?.level).toContain('others at half');
  });

  it('learns no chain without a date of birth to find anchor pairs by', async () => {
    const config = febrlConfig();
    const noBirth = { ...config, comparisons: config.comparisons.filter((c) => c.kind !== 'dateOfBirth') };
    const res = await link(left.slice(0, 600), right.slice(0, 600), { config: noBirth, workers: 0 });
    expect(res.model.groupChains).toBeUndefined();
    const withChain: Model = { ...res.model, groupChains: undefined };
    expect(explain(left[0] as LinkRecord, right[0] as LinkRecord, withChain).weight).toBeCloseTo(
      explain(left[0] as LinkRecord, right[0] as LinkRecord, res.model).weight,
      9,
    );
  });
});
