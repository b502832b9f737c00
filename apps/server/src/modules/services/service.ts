/**
 * The services module: the directory of specialist services, needs checks and the unmet-need
 * ledger, and service referrals from the case team to a provider and back.
 */
export {
  checkNeeds,
  createService,
  listDirectory,
  mayManageService,
  possibleAges,
  presentService,
  readService,
  unmetNeedReasonOf,
  updateService,
} from './directory.ts';
export {
  addServiceReferralNote,
  createServiceReferral,
  listServiceReferrals,
  readServiceReferral,
  serviceReferralsForCase,
  transitionServiceReferral,
} from './referrals.ts';
export {
  markUnmetNeedsMet,
  recordUnmetNeed,
  recordUnmetNeedExplicitly,
  unmetNeedsForCase,
} from './unmet-needs.ts';
