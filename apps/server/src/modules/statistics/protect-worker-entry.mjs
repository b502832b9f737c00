// Worker threads do not inherit the tsx loader registered by the CLI or by vitest: register it here.
import { register } from 'tsx/esm/api';

register();
await import('./protect-worker.ts');
