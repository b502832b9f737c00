import { mfaEnrolment, ok, sessionView } from '@tiaki/domain';
import { api } from '../../api/client.ts';

export const authApi = {
  /** The current session; a 401 means nobody is signed in. */
  session: () => api.get('/api/session', sessionView, { quietUnauthorised: true }),
  /** Checks the session on request of the person (for example "Stay signed in"). */
  refresh: () => api.get('/api/session', sessionView),
  signIn: (body: { email: string; password: string }) => api.post('/api/auth/sign-in', sessionView, body),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api.post('/api/auth/password', sessionView, body),
  startMfaEnrolment: () => api.post('/api/auth/mfa/enrolment', mfaEnrolment, {}),
  confirmMfaEnrolment: (code: string) => api.post('/api/auth/mfa/enrolment/confirm', sessionView, { code }),
  verifyMfa: (code: string) => api.post('/api/auth/mfa/verify', sessionView, { code }),
  signOut: () => api.post('/api/auth/sign-out', ok, {}, { quietUnauthorised: true }),
};
