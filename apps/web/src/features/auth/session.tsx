import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Permission, SessionView } from '@tiaki/domain';
import { ApiRequestError, setCsrfToken, subscribe } from '../../api/client.ts';
import { authApi } from './api.ts';

/** Why the person is looking at the sign-in page: shown to them as a notice. */
export type SignedOutReason = 'expired' | 'signed_out';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unavailable'; error: unknown }
  | { status: 'signed_out'; reason: SignedOutReason | null; demoMode: boolean }
  | { status: 'signed_in'; session: SessionView };

interface SessionContextValue {
  state: SessionState;
  /** Stores the latest SessionView (after sign-in, each sign-in step, or a refresh). */
  setSession: (view: SessionView) => void;
  /** Ends the session on the server, then locally. */
  signOut: () => Promise<void>;
  /** Forgets the session locally, for example when it has timed out. */
  endSession: (reason: SignedOutReason) => void;
  /** Checks the session again after it could not be checked. */
  retry: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function demoModeOf(error: unknown): boolean {
  // The server may say on a 401 whether it runs in demo mode, so the sign-in page can show the banner.
  return error instanceof ApiRequestError && error.body.demoMode === true;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    authApi.session().then(
      (view) => {
        if (cancelled) return;
        setCsrfToken(view.csrfToken);
        setState({ status: 'signed_in', session: view });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiRequestError && error.status === 401) {
          setState({
            status: 'signed_out',
            reason: error.code === 'session_expired' ? 'expired' : null,
            demoMode: demoModeOf(error),
          });
        } else {
          setState({ status: 'unavailable', error });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.type !== 'unauthorised') return;
        setCsrfToken(null);
        setState((current) =>
          current.status === 'signed_in'
            ? { status: 'signed_out', reason: 'expired', demoMode: current.session.demoMode }
            : current,
        );
      }),
    [],
  );

  const setSession = useCallback((view: SessionView) => {
    setCsrfToken(view.csrfToken);
    setState({ status: 'signed_in', session: view });
  }, []);

  const endSession = useCallback((reason: SignedOutReason) => {
    setCsrfToken(null);
    setState((current) => ({
      status: 'signed_out',
      reason,
      demoMode: current.status === 'signed_in' ? current.session.demoMode : false,
    }));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.signOut();
    } catch {
      // Signed out already, or the server is unreachable: forget the session here either way.
    }
    endSession('signed_out');
  }, [endSession]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ state, setSession, signOut, endSession, retry }),
    [state, setSession, signOut, endSession, retry],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionContext must be used inside <SessionProvider>');
  return value;
}

/** The SessionView of a signed-in person; only for pages behind the session gate. */
export function useSession(): SessionView {
  const { state } = useSessionContext();
  if (state.status !== 'signed_in') throw new Error('useSession needs a signed-in session');
  return state.session;
}

export function useCan(): (permission: Permission) => boolean {
  const { state } = useSessionContext();
  const permissions = state.status === 'signed_in' ? state.session.user.permissions : [];
  return (permission) => permissions.includes(permission);
}

/** Whether the banner for demo mode should show. */
export function useDemoMode(): boolean {
  const { state } = useSessionContext();
  if (state.status === 'signed_in') return state.session.demoMode;
  if (state.status === 'signed_out') return state.demoMode;
  return false;
}
