import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing } from './keyring.ts';

const keyring = new KeyRing([{ id: 'k1', key: randomBytes(32) }], randomBytes(32));

describe('field encryption nonces (drawn from the CSPRNG in blocks)', () => {
  it('gives every value its own nonce, across several refills of the pool, and each value decrypts', () => {
    const seen = new Set<string>();
    // More values than one block of nonces holds, so the pool is refilled a few times.
    for (let n = 0; n < 3000; n++) {
      const stored = keyring.encrypt(`value ${n}`, `test.context:${n}`);
      const nonce = stored.split('.')[2] ?? '';
      expect(Buffer.from(nonce, 'base64url')).toHaveLength(12);
      expect(seen.has(nonce)).toBe(false);
      seen.add(nonce);
      expect(keyring.decrypt(stored, `test.context:${n}`)).toBe(`value ${n}`);
    }
  });

  it('does not decrypt a value under another context', () => {
    const stored = keyring.encrypt('secret', 'child.identity:a');
    expect(() => keyring.decrypt(stored, 'child.identity:b')).toThrow();
  });
});
