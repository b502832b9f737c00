import argon2 from 'argon2';
import { randomInt } from 'node:crypto';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same effort as a real check, so an unknown email cannot be told apart by timing. */
  burn(password: string): Promise<void>;
}

/** argon2id with OWASP's minimum parameters by default (19 MiB, 2 passes, 1 lane). */
export function createPasswordHasher(memoryCost: number): PasswordHasher {
  const options = { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 } as const;
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    burn: async (password) => {
      dummy ??= argon2.hash('not-a-real-password', options);
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}

// No look-alike characters (0/O, 1/l/I), so a password read aloud or from a screen is typed right.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random one-time password in four groups, e.g. "k7Qm-Xp2a-Hf9w-Tz4c" (~94 bits). */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET.charAt(randomInt(ALPHABET.length));
    groups.push(group);
  }
  return groups.join('-');
}
