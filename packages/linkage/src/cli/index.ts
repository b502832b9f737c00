// `tiaki link …`: evaluate the engine on labelled files, generate synthetic records.
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { childConfig, febrlConfig } from '../config.ts';
import {
  CsvError,
  febrlHeader,
  febrlRow,
  readRecords,
  tiakiHeader,
  tiakiRow,
  type CsvFormat,
} from '../csv.ts';
import { childEncoding, Encoder, febrlEncoding, febrlFieldEncoding, type EncodingSchema } from '../encode.ts';
import { deduplicateEncoded, EncodingError, linkEncoded, type EncodedLinkResult } from '../encoded.ts';
import { evaluateClusters, evaluateLinks, type Quality } from '../evaluate.ts';
import { generateLinkPair, generateRecords } from '../generate.ts';
import { generateAgencyFiles, generateAgencyPair } from '../generate-agencies.ts';
import { deduplicate, link, type ProgressEvent } from '../linkage.ts';
import { LinkageInputError } from '../prepare.ts';
import type { LinkageConfig, LinkRecord } from '../types.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('Give a whole number, 0 or more.');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('Give a share between 0 and 1.');
  return n;
}

function progress(): (e: ProgressEvent | { phase: string; done: number; total?: number }) => void {
  let last = 0;
  return (e) => {
    const now = performance.now();
    if (now - last < 250) return;
    last = now;
    const total = e.total ? ` / ${e.total.toLocaleString('en-NZ')}` : '';
    process.stderr.write(`\r${e.phase}: ${e.done.toLocaleString('en-NZ')}${total}            `);
  };
}

function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  else process.stderr.write('\n');
}

interface EvaluateOptions {
  format: string;
  encoded?: boolean;
  split?: boolean;
  oneToOne?: boolean;
  workers?: number;
  secret?: string;
  /** commander's --no-id: false when the identifier column must not be compared. */
  id?: boolean;
}

/**
 * FEBRL-style files linked two at a time are encoded field by field (measured better on children's
 * data and on FEBRL links); one file deduplicated keeps one encoding per record (FEBRL 3: 0.9948
 * against 0.9941 field by field).
 */
function encodingFor(format: CsvFormat, files: number, config: LinkageConfig): EncodingSchema {
  if (format !== 'febrl') return childEncoding();
  if (files < 2) return febrlEncoding();
  const schema = febrlFieldEncoding(config.blocking);
  const usesId = config.comparisons.some((c) => c.kind === 'text' && c.field === 'socId');
  return usesId ? schema : { ...schema, fields: schema.fields.filter((f) => f.field !== 'socId') };
}

/** How an encoded run decided: the learnt Dice threshold, or the field-level model. */
function encodedRule(res: EncodedLinkResult): string {
  if (res.mixture) return `Dice ≥ ${res.mixture.diceThreshold.toFixed(3)}, learnt`;
  return 'field by field, weights learnt';
}

/** FEBRL without its identifier column: names, date of birth and address only, as most agencies have. */
function withoutIdentifier(config: LinkageConfig): LinkageConfig {
  return {
    ...config,
    comparisons: config.comparisons.filter((c) => !(c.kind === 'text' && c.field === 'socId')),
    blocking: config.blocking.filter((b) => !b.parts.includes('socId')),
  };
}

function report(lines: [string, string][]): void {
  const width = Math.max(...lines.map(([k]) => k.length));
  for (const [k, v] of lines) console.log(`${k.padEnd(width)}  ${v}`);
}

function qualityLines(q: Quality): [string, string][] {
  return [
    ['true pairs', q.truePairs.toLocaleString('en-NZ')],
    ['predicted pairs', q.predictedPairs.toLocaleString('en-NZ')],
    ['precision', q.precision.toFixed(4)],
    ['recall', q.recall.toFixed(4)],
    ['F1', q.f1.toFixed(4)],
  ];
}

/** Splits one FEBRL file into originals and each original's first duplicate: two duplicate-free files. */
function splitFirstDuplicate(records: LinkRecord[]): [LinkRecord[], LinkRecord[]] {
  return [records.filter((r) => r.id.endsWith('-org')), records.filter((r) => r.id.endsWith('-dup-0'))];
}

