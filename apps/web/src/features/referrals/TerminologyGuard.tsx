import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkTerminology, CONSENT_REMINDER } from '@tiaki/domain';

type Finding = ReturnType<typeof checkTerminology>[number];

const DELAY_MS = 300;

/** Checks the text a short moment after typing stops, so the list does not jump with every key. */
function useFindings(text: string): Finding[] {
  const [findings, setFindings] = useState<Finding[]>(() => checkTerminology(text));
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setFindings(checkTerminology(text));
    }, DELAY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [text]);
  return findings;
}

/**
 * The terminology guard: words that may suggest a child chose or is to blame for their own
 * exploitation, with better words and why. It warns and never blocks; the server checks again.
 */
export function TerminologyGuard({ text, id }: { text: string; id: string }) {
  const { t } = useTranslation();
  const findings = useFindings(text);
  const headingId = useId();
  const consent = findings.some((finding) => finding.kind === 'implies_consent');
  return (
    <div id={id}>
      {/* Only the count is announced: reading out the whole list at every pause would be too much. */}
      <p role="status" className="live-region">
        {findings.length ? t('referrals.terminology.found', { count: findings.length }) : ''}
      </p>
      {findings.length ? (
        <section className="notice notice-warning terminology" aria-labelledby={headingId}>
          <h3 id={headingId} className="terminology-heading">
            {t('referrals.terminology.heading')}
          </h3>
          <p>{t('referrals.terminology.intro')}</p>
          <ul className="terminology-list">
            {findings.map((finding) => (
              <li key={`${finding.start}-${finding.end}-${finding.kind}`}>
                <p className="terminology-term">
                  <mark>“{finding.text}”</mark>
                </p>
                {finding.preferred.length ? (
                  <p>
                    {t('referrals.terminology.preferred')}{' '}
                    {finding.preferred.map((word, index) => (
                      <span key={word}>
                        {index > 0 ? ', ' : null}
                        <strong>“{word}”</strong>
                      </span>
                    ))}
                  </p>
                ) : null}
                <p>
                  {t('referrals.terminology.why')} {finding.reason}
                </p>
              </li>
            ))}
          </ul>
          {consent ? <p className="terminology-reminder">{CONSENT_REMINDER}</p> : null}
        </section>
      ) : null}
    </div>
  );
}
