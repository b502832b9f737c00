import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';

/** Placeholder: replaced by the research extracts screen. */
export function ExtractsPage() {
  const { t } = useTranslation();
  return <Page title={t('nav.extracts')} />;
}
