import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { DESTINATIONS, mayReach } from '../../components/destinations.ts';
import { Page } from '../../components/Page.tsx';
import { useSession } from '../auth/session.tsx';
import { MyWork } from './MyWork.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();

  const links = DESTINATIONS.filter((card) => mayReach(user.permissions, card));
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

      <MyWork />

      <h2 className="section-heading">{t('home.whatYouCanDo')}</h2>
      {links.length === 0 ? <p>{t('home.nothingYet')}</p> : null}
      <ul className="cards">
        {links.map((card) => (
          <li key={card.key} className="card card-link">
            <h3 className="card-title">
              <Link to={card.to} className="card-anchor">
                {t(`home.cards.${card.key}.title`)}
              </Link>
            </h3>
            <p>
              {/* The chain check needs audit.verify: the card promises only what this person can do. */}
              {card.key === 'audit' && !user.permissions.includes('audit.verify')
                ? t('home.cards.audit.textWithout')
                : t(`home.cards.${card.key}.text`)}
            </p>
          </li>
        ))}
      </ul>

      {user.isDemo ? <p className="notice">{t('home.demoAccount')}</p> : null}
    </Page>
  );
}
