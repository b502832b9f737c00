import type { Schema } from './client.ts';

/**
 * A schema for a small answer object whose fields are all strings, for answers that have no
 * shared zod schema (such as `{ caseId, reference }`).
 */
export function stringsOf<K extends string>(...keys: K[]): Schema<Record<K, string>> {
  return {
    safeParse(data: unknown) {
      if (typeof data !== 'object' || data === null)
        return { success: false, error: new Error('Expected an object') };
      const record = data as Record<string, unknown>;
      const result = {} as Record<K, string>;
      for (const key of keys) {
        const value = record[key];
        if (typeof value !== 'string') return { success: false, error: new Error(`Expected ${key}`) };
        result[key] = value;
      }
      return { success: true, data: result };
    },
  };
}

/** For answers whose body does not matter (201s with an id the page does not need, `{ ok: true }`). */
export const anything: Schema<unknown> = { safeParse: (data: unknown) => ({ success: true, data }) };
