import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { StatisticsNav } from './StatisticsNav.tsx';

/** Placeholder: replaced by the trends screen. */
export function TrendsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('statistics.nav.trends')}>
      <StatisticsNav />
    </Page>
  );
}
