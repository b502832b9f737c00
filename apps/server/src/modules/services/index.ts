/** Services: the directory, service referrals followed to an outcome, and unmet needs. */
export { serviceReferralsForCase, unmetNeedsForCase } from './service.ts';
export { referenceOf } from './referrals.ts';
