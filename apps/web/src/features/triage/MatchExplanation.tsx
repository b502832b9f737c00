import { useTranslation } from 'react-i18next';
import type { MatchExplanation as Explanation } from '@tiaki/domain';
import { DataTable } from '../../components/tables.tsx';
import { formatPercent } from '../../i18n/format.ts';

/** How likely the two records are about one child, in words a person can weigh. */
export type Likelihood = 'very_likely' | 'possibly' | 'unlikely';

export function likelihoodOf(probability: number): Likelihood {
  if (probability >= 0.9) return 'very_likely';
  if (probability >= 0.5) return 'possibly';
  return 'unlikely';
}

/** What one field's evidence (in bits) amounts to. */
export type Strength = 'strong_for' | 'some_for' | 'none' | 'some_against' | 'strong_against';

export function strengthOf(weight: number): Strength {
  if (weight >= 6) return 'strong_for';
  if (weight > 0) return 'some_for';
  if (weight <= -6) return 'strong_against';
  if (weight < 0) return 'some_against';
  return 'none';
}

/** "Very likely the same child (99%)". */
export function LikelihoodLine({ probability }: { probability: number }) {
  const { t } = useTranslation();
  const likelihood = likelihoodOf(probability);
  return (
    <p className={`candidate-score likelihood likelihood-${likelihood}`}>
      {t(`triage.candidates.likelihood.${likelihood}`, { percent: formatPercent(probability) })}
    </p>
  );
}

/** "Why Tiaki suggests this": one row per detail compared, with how much it counted, in words. */
export function MatchExplanation({
  id,
  reference,
  explanation,
}: {
  id: string;
  reference: string;
  explanation: Explanation;
}) {
  const { t } = useTranslation();
  return (
    <>
      <DataTable
        id={id}
        compact
        stack
        caption={t('triage.candidates.explanation.caption', { reference })}
        columns={[
          t('triage.candidates.explanation.comparison'),
          t('triage.candidates.explanation.level'),
          t('triage.candidates.explanation.strength'),
        ]}
        rows={explanation.fields}
        empty={t('triage.candidates.explanation.empty')}
        renderRow={(field) => {
          const strength = strengthOf(field.weight);
          return (
            <tr key={field.comparison}>
              <th scope="row" className="cell-name">
                {capitalise(field.comparison)}
              </th>
              <td data-label={t('triage.candidates.explanation.level')}>{levelWords(field.level)}</td>
              <td data-label={t('triage.candidates.explanation.strength')}>
                <span className={`strength strength-${strength}`}>
                  <span className="strength-mark" aria-hidden="true">
                    {STRENGTH_MARKS[strength]}
                  </span>{' '}
                  {t(`triage.candidates.explanation.strengths.${strength}`)}
                </span>
              </td>
            </tr>
          );
        }}
      />
      <details className="explanation-more">
        <summary>{t('triage.candidates.explanation.howSummary')}</summary>
        <p>{t('triage.candidates.explanation.how')}</p>
        <p className="cell-note">{t('triage.candidates.explanation.model', { model: explanation.model })}</p>
      </details>
    </>
  );
}

/** Marks that repeat the words for sighted readers; never the only signal. */
const STRENGTH_MARKS: Record<Strength, string> = {
  strong_for: '▲▲',
  some_for: '▲',
  none: '–',
  some_against: '▼',
  strong_against: '▼▼',
};

/**
 * How two details compare, in plain words: the engine's level names carry the measure it used
 * ("similar spelling (Jaro–Winkler ≥ 0.80)"), which means nothing to the person deciding.
 */
export function levelWords(level: string): string {
  return level
    .replaceAll(/\s*\((?:Jaro[–-]Winkler|JW)[^)]*\)/gi, '')
    .replace(/^one edit apart$/, 'one letter different')
    .replace(/^within (\d+) edits$/, 'up to $1 letters different');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
