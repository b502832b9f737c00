import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MatchingModelVersion } from '@tiaki/domain';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { errorMessage } from '../../components/errors.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { DataTable, ListIntro, RowButton } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatNumber, formatPercent } from '../../i18n/format.ts';
import { statisticsApi } from './api.ts';
import { StatisticsNav } from './StatisticsNav.tsx';
import './statistics.css';

type Figures = MatchingModelVersion['figures']['before'];
/** What is being confirmed: a version to put in use, or the built-in model. */
type Choice = { versionId: string; number: number | null } | null;

const STATUS_KEY = {
  in_use: 'statusIn_use',
  candidate: 'statusCandidate',
  earlier: 'statusEarlier',
} as const;

/**
 * Data stewards: the matching model. How many triage decisions it can learn from, a new version
 * learnt from them with before/after figures, putting a version in use, and the way back to any
 * earlier version or to the built-in model (each confirmed first, and audited).
 */
export function MatchingModelPage() {
  const { t } = useTranslation();
  const { state, reload } = useLoad(statisticsApi.matchingModel);
  const [busy, setBusy] = useState(false);
  const [success, setSuccess] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [choice, setChoice] = useState<Choice>(null);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setFailure(null);
    setSuccess(null);
    try {
      setSuccess(await action());
      await reload();
    } catch (error) {
      setFailure(errorMessage(t, error));
    } finally {
      setBusy(false);
    }
  };
  const learn = () =>
    act(async () => {
      const { number } = await statisticsApi.learnModel();
      return t('statistics.model.learnt', { number });
    });
  const use = (c: NonNullable<Choice>) =>
    act(async () => {
      await statisticsApi.useModel(c.versionId);
      setChoice(null);
      return t('statistics.model.done', {
        name:
          c.number === null ? t('statistics.model.builtIn') : `${t('statistics.model.version')} ${c.number}`,
      });
    });

  const figureLines = (before: Figures, after: Figures) =>
    (['precision', 'recall', 'f1'] as const).map((key) => (
      <span key={key} className="model-figure">
        {t('statistics.model.figureLine', {
          label: t(`statistics.model.${key}`),
          before: formatPercent(before[key]),
          after: formatPercent(after[key]),
        })}
      </span>
    ));

  return (
    <Page
      title={t('statistics.model.title')}
      heading={t('statistics.model.title')}
      lead={t('statistics.model.lead')}
    >
      <StatisticsNav />
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        <>
          <p className="notice">
            {t('statistics.model.inUse', {
              name: state.data.inUse
                ? `${t('statistics.model.version')} ${state.data.inUse.number}`
                : t('statistics.model.builtIn'),
            })}
          </p>
          <ListIntro success={success} />
          {failure ? (
            <div className="alert alert-error" role="alert">
              <p>{failure}</p>
            </div>
          ) : null}
          <section aria-labelledby="model-reviews">
            <h2 id="model-reviews" className="section-heading">
              {t('statistics.model.reviewsHeading')}
            </h2>
            <p>
              {t('statistics.model.reviews', {
                confirmed: formatNumber(state.data.reviews.confirmed),
                rejected: formatNumber(state.data.reviews.rejected),
              })}
            </p>
            {state.data.reviews.enough ? (
              <>
                <p>{t('statistics.model.enough')}</p>
                <div className="actions">
                  <button
                    type="button"
                    className="button"
                    aria-disabled={busy || undefined}
                    onClick={() => {
                      if (!busy) void learn();
                    }}
                  >
                    {busy ? t('statistics.model.learning') : t('statistics.model.learn')}
                  </button>
                </div>
              </>
            ) : (
              <p>{t('statistics.model.notEnough', { minimum: state.data.reviews.minimumEach })}</p>
            )}
          </section>
          <section aria-labelledby="model-versions">
            <h2 id="model-versions" className="section-heading">
              {t('statistics.model.versionsHeading')}
            </h2>
            {choice ? (
              <ConfirmStep
                busy={busy}
                question={
                  choice.number === null
                    ? t('statistics.model.confirmBuiltIn')
                    : t('statistics.model.confirmUse', { number: choice.number })
                }
                detail={t('statistics.model.confirmDetail')}
                onConfirm={() => void use(choice)}
                onCancel={() => {
                  setChoice(null);
                }}
              />
            ) : null}
            <DataTable
              id="model-versions-table"
              caption={t('statistics.model.versionsCaption')}
              stack
              compact
              columns={[
                t('statistics.model.version'),
                t('statistics.model.status'),
                t('statistics.model.learntFrom'),
                t('statistics.model.figures'),
                t('statistics.model.made'),
              ]}
              actionsColumn={t('statistics.model.actions')}
              rows={state.data.versions}
              empty={t('statistics.model.none')}
              renderRow={(v) => (
                <tr key={v.id}>
                  <td id={`model-${v.id}`} data-label={t('statistics.model.version')}>
                    {t('statistics.model.version')} {v.number}
                  </td>
                  <td data-label={t('statistics.model.status')}>
                    {t(`statistics.model.${STATUS_KEY[v.status]}`)}
                  </td>
                  <td data-label={t('statistics.model.learntFrom')}>
                    {t('statistics.model.learntFromValue', {
                      confirmed: formatNumber(v.reviewsConfirmed),
                      rejected: formatNumber(v.reviewsRejected),
                    })}
                  </td>
                  <td data-label={t('statistics.model.figures')}>
                    {figureLines(v.figures.before, v.figures.after)}
                    {v.figures.beforeSeen ? (
                      <span className="meta model-note">
                        {t('statistics.model.beforeSeen', { count: v.figures.beforeSeen })}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t('statistics.model.made')}>
                    {t('statistics.model.madeBy', { person: v.createdBy, date: formatDate(v.createdAt) })}
                  </td>
                  <td>
                    {v.status === 'in_use' ? null : (
                      <RowButton
                        describedBy={`model-${v.id}`}
                        onClick={() => {
                          setChoice({ versionId: v.id, number: v.number });
                        }}
                      >
                        {v.status === 'candidate' ? t('statistics.model.use') : t('statistics.model.goBack')}
                      </RowButton>
                    )}
                  </td>
                </tr>
              )}
            />
            {state.data.inUse ? (
              <div className="actions">
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => {
                    setChoice({ versionId: 'built-in', number: null });
                  }}
                >
                  {t('statistics.model.useBuiltIn')}
                </button>
              </div>
            ) : null}
          </section>
          <section aria-labelledby="model-how">
            <h2 id="model-how" className="section-heading">
              {t('statistics.model.figuresHeading')}
            </h2>
            <ul className="list">
              <li>{t('statistics.model.how.precision')}</li>
              <li>{t('statistics.model.how.recall')}</li>
              <li>{t('statistics.model.how.f1')}</li>
              <li>
                {t('statistics.model.how.before', { folds: state.data.versions[0]?.figures.folds ?? 5 })}
              </li>
              <li>{t('statistics.model.how.limits')}</li>
            </ul>
          </section>
        </>
      ) : null}
    </Page>
  );
}
