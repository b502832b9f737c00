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

interface Props {
  text: string;
  id: string;
  /** The first paragraph: what happens with these words on this form. */
  intro?: string;
  /** The heading's level: it sits under the form's own heading. */
  headingLevel?: 3 | 4 | 5 | 6;
}

/**
 * The terminology guard as guidance beside any free text about a child: words that may suggest a
 * child chose or is to blame for their own exploitation, with better words and why. Quoted words
 * (what someone said) are not flagged. The server checks again when the text is saved.
 */
export function WordingGuidance({ text, id, intro, headingLevel = 3 }: Props) {
  const { t } = useTranslation();
  const Heading = `h${headingLevel}` as const;
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
          <Heading id={headingId} className="terminology-heading">
            {t('referrals.terminology.heading')}
          </Heading>
          <p>{intro ?? t('wording.intro')}</p>
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
