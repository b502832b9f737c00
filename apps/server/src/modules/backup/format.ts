import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import type { EncryptionKey } from '../../config.ts';

/**
 * The backup file (docs/operations.md):
 *
 *   "TIAKIBK1" | uint32 header length | header (JSON, plaintext: cipher and KDF parameters)
 *   then frames: uint32 length (top bit: last frame) | AES-256-GCM ciphertext | 16-byte tag
 *
 * The key is scrypt(passphrase, salt). Each frame's nonce is a random 7-byte prefix, the frame
 * number and a last-frame flag, and the whole file prefix (magic and header) is associated data,
 * so frames cannot be reordered, dropped, truncated or moved between files, and a changed header
 * fails. The plaintext is a gzip of JSON lines (see backup.ts).
 */
export const MAGIC = Buffer.from('TIAKIBK1', 'ascii');
export const PASSPHRASE_ENV = 'TIAKI_BACKUP_PASSPHRASE';
export const MIN_PASSPHRASE_LENGTH = 16;
const FRAME_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const LAST_FRAME = 0x80000000;
const MAX_HEADER_BYTES = 16 * 1024;
/** scrypt cost: 128 MiB and about half a second per derivation. */
export const DEFAULT_SCRYPT_N = 2 ** 17;
const MAX_SCRYPT_N = 2 ** 20;

/** A problem with a backup, its passphrase or the database it goes into: the message says what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const fileHeader = z.object({
  format: z.literal('tiaki-backup'),
  version: z.literal(1),
  cipher: z.literal('aes-256-gcm'),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: z.string(),
  }),
  noncePrefix: z.string(),
  /** HMAC of a fixed text under the derived key: tells a wrong passphrase from a damaged file. */
  check: z.string(),
});
type FileHeader = z.infer<typeof fileHeader>;

/** The passphrase from TIAKI_BACKUP_PASSPHRASE, or a plain message saying what is missing. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const passphrase = env[PASSPHRASE_ENV];
  if (!passphrase)
    throw new BackupError(
      `Set ${PASSPHRASE_ENV} to the backup passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters, e.g. openssl rand -base64 32).`,
    );
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    throw new BackupError(`${PASSPHRASE_ENV} must be at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  return passphrase;
}

function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

const checkOf = (key: Buffer) =>
  createHmac('sha256', key).update('tiaki-backup passphrase check v1').digest().subarray(0, 16);

function nonce(prefix: Buffer, frame: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 7);
  n.writeUInt32BE(frame, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** Encrypts a byte stream into the backup file format. */
export async function createEncryptor(
  passphrase: string,
  options: { scryptN?: number } = {},
): Promise<Transform> {
  const salt = randomBytes(16);
  const noncePrefix = randomBytes(7);
  const kdf = { name: 'scrypt' as const, N: options.scryptN ?? DEFAULT_SCRYPT_N, r: 8, p: 1 };
  const key = await deriveKey(passphrase, salt, kdf.N, kdf.r, kdf.p);
  const header: FileHeader = {
    format: 'tiaki-backup',
    version: 1,
    cipher: 'aes-256-gcm',
    kdf: { ...kdf, salt: salt.toString('base64') },
    noncePrefix: noncePrefix.toString('base64'),
    check: checkOf(key).toString('base64'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const prefix = Buffer.concat([MAGIC, length, headerBytes]);
  let frame = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(noncePrefix, frame++, last));
    cipher.setAAD(prefix);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const size = Buffer.alloc(4);
    size.writeUInt32BE((body.length | (last ? LAST_FRAME : 0)) >>> 0);
    return Buffer.concat([size, body, cipher.getAuthTag()]);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!started) {
        started = true;
        this.push(prefix);
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes > FRAME_BYTES) {
        const all = Buffer.concat(pending);
        this.push(seal(all.subarray(0, FRAME_BYTES), false));
        const rest = all.subarray(FRAME_BYTES);
        pending = [rest];
        pendingBytes = rest.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (!started) this.push(prefix);
      // The last frame is always written, even empty, so a cut-off file is recognised.
      this.push(seal(Buffer.concat(pending), true));
      callback();
    },
  });
}

const damaged = (what: string) =>
  new BackupError(`The backup file is damaged or was altered (${what}). Nothing was restored.`);

/**
 * Decrypts the backup file format, refusing a wrong passphrase, any change, and a cut-off file.
 * `derived` keeps the derived key by file header, so a second reading of the same file skips scrypt.
 */
