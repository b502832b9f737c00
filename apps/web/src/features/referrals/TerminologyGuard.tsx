import { useTranslation } from 'react-i18next';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';

/**
 * The terminology guard on the referral narrative: it warns and never blocks (the narrative is the
 * referrer's record). Other free text about a child uses WordingGuidance directly.
 */
export function TerminologyGuard({ text, id }: { text: string; id: string }) {
  const { t } = useTranslation();
  return <WordingGuidance text={text} id={id} intro={t('referrals.terminology.intro')} />;
}