async function evaluate(file: string, file2: string | undefined, opts: EvaluateOptions): Promise<void> {
  const format = opts.format as CsvFormat;
  const start = performance.now();
  const first = await readRecords(file, format);
  let sets: [LinkRecord[]] | [LinkRecord[], LinkRecord[]] = [first];
  if (file2) sets = [first, await readRecords(file2, format)];
  else if (opts.split) sets = splitFirstDuplicate(first);
  const readMs = performance.now() - start;
  const base = format === 'febrl' ? febrlConfig() : childConfig();
  const config = opts.id === false ? withoutIdentifier(base) : base;
  const workers = opts.workers ?? availableParallelism();
  const onProgress = progress();
  const t0 = performance.now();
  let quality: Quality;
  let compared: number;
  let mode: string;
  if (opts.encoded) {
    const encoder = new Encoder(
      { secret: opts.secret ?? 'evaluation-only-secret' },
      encodingFor(format, sets.length, config),
    );
    const encoded = sets.map((s) => s.map((r) => encoder.encode(r)));
    const [left, right] = encoded;
    if (right && left) {
      const res = linkEncoded(left, right, { oneToOne: opts.oneToOne, onProgress });
      quality = evaluateLinks(
        sets[0].map((r) => r.id),
        (sets[1] ?? []).map((r) => r.id),
        res.pairs,
      );
      compared = res.stats.candidatePairs;
      mode = `link, encoded (${encodedRule(res)})`;
    } else {
      const res = deduplicateEncoded(left ?? [], { onProgress });
      quality = evaluateClusters(
        first.map((r) => r.id),
        res.clusters,
      );
      compared = res.stats.candidatePairs;
      mode = `deduplicate, encoded (${encodedRule(res)})`;
    }
  } else if (sets.length === 2) {
    const res = await link(sets[0], sets[1], { config, workers, oneToOne: opts.oneToOne, onProgress });
    quality = evaluateLinks(
      sets[0].map((r) => r.id),
      sets[1].map((r) => r.id),
      res.pairs,
    );
    compared = res.stats.candidatePairs;
    mode = 'link, clear text';
  } else {
    const res = await deduplicate(first, { config, workers, onProgress });
    quality = evaluateClusters(
      first.map((r) => r.id),
      res.clusters,
    );
    compared = res.stats.candidatePairs;
    mode = 'deduplicate, clear text';
  }
  const seconds = (performance.now() - t0) / 1000;
  endProgress();
  report([
    [
      'mode',
      `${mode}${opts.oneToOne ? ', one-to-one' : ''}${opts.split ? ', originals vs first duplicates' : ''}`,
    ],
    ['records', sets.map((s) => s.length.toLocaleString('en-NZ')).join(' + ')],
    ['pairs compared', compared.toLocaleString('en-NZ')],
    ...qualityLines(quality),
    ['time', `${seconds.toFixed(2)} s (reading files: ${(readMs / 1000).toFixed(2)} s)`],
    ['peak memory', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`],
  ]);
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, 'utf8');
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface GenerateCliOptions {
  count: number;
  seed: number;
  out: string;
  linkOut?: string;
  format: string;
  overlap?: number;
  agencies?: number;
}

async function generate(opts: GenerateCliOptions): Promise<void> {
  if (opts.format === 'febrl' && opts.agencies !== undefined) {
    // Several agencies' files: --count records in all, OUT with -a1, -a2… before its extension.
    const { files, overlap, children } = generateAgencyFiles({
      count: opts.count,
      seed: opts.seed,
      agencies: opts.agencies,
      overlap: opts.overlap,
    });
    const named = (k: number) => opts.out.replace(/(\.[^./]*)?$/, (ext) => `-a${k + 1}${ext}`);
    for (const [k, file] of files.entries())
      await writeLines(named(k), [febrlHeader(), ...file.map((r) => febrlRow(r.record))]);
    console.log(
      `Wrote ${files.map((f, k) => `${f.length.toLocaleString('en-NZ')} records to ${named(k)}`).join(', ')}: ${children.toLocaleString('en-NZ')} children, ${Math.round(overlap * 100)}% of them in more than one file.`,
    );
    return;
  }
  if (opts.format === 'febrl') {
    if (!opts.linkOut)
      throw new InvalidArgumentError("--format febrl writes two agencies' files: give --link-out.");
    const { left, right, overlap } = generateAgencyPair({
      count: opts.count,
      seed: opts.seed,
      overlap: opts.overlap,
    });
    await writeLines(opts.out, [febrlHeader(), ...left.map(febrlRow)]);
    await writeLines(opts.linkOut, [febrlHeader(), ...right.map(febrlRow)]);
    const shared = Math.round(opts.count * overlap);
    console.log(
      `Wrote ${left.length.toLocaleString('en-NZ')} records to ${opts.out} and ${right.length.toLocaleString('en-NZ')} to ${opts.linkOut} (${shared.toLocaleString('en-NZ')} children in both).`,
    );
    return;
  }
  const onProgress = progress();
  let n = 0;
  const tick = (r: LinkRecord) => {
    n++;
    if (n % 10_000 === 0) onProgress({ phase: 'generated', done: n, total: opts.count });
    return tiakiRow(r);
  };
  if (!opts.linkOut) {
    await writeLines(
      opts.out,
      (function* () {
        yield tiakiHeader();
        for (const r of generateRecords({ count: opts.count, seed: opts.seed })) yield tick(r);
      })(),
    );
    endProgress();
    console.log(`Wrote ${n.toLocaleString('en-NZ')} synthetic records to ${opts.out}.`);
    return;
  }
  const left = createWriteStream(opts.out, 'utf8');
  const right = createWriteStream(opts.linkOut, 'utf8');
  left.write(`${tiakiHeader()}\n`);
  right.write(`${tiakiHeader()}\n`);
  const counts = [0, 0];
  for (const { side, record } of generateLinkPair({ count: opts.count, seed: opts.seed })) {
    const out = side === 0 ? left : right;
    counts[side] = (counts[side] ?? 0) + 1;
    if (!out.write(`${tick(record)}\n`)) await once(out, 'drain');
  }
  left.end();
  right.end();
  await Promise.all([once(left, 'finish'), once(right, 'finish')]);
  endProgress();
  console.log(
    `Wrote ${(counts[0] ?? 0).toLocaleString('en-NZ')} records to ${opts.out} and ${(counts[1] ?? 0).toLocaleString('en-NZ')} to ${opts.linkOut}.`,
  );
}

/** Errors a person can fix (bad file, bad option) print one line and exit 1, not a stack trace. */
async function friendly(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (
      error instanceof CsvError ||
      error instanceof LinkageInputError ||
      error instanceof EncodingError ||
      error instanceof InvalidArgumentError ||
      (error instanceof Error && 'code' in error && error.code === 'ENOENT')
    ) {
      endProgress();
      console.error(`Error: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

interface EncodeCliOptions {
  secretFile: string;
  out: string;
}

/**
 * For an agency that must not share a child's name: turns its records (Tiaki CSV format) into
 * encodings, one JSON line each, ready to send as `child.encoded` with a referral.
 */
async function encodeFile(file: string, opts: EncodeCliOptions): Promise<void> {
  const secret = (await readFile(opts.secretFile, 'utf8')).trim();
  if (secret.length < 32) throw new EncodingError('The secret file must hold at least 32 characters.');
  const encoder = new Encoder({ secret }, childEncoding());
  const lines: string[] = [];
  for (const record of await readRecords(file, 'tiaki')) {
    const { id, clks, blocks } = encoder.encode(record);
    lines.push(JSON.stringify({ id, clks, blocks }));
  }
  await writeFile(opts.out, `${lines.join('\n')}\n`);
  console.error(`Encoded ${lines.length} records into ${opts.out}; no name or date of birth is in it.`);
}

export function registerLinkCommands(program: Command): void {
  const linkage = program.command('link').description('Record linkage: find records about the same child');
  linkage
    .command('evaluate')
    .description(
      'Deduplicate one labelled file (or link two) and print precision, recall, F1, time and memory',
    )
    .argument('<file>', 'a CSV file; ids rec-N-org / rec-N-dup-k carry the truth')
    .argument('[file2]', 'a second file: link the two instead of deduplicating')
    .option('--format <format>', 'febrl (FEBRL data sets) or tiaki (from `tiaki link generate`)', 'febrl')
    .option('--encoded', 'privacy-preserving path: encode every record, then link the encodings only')
    .option('--split', 'one FEBRL file as two: originals against each original’s first duplicate')
    .option('--one-to-one', 'when linking, each record links to at most one of the other file')
    .option('--workers <n>', 'worker threads for scoring (default: one per core)', positiveInt)
    .option('--secret <secret>', 'encoding secret for --encoded (default: a fixed evaluation-only value)')
    .option(
      '--no-id',
      'do not compare the identifier column (FEBRL soc_sec_id): names, date of birth and address only',
    )
    .action((file: string, file2: string | undefined, opts: EvaluateOptions) =>
      friendly(async () => {
        if (opts.format !== 'febrl' && opts.format !== 'tiaki') {
          throw new InvalidArgumentError('--format is febrl or tiaki.');
        }
        await evaluate(file, file2, opts);
      }),
    );
  linkage
    .command('generate')
    .description('Write synthetic NZ child records with realistic errors (streamed; any size)')
    .option('--count <n>', 'number of records', positiveInt, 10_000)
    .option('--seed <n>', 'random seed (same seed, same records)', positiveInt, 1)
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--link-out <file>', 'write two files for linking: the second file here')
    .option(
      '--format <format>',
      "tiaki (default) or febrl: two agencies' FEBRL-style files about children (households, siblings, twins; one record per child per file)",
      'tiaki',
    )
    .option(
      '--overlap <share>',
      'with --format febrl: share of children in both files (default: 0.3–0.6 from the seed)',
      share,
    )
    .option(
      '--agencies <n>',
      "with --format febrl: this many agencies' files (--count records in all; OUT-a1.csv, OUT-a2.csv…; a share --overlap of children in two or more)",
      positiveInt,
    )
    .action((opts: GenerateCliOptions) =>
      friendly(async () => {
        if (opts.format !== 'febrl' && opts.format !== 'tiaki')
          throw new InvalidArgumentError('--format is febrl or tiaki.');
        if (opts.agencies !== undefined && (opts.format !== 'febrl' || opts.agencies < 2))
          throw new InvalidArgumentError('--agencies is for --format febrl, with 2 or more agencies.');
        await generate(opts);
      }),
    );
  linkage
    .command('encode')
    .description(
      'Encode records (Tiaki CSV) as Bloom filters with the shared secret, for anonymous referrals',
    )
    .argument('<file>', 'a CSV file in the format of `tiaki link generate`')
    .requiredOption('--secret-file <file>', 'file holding the linkage secret shared with Tiaki')
    .requiredOption('--out <file>', 'JSON Lines file to write: {id, clks, blocks} per record')
    .action((file: string, opts: EncodeCliOptions) => friendly(() => encodeFile(file, opts)));
}
