/** Search: finding a child's records by reference, name or date of birth, with need to know. */
export { searchRoutes } from './routes.ts';
