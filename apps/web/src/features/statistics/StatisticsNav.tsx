import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/session.tsx';
import './statistics.css';

const LINKS = [
  { to: '/statistics', key: 'dashboard' },
  { to: '/statistics/trends', key: 'trends' },
  { to: '/statistics/publications', key: 'publications' },
  { to: '/statistics/data-quality', key: 'dataQuality' },
] as const;

/** Moves between the statistics screens: the dashboard, trends, publications and (stewards) data quality. */
export function StatisticsNav() {
  const { t } = useTranslation();
  const can = useCan();
  // Data quality shows exact figures: for data stewards only.
  const links = LINKS.filter((link) => link.key !== 'dataQuality' || can('statistics.exact'));
  return (
    <nav className="statistics-nav" aria-label={t('statistics.nav.label')}>
      <ul>
        {links.map((link) => (
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
