import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerLinkCommands } from './index.ts';

async function tiakiLink(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const program = new Command().exitOverride();
  registerLinkCommands(program);
  try {
    await program.parseAsync(['link', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
  return { out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('tiaki link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiaki-link-'));

  it('writes two agencies’ FEBRL files with the truth in the ids, and links them one-to-one', async () => {
    const a = join(dir, 'agency-a.csv');
    const b = join(dir, 'agency-b.csv');
    const gen = await tiakiLink([
      'generate',
      '--format',
      'febrl',
      '--count',
      '800',
      '--seed',
      '4',
      '--overlap',
      '0.5',
      '--out',
      a,
      '--link-out',
      b,
    ]);
    expect(gen.out).toContain('Wrote 800 records');
    expect(gen.out).toContain('(400 children in both)');
    const left = readFileSync(a, 'utf8').trim().split('\n');
    expect(left[0]).toBe(
      'rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id',
    );
    expect(left).toHaveLength(801);
    const res = await tiakiLink(['evaluate', '--format', 'febrl', '--one-to-one', '--workers', '0', a, b]);
    expect(res.out).toMatch(/true pairs\s+400/);
    expect(Number(/F1\s+([\d.]+)/.exec(res.out)?.[1])).toBeGreaterThan(0.6);
  });

  it('writes several agencies’ files with --agencies, the truth in the ids', async () => {
    const out = join(dir, 'agencies.csv');
    const gen = await tiakiLink([
      'generate',
      '--format',
      'febrl',
      '--agencies',
      '3',
      '--count',
      '600',
      '--seed',
      '3',
      '--out',
      out,
    ]);
    expect(gen.err).toBe('');
    const files = [1, 2, 3].map((k) =>
      readFileSync(join(dir, `agencies-a${k}.csv`), 'utf8')
        .trim()
        .split('\n'),
    );
    expect(files.reduce((n, lines) => n + lines.length - 1, 0)).toBe(600);
    const children = files.flatMap((lines) => lines.slice(1).map((line) => /^rec-(\d+)-a\d/.exec(line)?.[1]));
    expect(children.every(Boolean)).toBe(true);
    expect(new Set(children).size).toBeLessThan(600); // some children in more than one file
  });

  it('asks for the second file when writing agencies’ files', async () => {
    const res = await tiakiLink(['generate', '--format', 'febrl', '--out', join(dir, 'x.csv')]);
    expect(res.err).toMatch(/give --link-out/);
    expect(process.exitCode).toBe(1);
  });

  it('generates records and evaluates deduplicating them', async () => {
    const file = join(dir, 'nz.csv');
    const gen = await tiakiLink(['generate', '--count', '1500', '--seed', '5', '--out', file]);
    expect(gen.out).toContain('Wrote 1,500 synthetic records');
    const res = await tiakiLink(['evaluate', '--format', 'tiaki', '--workers', '0', file]);
    expect(res.out).toMatch(/pairs compared\s+[\d,]+/);
    expect(res.out).toMatch(/F1\s+0\.\d{4}/);
    expect(res.out).toMatch(/peak memory\s+\d+ MiB/);
  });

  it('reports a bad CSV line clearly and exits 1', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\nrec-1-org, a, b\n',
    );
    const res = await tiakiLink(['evaluate', '--format', 'febrl', file]);
    expect(res.err).toContain('bad.csv, line 2: expected 11 fields, found 3.');
    expect(process.exitCode).toBe(1);
  });

  it('says when a file does not exist', async () => {
    const res = await tiakiLink(['evaluate', join(dir, 'missing.csv')]);
    expect(res.err).toMatch(/Error: .*missing\.csv/);
    expect(process.exitCode).toBe(1);
  });

  it('encodes records for an anonymous referral: encodings out, no name or date of birth', async () => {
    const file = join(dir, 'children.csv');
    await tiakiLink(['generate', '--count', '20', '--seed', '9', '--out', file]);
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, 'a-shared-secret-of-at-least-32-characters\n');
    const out = join(dir, 'encoded.jsonl');
    const res = await tiakiLink(['encode', file, '--secret-file', secretFile, '--out', out]);
    expect(res.err).toContain('Encoded 20 records');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(20);
    const first = JSON.parse(lines[0]!) as { clks: string[]; blocks: string[] };
    expect(first.clks[0]).toMatch(/^[A-Za-z0-9+/]{171}=$/);
    const source = readFileSync(file, 'utf8').split('\n')[1]!.split(',');
    for (const value of source.slice(1, 3)) if (value.length > 2) expect(lines.join('')).not.toContain(value);

    writeFileSync(secretFile, 'short');
    const refused = await tiakiLink(['encode', file, '--secret-file', secretFile, '--out', out]);
    expect(refused.err).toMatch(/at least 32 characters/);
    expect(process.exitCode).toBe(1);
  });
});
