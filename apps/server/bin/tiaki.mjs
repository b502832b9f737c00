#!/usr/bin/env node
// Entry point of the `tiaki` command: runs the TypeScript sources through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
if (process.argv.length === 3 && process.argv[2] === 'serve') {
  // Straight to the light serve module: the listener is up before the rest of the CLI is loaded.
  const { serve } = await import('../src/cli/serve.ts');
  await serve();
} else {
  await import('../src/cli/index.ts');
}
