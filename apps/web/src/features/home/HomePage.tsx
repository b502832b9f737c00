import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Role } from '@tiaki/domain';
import { DESTINATIONS, mayReach } from '../../components/destinations.ts';
import { Page } from '../../components/Page.tsx';
import { useSession } from '../auth/session.tsx';

type ComingSoonCard = 'dataQuality' | 'accessReviews';

/** Cards for what each role will do once it is built. */
const COMING_SOON: Readonly<Record<Role, readonly ComingSoonCard[]>> = {
  frontline: [],
  triage: [],
  decision_maker: [],
  caseworker: [],
  supervisor: [],
  service_provider: [],
  analyst: [],
  data_steward: ['dataQuality'],
  maori_data_governance: [],
  privacy_officer: [],
  auditor: ['accessReviews'],
  administrator: [],
};

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();

  const links = DESTINATIONS.filter((card) => mayReach(user.permissions, card));
  const comingSoon = [...new Set(user.roles.flatMap((role) => COMING_SOON[role]))];
  const roleNames = user.roles.map((role) => t(`roles.${role}.name`));

  return (
    <Page
      title={t('home.title')}
      heading={t('home.greeting', { name: user.displayName })}
      lead={t('home.lead', { organisation: user.organisation.name })}
    >
      <p className="meta">
        {roleNames.length
          ? t('home.yourRoles', { roles: roleNames.join(', '), count: roleNames.length })
          : t('home.noRoles')}
      </p>

      <h2 className="section-heading">{t('home.whatYouCanDo')}</h2>
      {links.length === 0 && comingSoon.length === 0 ? <p>{t('home.nothingYet')}</p> : null}
      <ul className="cards">
        {links.map((card) => (
          <li key={card.key} className="card card-link">
            <h3 className="card-title">
              <Link to={card.to} className="card-anchor">
                {t(`home.cards.${card.key}.title`)}
              </Link>
            </h3>
            <p>{t(`home.cards.${card.key}.text`)}</p>
          </li>
        ))}
        {comingSoon.map((key) => (
          <li key={key} className="card card-soon">
            <h3 className="card-title">{t(`home.soon.${key}.title`)}</h3>
            <p>{t(`home.soon.${key}.text`)}</p>
            <p className="tag">{t('home.comingSoon')}</p>
          </li>
        ))}
      </ul>

      {user.isDemo ? <p className="notice">{t('home.demoAccount')}</p> : null}
    </Page>
  );
}
