import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('is the same whatever order the keys come in, and leaves undefined out', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', z: undefined })).toBe(
      canonicalJson({ a: 'x', b: [2, { c: null, d: 1 }] }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  // Audit hashes and idempotency keys already stored were made with this exact text: it must never change.
  it('writes nested values in the one form stored hashes were made with', () => {
    expect(canonicalJson({ z: [1, { b: true, a: null }], a: 'Tāne', n: 1.5 })).toBe(
      '{"a":"Tāne","n":1.5,"z":[1,{"a":null,"b":true}]}',
    );
  });
});
