/**
 * Privacy Act requests. Other modules use only the check that a guessable reference comes with
 * the child's date of birth or family name as the record holds it.
 */
export { childMatchesGiven, givenKinds, type ChildGiven } from './identify.ts';
