// The kinds of difference between two records of one child, for measuring where linkage loses
// true pairs (bench only: it reads the truth).
import { areNicknames, jaroWinkler, normalise, type LinkRecord } from '@tiaki/linkage';

/** The kinds of difference between two records of one child (several may hold). */
export function differences(a: LinkRecord, b: LinkRecord): string[] {
  const out: string[] = [];
  const ga = normalise(a.givenNames[0]);
  const gb = normalise(b.givenNames[0]);
  const fa = normalise(a.familyNames.join(' '));
  const fb = normalise(b.familyNames.join(' '));
  const swapped = ga !== fa && jaroWinkler(ga, fb) > 0.9 && jaroWinkler(fa, gb) > 0.9;
  if (swapped) out.push('names swapped');
  else {
    if (ga !== gb) {
      const [x, y] = [ga.split(' ')[0] ?? '', gb.split(' ')[0] ?? ''];
      if (x === y) out.push('given: middle name added');
      else if (areNicknames(x, y)) out.push('given: other form');
      else if (jaroWinkler(x, y) >= 0.85) out.push('given: misspelt');
      else out.push('given: unrelated');
    }
    if (fa !== fb)
      out.push(jaroWinkler(fa, fb) >= 0.85 ? 'family: misspelt' : 'family: unrelated/other form');
  }
  const da = a.dateOfBirth;
  const db = b.dateOfBirth;
  if (!da || !db) out.push('dob: missing');
  else if (da !== db) {
    const est = (d: string) => d.endsWith('-01-01') || d.endsWith('-07-01');
    const [ya, ma, xa] = da.split('-');
    const [yb, mb, xb] = db.split('-');
    if (ya === yb && ma === xb && xa === mb) out.push('dob: day-month swapped');
    else if (est(da) || est(db)) out.push('dob: estimated');
    else out.push('dob: typo/off by one');
  }
  if (a.postcode !== b.postcode) out.push('moved/no address');
  if (out.length === 0) out.push('(none)');
  return out;
}
