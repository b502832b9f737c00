import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../components/useLoad.ts';
import { useCan } from '../auth/session.tsx';
import { statisticsApi } from './api.ts';
import './statistics.css';

const LINKS = [
  { to: '/statistics', key: 'dashboard' },
  { to: '/statistics/trends', key: 'trends' },
  { to: '/statistics/publications', key: 'publications' },
  { to: '/statistics/data-quality', key: 'dataQuality' },
  { to: '/statistics/iwi', key: 'iwi' },
  { to: '/statistics/matching-model', key: 'matchingModel' },
] as const;

/**
 * Moves between the statistics screens: the dashboard, trends, publications, (stewards) data
 * quality and the matching model, and (the Māori data governance group and the people it
 * approved) iwi statistics.
 */
export function StatisticsNav() {
  const { t } = useTranslation();
  const can = useCan();
  // Data quality shows exact figures: for data stewards only.
  // Iwi statistics: only for the group and people with an approval in force; others never see the link.
  const iwi = useLoad(statisticsApi.iwiAccess).state;
  const mayIwi = can('statistics.iwi_govern') || (iwi.status === 'ready' && iwi.data.view);
  const links = LINKS.filter(
    (link) =>
      (link.key !== 'dataQuality' || can('statistics.exact')) &&
      (link.key !== 'iwi' || mayIwi) &&
      (link.key !== 'matchingModel' || can('linkage.model')),
  );
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
