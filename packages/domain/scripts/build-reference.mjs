// Converts the shared NZ reference data into the JSON data files this package ships.
// Run after the shared reference data changes: node packages/domain/scripts/build-reference.mjs
//
// regions.json is the live regions table. The taxonomy data (ethnicity, iwi, Police districts) is
// written into reference/taxonomy/<release>/, one folder per taxonomy release, because a released
// taxonomy never changes. The script refuses to overwrite a released folder with different
// content: when the source data changes, run it with `--taxonomy-release <new version>` and build
// the new taxonomy version on the new folder (see docs/taxonomy.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const shared = join(here, '../../../../shared/reference/nz');
const out = join(here, '../reference');

/** The taxonomy release whose data folder this run writes. */
const DEFAULT_TAXONOMY_RELEASE = '2026.1';
const releaseFlag = process.argv.indexOf('--taxonomy-release');
const taxonomyRelease = releaseFlag === -1 ? DEFAULT_TAXONOMY_RELEASE : process.argv[releaseFlag + 1];
if (!taxonomyRelease || !/^\d{4}\.\d+$/.test(taxonomyRelease)) {
  throw new Error('--taxonomy-release needs a version such as 2027.1');
}

function readCsv(file) {
  const [header, ...lines] = readFileSync(join(shared, file), 'utf8').trim().split(/\r?\n/);
  const keys = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v])));
}

function readJson(file) {
  return JSON.parse(readFileSync(join(shared, file), 'utf8'));
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function parentOf(concept) {
  const parent = (concept.property ?? []).find((p) => p.code === 'parent');
  return parent ? parent.valueCode : null;
}

// Written as Prettier formats it, so `npm run format:check` passes on generated files.
const prettierOptions = { ...(await resolveConfig(join(out, 'regions.json'))), parser: 'json' };
const json = (data) => format(JSON.stringify(data, null, 2), prettierOptions);

// Regions (live table, read by src/reference/regions.ts).
const regions = readCsv('regions.csv').map((r) => ({
  code: r.code,
  name: r.name,
  nameMi: r.name_mi || null,
  iso: r.iso_3166_2,
  anniversaryProvince: r.anniversary_day_province,
}));
writeFileSync(join(out, 'regions.json'), await json(regions));
console.log(`regions: ${regions.length}`);

// Ethnicity: Stats NZ ETHNIC05 levels 1 (1-digit codes) and 2 (2-digit codes), labels as in the source.
const ethnicitySource = readJson('Ethnicity-CodeSystem.json');
const ethnicities = ethnicitySource.concept
  .filter((c) => c.code.length <= 2)
  .map((c) => ({ code: c.code, label: c.display, level: c.code.length, parent: parentOf(c) }))
  .sort(byCode);
for (const e of ethnicities) {
  if ((e.level === 1) !== (e.parent === null)) throw new Error(`ethnicity ${e.code}: unexpected parent`);
  if (e.parent !== null && !ethnicities.some((p) => p.code === e.parent)) {
    throw new Error(`ethnicity ${e.code}: parent ${e.parent} missing`);
  }
}

// Iwi: every code; `region` is the grouping code the source gives as parent (null for groupings).
const iwiSource = readJson('iwi-code-CodeSystem.json');
const iwi = iwiSource.concept
  .map((c) => ({ code: c.code, label: c.display, region: parentOf(c) }))
  .sort(byCode);
if (iwi.length !== iwiSource.count)
  throw new Error(`iwi: ${iwi.length} codes, source says ${iwiSource.count}`);
for (const i of iwi) {
  if (i.region !== null && !iwi.some((g) => g.code === i.region))
    throw new Error(`iwi ${i.code}: no ${i.region}`);
}

// Police districts: main regions as Stats NZ regional council codes (REGC), as in regions.json.
const policeDistricts = readCsv('police-districts.csv').map((d) => ({
  code: d.code,
  name: d.name,
  mainRegions: d.main_regions.split(';').map((name) => {
    const region = regions.find((r) => r.name === name);
    if (!region) throw new Error(`police district ${d.code}: unknown region "${name}"`);
    return region.code;
  }),
}));

const sources = {
  taxonomyRelease,
  ethnicity: {
    url: ethnicitySource.url,
    version: ethnicitySource.version,
    lastUpdated: ethnicitySource.meta?.lastUpdated,
  },
  iwi: { url: iwiSource.url, version: iwiSource.version, lastUpdated: iwiSource.meta?.lastUpdated },
  policeDistricts: 'shared/reference/nz/police-districts.csv (see SOURCES-nz.md)',
};

const releaseDir = join(out, 'taxonomy', taxonomyRelease);
const files = {
  'ethnicity.json': await json(ethnicities),
  'iwi.json': await json(iwi),
  'police-districts.json': await json(policeDistricts),
  'sources.json': await json(sources),
};
const changed = Object.entries(files).filter(
  ([name, content]) =>
    existsSync(join(releaseDir, name)) && readFileSync(join(releaseDir, name), 'utf8') !== content,
);
if (changed.length > 0) {
  console.error(
    `The data for taxonomy ${taxonomyRelease} would change (${changed.map(([n]) => n).join(', ')}).\n` +
      `A released taxonomy never changes: run again with --taxonomy-release <next version> ` +
      `and add that taxonomy version (docs/taxonomy.md).`,
  );
  process.exit(1);
}
mkdirSync(releaseDir, { recursive: true });
for (const [name, content] of Object.entries(files)) writeFileSync(join(releaseDir, name), content);
console.log(
  `taxonomy ${taxonomyRelease} data in ${relative(process.cwd(), releaseDir)}: ` +
    `ethnicities ${ethnicities.length}, iwi ${iwi.length}, police districts ${policeDistricts.length}`,
);
