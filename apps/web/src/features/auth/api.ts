import { mfaEnrolment, oidcProviderList, ok, sessionView } from '@tiaki/domain';
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
  /** Identity providers people may sign in with (single sign-on); none on most installations. */
  oidcProviders: () => api.get('/api/auth/oidc/providers', oidcProviderList, { quietUnauthorised: true }),
  /** Where a "Sign in with …" button goes: the server redirects to the provider. */
  oidcStartPath: (providerId: string) => `/api/auth/oidc/${encodeURIComponent(providerId)}/start`,
  signOut: () => api.post('/api/auth/sign-out', ok, {}, { quietUnauthorised: true }),
};
