/** Codes are often typed or pasted with spaces ("123 456"): keep the digits only. */
export function normaliseCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function isSixDigitCode(value: string): boolean {
  return /^\d{6}$/.test(value);
}