export function createDecryptor(passphrase: string, derived = new Map<string, Buffer>()): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let prefix: Buffer | null = null;
  let key: Buffer | null = null;
  let noncePrefix = Buffer.alloc(0);
  let frame = 0;
  let finished = false;

  const readHeader = async (): Promise<boolean> => {
    if (buffered.length < MAGIC.length + 4) return false;
    if (!buffered.subarray(0, MAGIC.length).equals(MAGIC))
      throw new BackupError('This is not a Tiaki backup file (it does not start with TIAKIBK1).');
    const length = buffered.readUInt32BE(MAGIC.length);
    if (length > MAX_HEADER_BYTES) throw damaged('header too long');
    if (buffered.length < MAGIC.length + 4 + length) return false;
    prefix = Buffer.from(buffered.subarray(0, MAGIC.length + 4 + length));
    buffered = buffered.subarray(prefix.length);
    let json: unknown;
    try {
      json = JSON.parse(prefix.subarray(MAGIC.length + 4).toString('utf8'));
    } catch {
      throw damaged('unreadable header');
    }
    const parsed = fileHeader.safeParse(json);
    if (!parsed.success)
      throw new BackupError(
        'This backup was written by a newer version of Tiaki, or its header was altered.',
      );
    const header = parsed.data;
    const { N, r, p, salt } = header.kdf;
    if (
      !Number.isInteger(N) ||
      N < 2 ** 10 ||
      N > MAX_SCRYPT_N ||
      (N & (N - 1)) !== 0 ||
      r !== 8 ||
      !Number.isInteger(p) ||
      p < 1 ||
      p > 4
    )
      throw damaged('unexpected key-derivation parameters');
    const known = derived.get(prefix.toString('base64'));
    key = known ?? (await deriveKey(passphrase, Buffer.from(salt, 'base64'), N, r, p));
    noncePrefix = Buffer.from(header.noncePrefix, 'base64');
    const expected = Buffer.from(header.check, 'base64');
    const actual = checkOf(key);
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) {
      derived.set(prefix.toString('base64'), key);
    } else {
      throw new BackupError(
        `Wrong passphrase: ${PASSPHRASE_ENV} does not open this backup (or its header was altered). Nothing was restored.`,
      );
    }
    return true;
  };

  const readFrames = (push: (b: Buffer) => void): void => {
    for (;;) {
      if (buffered.length === 0) return;
      if (finished) throw damaged('data after the last part');
      if (buffered.length < 4) return;
      const word = buffered.readUInt32BE(0);
      const last = (word & LAST_FRAME) !== 0;
      const size = word & ~LAST_FRAME;
      if (size > FRAME_BYTES) throw damaged(`part ${frame + 1} has an impossible length`);
      if (buffered.length < 4 + size + TAG_BYTES) return;
      const body = buffered.subarray(4, 4 + size);
      const tag = buffered.subarray(4 + size, 4 + size + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key as Buffer, nonce(noncePrefix, frame, last));
      decipher.setAAD(prefix as Buffer);
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        throw damaged(`part ${frame + 1} failed authentication`);
      }
      frame++;
      buffered = buffered.subarray(4 + size + TAG_BYTES);
      if (last) finished = true;
      if (plain.length > 0) push(plain);
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const work = async () => {
        if (!key && !(await readHeader())) return;
        readFrames((b) => this.push(b));
      };
      work().then(
        () => {
          callback();
        },
        (error: unknown) => {
          callback(error as Error);
        },
      );
    },
    flush(callback: TransformCallback) {
      if (!key) callback(damaged('the file is too short'));
      else if (!finished) callback(damaged('the file is cut off before its end'));
      else callback();
    },
  });
}

/**
 * Decrypts and decompresses a backup and hands each JSON line to onLine, in order, with
 * backpressure: the next part is read only when onLine is done with the previous lines.
 */
export async function readBackupLines(
  file: string,
  passphrase: string,
  onLine: (line: string) => Promise<void> | void,
  derived?: Map<string, Buffer>,
): Promise<void> {
  // The handler's own error, not the AbortError its stopping causes upstream, is the one to report.
  let handlerError: unknown = null;
  const handle = async (line: string) => {
    try {
      await onLine(line);
    } catch (error) {
      handlerError = error;
      throw error;
    }
  };
  try {
    await pipeline(
      createReadStream(file),
      createDecryptor(passphrase, derived),
      createGunzip(),
      async function (source: AsyncIterable<Buffer>) {
        const decoder = new StringDecoder('utf8');
        let rest = '';
        for await (const chunk of source) {
          const text = rest + decoder.write(chunk);
          const lines = text.split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) await handle(line);
        }
        rest += decoder.end();
        if (rest) await handle(rest);
      },
    );
  } catch (error) {
    if (handlerError instanceof Error) throw handlerError;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`No backup file at ${file}.`);
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw damaged('not a valid compressed stream');
    throw error;
  }
}

/**
 * Identifies a key without revealing it, so a restore can say which keys it needs.
 * HMAC-SHA-256 of a fixed text under the key; the first 16 bytes, base64.
 */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key)
    .update('tiaki-backup key fingerprint v1')
    .digest()
    .subarray(0, 16)
    .toString('base64');
}

export interface KeyFingerprints {
  encryption: { id: string; fingerprint: string }[];
  blindIndex: string;
}

export function fingerprintsOf(keys: {
  encryptionKeys: EncryptionKey[];
  blindIndexKey: Buffer;
}): KeyFingerprints {
  return {
    encryption: keys.encryptionKeys.map((k) => ({ id: k.id, fingerprint: keyFingerprint(k.key) })),
    blindIndex: keyFingerprint(keys.blindIndexKey),
  };
}
