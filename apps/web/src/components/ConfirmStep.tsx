import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  question: ReactNode;
  detail?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  /** Styles the box and the Confirm button as a warning, for actions that take access away. */
  danger?: boolean;
}

/** "Are you sure?" in the page rather than in a pop-up: the question, then Confirm and Cancel. */
export function ConfirmStep({ question, detail, onConfirm, onCancel, busy = false, danger = false }: Props) {
  const { t } = useTranslation();
  const questionId = useId();
  const questionRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    questionRef.current?.focus();
  }, []);

  return (
    <div className={danger ? 'confirm confirm-danger' : 'confirm'} role="group" aria-labelledby={questionId}>
      <p id={questionId} ref={questionRef} tabIndex={-1} className="confirm-question">
        {question}
      </p>
      {detail ? <p className="confirm-detail">{detail}</p> : null}
      <div className="actions">
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button'}
          aria-disabled={busy || undefined}
          onClick={() => {
            if (!busy) onConfirm();
          }}
        >
          {t('actions.confirm')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
      </div>
    </div>
  );
}
