import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';

/** Placeholder: replaced by one research extract request. */
export function ExtractPage() {
  const { t } = useTranslation();
  return <Page title={t('nav.extracts')} />;
}
