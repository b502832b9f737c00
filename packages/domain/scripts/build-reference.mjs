// Converts the shared NZ reference CSVs into the JSON data files this package ships.
// Run after the shared reference data changes: node packages/domain/scripts/build-reference.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const shared = join(here, '../../../../shared/reference/nz');
const out = join(here, '../reference');

function readCsv(file) {
  const [header, ...lines] = readFileSync(join(shared, file), 'utf8').trim().split(/\r?\n/);
  const keys = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v])));
}

const regions = readCsv('regions.csv').map((r) => ({
  code: r.code,
  name: r.name,
  nameMi: r.name_mi || null,
  iso: r.iso_3166_2,
  anniversaryProvince: r.anniversary_day_province,
}));
writeFileSync(join(out, 'regions.json'), JSON.stringify(regions, null, 2) + '\n');
console.log(`regions: ${regions.length}`);
