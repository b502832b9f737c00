/** In-app notifications (and reminder emails). */
export {
  DECISION_WORDS,
  notify,
  notifyAssigned,
  notifyCaseAllocated,
  type Assignment,
  type NewNotification,
} from './service.ts';
