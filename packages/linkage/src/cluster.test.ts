import { describe, expect, it } from 'vitest';
import { cluster } from './cluster.ts';
import { KeptPairs } from './pool.ts';
import { weightOf } from './model.ts';

describe('clustering', () => {
  // A~B~C~D~E: each neighbour looks like the same child (0.9), ends are clearly different.
  const n = 5;
  const p = (i: number, j: number) => {
    const gap = Math.abs(i - j);
    return gap === 1 ? 0.9 : gap === 2 ? 0.3 : 0.001;
  };
  const links = new KeptPairs();
  for (let i = 0; i + 1 < n; i++) links.push(i, i + 1, weightOf(p(i, i + 1)));

  it('does not merge two different children through a chain of weak links', () => {
    const { clusterOf, mergesRejected } = cluster(n, links, weightOf(0.5), p, {
      averageProbability: 0.5,
      minPairProbability: 0,
    });
    expect(clusterOf[0]).not.toBe(clusterOf[4]);
    expect(mergesRejected).toBeGreaterThan(0);
    // Neighbours that agree still group.
    expect(clusterOf[0]).toBe(clusterOf[1]);
  });

  it('would chain them with plain transitive closure (the guard is what stops it)', () => {
    const { clusterOf } = cluster(n, links, weightOf(0.5), p, {
      averageProbability: 0,
      minPairProbability: -1,
    });
    expect(new Set(clusterOf).size).toBe(1);
  });

  it('refuses a merge when any pair across is clearly two children, if asked', () => {
    const { clusterOf } = cluster(
      3,
      (() => {
        const k = new KeptPairs();
        k.push(0, 1, weightOf(0.99));
        k.push(1, 2, weightOf(0.99));
        return k;
      })(),
      weightOf(0.5),
      (i, j) => (i + j === 2 ? 0.005 : 0.99),
      { averageProbability: 0, minPairProbability: 0.01 },
    );
    expect(clusterOf[0]).not.toBe(clusterOf[2]);
  });
});
