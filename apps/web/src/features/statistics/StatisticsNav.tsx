import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import './statistics.css';

const LINKS = [
  { to: '/statistics', key: 'dashboard' },
  { to: '/statistics/trends', key: 'trends' },
  { to: '/statistics/publications', key: 'publications' },
] as const;

/** Moves between the statistics screens: the dashboard, trends and publications. */
export function StatisticsNav() {
  const { t } = useTranslation();
  return (
    <nav className="statistics-nav" aria-label={t('statistics.nav.label')}>
      <ul>
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end>
              {t(`statistics.nav.${link.key}`)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
