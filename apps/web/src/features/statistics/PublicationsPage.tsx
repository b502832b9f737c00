import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { StatisticsNav } from './StatisticsNav.tsx';

/** Placeholder: replaced by the publications screen. */
export function PublicationsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('statistics.nav.publications')}>
      <StatisticsNav />
    </Page>
  );
}
