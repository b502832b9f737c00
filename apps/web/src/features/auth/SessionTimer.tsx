import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getServerClockOffset, subscribe } from '../../api/client.ts';
import { formatTime } from '../../i18n/format.ts';
import { authApi } from './api.ts';
import { useSession, useSessionContext } from './session.tsx';

/** The server refreshes a session's last activity at most once a minute. */
const TOUCH_GRANULARITY_MS = 60_000;
const IDLE_WARNING_MS = 2 * 60_000;
const ABSOLUTE_WARNING_MS = 5 * 60_000;
const MIN_IDLE_FOR_WARNING_MS = 5 * 60_000;
const MAX_TIMEOUT_MS = 2_147_000_000;

type Warning = { kind: 'idle' | 'absolute'; endsAt: Date } | null;

function later(ms: number, run: () => void): () => void {
  const id = window.setTimeout(run, Math.min(Math.max(ms, 0), MAX_TIMEOUT_MS));
  return () => {
    window.clearTimeout(id);
  };
}

/**
 * Sessions end after a spell of inactivity and after a fixed length (WCAG 2.2.1, timing
 * adjustable): this warns two minutes before an idle timeout and lets the person stay signed in,
 * warns five minutes before the fixed end, and returns to sign-in once the session has ended.
 */
export function SessionTimer() {
  const session = useSession();
  const { setSession } = useSessionContext();
  const [lastActivity, setLastActivity] = useState<number | null>(null);
  const [warning, setWarning] = useState<Warning>(null);
  const [absoluteDismissed, setAbsoluteDismissed] = useState(false);
  const idleWindow = useRef(0);

  // How long the session may stay idle, measured when the SessionView arrived.
  useEffect(() => {
    const serverNow = Date.now() + getServerClockOffset();
    idleWindow.current = Math.max(0, Date.parse(session.idleExpiresAt) - serverNow);
  }, [session]);

  // Every successful request keeps the session alive.
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'activity') setLastActivity(event.at);
      }),
    [],
  );

  useEffect(() => {
    const now = Date.now();
    const offset = getServerClockOffset();
    const base = lastActivity ?? now;
    const idleEnd = base + idleWindow.current;
    const absoluteEnd = Date.parse(session.absoluteExpiresAt) - offset;
    const cancels: (() => void)[] = [];

    // Warn before the earliest moment the idle timeout could fall (not for very short timeouts,
    // as used in tests, where a warning would be more in the way than useful).
    const earliestIdleEnd = Math.min(idleEnd - TOUCH_GRANULARITY_MS, absoluteEnd);
    if (idleWindow.current >= MIN_IDLE_FOR_WARNING_MS && earliestIdleEnd < absoluteEnd) {
      cancels.push(
        later(earliestIdleEnd - IDLE_WARNING_MS - now, () => {
          setWarning({ kind: 'idle', endsAt: new Date(earliestIdleEnd) });
        }),
      );
    }
    if (!absoluteDismissed) {
      cancels.push(
        later(absoluteEnd - ABSOLUTE_WARNING_MS - now, () => {
          setWarning((current) => current ?? { kind: 'absolute', endsAt: new Date(absoluteEnd) });
        }),
      );
    }
    // Once the session must have ended, ask the server: a 401 takes the person back to sign-in,
    // while activity in another tab may have kept the session going.
    const checkAt = Math.min(idleEnd + TOUCH_GRANULARITY_MS + 30_000, absoluteEnd + 5_000);
    cancels.push(
      later(checkAt - now, () => {
        authApi.refresh().then(setSession, () => {
          // A 401 already ended the session through the API client.
        });
      }),
    );
    return () => {
      for (const cancel of cancels) cancel();
    };
  }, [lastActivity, session, absoluteDismissed, setSession]);

  if (!warning) return null;
  return (
    <TimeoutDialog
      warning={warning}
      onStay={() => {
        setWarning(null);
        if (warning.kind === 'absolute') {
          setAbsoluteDismissed(true);
          return;
        }
        authApi.refresh().then(setSession, () => {
          // A 401 already ended the session through the API client.
        });
      }}
    />
  );
}

function TimeoutDialog({ warning, onStay }: { warning: NonNullable<Warning>; onStay: () => void }) {
  const { t } = useTranslation();
  const { signOut } = useSessionContext();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  const time = formatTime(warning.endsAt);
  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        // Escape: the person is here, which is what "stay signed in" means.
        event.preventDefault();
        onStay();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {warning.kind === 'idle' ? t('timeout.idleTitle') : t('timeout.absoluteTitle')}
      </h2>
      <p id={textId}>
        {warning.kind === 'idle' ? t('timeout.idleText', { time }) : t('timeout.absoluteText', { time })}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onStay}>
          {warning.kind === 'idle' ? t('timeout.stay') : t('timeout.ok')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            void signOut();
          }}
        >
          {t('timeout.signOutNow')}
        </button>
      </div>
    </dialog>
  );
}
