// What the one-file generator's records can tell apart at scale: the share of true pairs with a
// record that has no date of birth (missing, or only an estimated age), and of those, pairs whose
// normalised first given name, first family name and region agree, with how many other children
// share that name and region (a link there is a guess among them).
//   npx tsx bench/linkage/million-ceiling.ts [count, default 1000000]
import { entityOf, generateRecords, normalise } from '@tiaki/linkage';
const count = Number(process.argv[2] ?? 1000000);
const recs = [...generateRecords({ count, seed: 1 })];
const keyOf = (r: (typeof recs)[number]) =>
  `${normalise(r.givenNames[0] ?? '')}|${normalise(r.familyNames[0] ?? '')}|${r.region}`;
const entitiesByKey = new Map<string, Set<string>>();
for (const r of recs) {
  const k = keyOf(r);
  let s = entitiesByKey.get(k);
  if (!s) entitiesByKey.set(k, (s = new Set()));
  s.add(entityOf(r.id));
}
const byEntity = new Map<string, number[]>();
recs.forEach((r, i) => {
  const e = entityOf(r.id);
  const l = byEntity.get(e);
  if (l) l.push(i);
  else byEntity.set(e, [i]);
});
let truePairs = 0,
  noDob = 0,
  noDobAmbiguous = 0,
  noDobShared = 0;
const hist = new Map<number, number>();
for (const rs of byEntity.values())
  for (let x = 0; x < rs.length; x++)
    for (let y = x + 1; y < rs.length; y++) {
      truePairs++;
      const a = recs[rs[x] ?? 0];
      const b = recs[rs[y] ?? 0];
      if (!a || !b || (a.dateOfBirth && b.dateOfBirth)) continue;
      noDob++;
      const no = a.dateOfBirth ? b : a;
      if (keyOf(a) !== keyOf(b)) continue;
      noDobShared++;
      const others = (entitiesByKey.get(keyOf(no))?.size ?? 1) - 1;
      if (others > 0) noDobAmbiguous++;
      const bucket = Math.min(others, 10);
      hist.set(bucket, (hist.get(bucket) ?? 0) + 1);
    }
console.log({
  count,
  truePairs,
  noDob: noDob / truePairs,
  noDobSameNameRegion: noDobShared / truePairs,
  noDobSameNameRegionOtherChildren: noDobAmbiguous / truePairs,
});
console.log(
  [...hist]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}${k === 10 ? '+' : ''}: ${v}`)
    .join(', '),
);
