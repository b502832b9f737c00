/** Sign-in and sessions: who is asking, with which organisation and permissions. */
export { findUserByEmail } from './queries.ts';
export { sameSecret, type AuthContext } from './service.ts';
