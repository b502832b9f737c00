import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { authApi } from './api.ts';
import { CodeForm } from './CodeForm.tsx';

export function MfaVerifyPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('mfa.verifyTitle')} lead={t('mfa.verifyLead')} narrow>
      <CodeForm submitLabel={t('mfa.verify')} send={authApi.verifyMfa} />
      <p className="hint">{t('mfa.lostDevice')}</p>
    </Page>
  );
}
