import type { SessionStage } from '@tiaki/domain';

export const SIGN_IN_PATH = '/sign-in';

/** Where each unfinished stage of signing in happens. */
export const STAGE_PATHS: Readonly<Record<Exclude<SessionStage, 'active'>, string>> = {
  password_change: '/sign-in/change-password',
  mfa_enrol: '/sign-in/set-up-mfa',
  mfa_verify: '/sign-in/verify',
};

const SIGN_IN_PATHS: readonly string[] = [SIGN_IN_PATH, ...Object.values(STAGE_PATHS)];

export function isSignInPath(pathname: string): boolean {
  return SIGN_IN_PATHS.includes(pathname.replace(/\/+$/, '') || '/');
}

/** Only a path inside this app is a safe place to return to after signing in. */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return null;
  return isSignInPath(value.split(/[?#]/)[0] ?? '') ? null : value;
}
