import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
});
