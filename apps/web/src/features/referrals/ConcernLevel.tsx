import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorScreen } from '@tiaki/domain';

interface Props {
  screen: IndicatorScreen;
  /** Announce changes politely, for the live panel beside the indicators. */
  live?: boolean;
  headingLevel?: 2 | 3;
}

/** The result of the indicator screen with its reasons: it informs and never decides. */
export function ConcernLevel({ screen, live = false, headingLevel = 2 }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={`concern concern-${screen.level}`} aria-labelledby={headingId}>
      <Heading id={headingId} className="concern-heading">
        {t('referrals.screen.heading')}
      </Heading>
      <p className="concern-level" role={live ? 'status' : undefined}>
        {t('referrals.screen.levelLabel')}{' '}
        <strong className="concern-value">{t(`referrals.screen.levels.${screen.level}`)}</strong>
      </p>
      <p className="concern-reasons-label">{t('referrals.screen.reasons')}</p>
      <ul className="concern-reasons">
        {screen.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <p className="concern-note">{t('referrals.screen.informs')}</p>
    </section>
  );
}
