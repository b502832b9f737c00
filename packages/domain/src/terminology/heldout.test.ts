import { describe, expect, it } from 'vitest';
import { HELD_OUT } from './heldout.fixture.ts';
import { checkTerminology } from './index.ts';

/**
 * Precision and recall on the held-out set (heldout.fixture.ts): sentences written before the rules
 * were changed for them. Per sentence: flagged or not.
 */
describe('terminology guard on the held-out set', () => {
  it('flags what a reviewer would flag, and leaves quoted words and accurate wording alone', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const c of HELD_OUT) {
      const findings = checkTerminology(c.text);
      const flagged = findings.length > 0;
      if (flagged && c.flag) tp++;
      else if (flagged && !c.flag) {
        fp++;
        misses.push(
          `false positive: ${c.text}  [${findings.map((f) => `${f.ruleId}: ${f.text}`).join('; ')}]`,
        );
      } else if (!flagged && c.flag) {
        fn++;
        misses.push(`missed: ${c.text}`);
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const positives = HELD_OUT.filter((c) => c.flag).length;
    console.log(
      `terminology guard (held out): precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} over ` +
        `${HELD_OUT.length} sentences (${positives} to flag, ${HELD_OUT.length - positives} not)\n  ${misses.join('\n  ')}`,
    );
    expect(HELD_OUT.length).toBeGreaterThanOrEqual(150);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
