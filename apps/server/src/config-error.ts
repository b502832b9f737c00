/**
 * Raised when the environment is missing or has a bad value; names the variable and what it expects.
 * In a file of its own so that readers of parts of the environment (the retention policy) need not
 * import config.ts, which imports them.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
