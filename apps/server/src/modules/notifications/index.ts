/** In-app notifications (and reminder emails). */
export { notify, type NewNotification } from './service.ts';
