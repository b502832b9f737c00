/** Background jobs: a queue in the database that any server process works from. */
export { enqueue, enqueueMany } from './queue.ts';
export { BackgroundGate } from './queue.ts';
