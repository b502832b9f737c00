import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export interface SummaryItem {
  key: string;
  text: string;
  /** The id of the field the message is about; plain text when absent. */
  target?: string;
  onActivate?: () => void;
}

interface Props {
  title: string;
  lead?: string;
  items: readonly SummaryItem[];
  /** Changes whenever the person tries again, so the summary takes focus each time. */
  attempt: number;
}

/**
 * The list of problems at the top of a form, each linking to its field. It takes focus when it
 * appears, so screen-reader users hear it and keyboard users can follow the links from there.
 */
export function ErrorSummary({ title, lead, items, attempt }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const shown = items.length > 0;

  useEffect(() => {
    if (shown) boxRef.current?.focus();
  }, [shown, attempt]);

  if (!shown) return null;
  return (
    <div ref={boxRef} className="error-summary" tabIndex={-1} aria-labelledby={headingId} role="group">
      <h2 id={headingId} className="error-summary-title">
        <span className="visually-hidden">{t('forms.errorPrefix')} </span>
        {title}
      </h2>
      {lead ? <p>{lead}</p> : null}
      <ul className="error-summary-list">
        {items.map((item) => (
          <li key={item.key}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(event) => {
                  if (!item.onActivate) return;
                  event.preventDefault();
                  item.onActivate();
                }}
              >
                {item.text}
              </a>
            ) : (
              item.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
