import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.ts';
import { canonicalJson as auditCanonicalJson } from '../modules/audit/chain.ts';

describe('canonical JSON', () => {
  it('is the same whatever order the keys come in, and leaves undefined out', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', z: undefined })).toBe(
      canonicalJson({ a: 'x', b: [2, { c: null, d: 1 }] }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  // Stored idempotency hashes were made with the audit chain's copy: the two must agree until the
  // chain imports this one.
  it('agrees with the audit chain on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === auditCanonicalJson(value)));
  });
});
