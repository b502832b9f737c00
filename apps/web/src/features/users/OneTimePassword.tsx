import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../components/Panel.tsx';

interface Props {
  heading: string;
  displayName: string;
  email: string;
  password: string;
  /** Something the administrator must know too: roles still waiting for a second administrator. */
  notice?: string;
  onDone: () => void;
}

/** Shows a one-time password once, with what the administrator must tell the person. */
export function OneTimePassword({ heading, displayName, email, password, notice, onDone }: Props) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };

  return (
    <Panel heading={heading} important>
      <p>{t('oneTimePassword.intro', { name: displayName, email })}</p>
      {notice ? (
        <div className="notice notice-warning">
          <p>{notice}</p>
        </div>
      ) : null}
      <p className="otp-block">
        <span className="otp-label">{t('oneTimePassword.label')}</span>{' '}
        <code className="otp">{password}</code>
      </p>
      <ul className="list">
        <li>{t('oneTimePassword.mustChange')}</li>
        <li>
          <strong>{t('oneTimePassword.notShownAgain')}</strong>
        </li>
        <li>{t('oneTimePassword.shareSafely')}</li>
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {t('oneTimePassword.copy')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('oneTimePassword.done')}
        </button>
      </div>
      <p role="status" className="live-region">
        {copied === 'yes'
          ? t('oneTimePassword.copied')
          : copied === 'no'
            ? t('oneTimePassword.copyFailed')
            : ''}
      </p>
    </Panel>
  );
}
