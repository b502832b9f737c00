import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { URGENT_ACTIONS, type UrgentAction } from '@tiaki/domain';

/** "What to do now" for a child at immediate risk: prominent, and in the order to do things. */
export function UrgentActions({
  actions = URGENT_ACTIONS,
  headingLevel = 2,
  submitted = false,
}: {
  actions?: readonly UrgentAction[];
  headingLevel?: 2 | 3;
  /** After the referral is sent: the wording no longer speaks of finishing the form. */
  submitted?: boolean;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="urgent" aria-labelledby={headingId}>
      <Heading id={headingId} className="urgent-heading">
        {t('referrals.urgent.heading')}
      </Heading>
      <p>{submitted ? t('referrals.urgent.leadAfter') : t('referrals.urgent.lead')}</p>
      <ol className="urgent-list">
        {actions.map((action) => (
          <li key={action}>{t(`referrals.urgent.actions.${action}`)}</li>
        ))}
      </ol>
    </section>
  );
}
