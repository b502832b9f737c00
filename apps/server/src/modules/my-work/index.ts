/** Each person's work queue: what is theirs to do, soonest due first. */
export { myWork } from './service.ts';
export { myWorkRoutes } from './routes.ts';
