import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchResult } from '@tiaki/domain';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { ListSearch } from '../../components/PagedTable.tsx';
import { DataTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { ageBandName } from '../triage/labels.ts';
import { searchApi } from './api.ts';

const PARAM = 'find';

function hrefOf(result: SearchResult): string {
  return result.kind === 'case'
    ? `/cases/${encodeURIComponent(result.id)}`
    : `/triage/${encodeURIComponent(result.id)}`;
}

/** What was found: nothing is searched until someone asks. */
function Found({ text }: { text: string }) {
  const { t } = useTranslation();
  const load = useCallback(() => searchApi.find(text), [text]);
  const { state, reload } = useLoad(load);
  return (
    <div className="search-results">
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        <>
          <div role="status" className="live-region">
            <p>{t('search.results', { count: state.data.results.length })}</p>
          </div>
          {state.data.truncated ? <p>{t('search.truncated')}</p> : null}
          <DataTable
            id="search-results"
            caption={t('search.heading')}
            columns={[
              t('search.columns.record'),
              t('search.columns.matchedOn'),
              t('search.columns.status'),
              t('search.columns.date'),
              t('search.columns.region'),
              t('search.columns.ageBand'),
            ]}
            rows={state.data.results}
            empty={t('search.none')}
            renderRow={(result) => (
              <tr key={`${result.kind}:${result.id}`}>
                <td className="cell-name cell-nowrap" data-label={t('search.columns.record')}>
                  <Link to={hrefOf(result)} className="link">
                    {result.reference}
                  </Link>
                  <span className="cell-note">{t(`search.kinds.${result.kind}`)}</span>
                </td>
                <td data-label={t('search.columns.matchedOn')}>
                  {t(`search.matchedOn.${result.matchedOn}`)}
                </td>
                <td data-label={t('search.columns.status')}>{result.status.replace(/_/g, ' ')}</td>
                <td className="cell-nowrap" data-label={t('search.columns.date')}>
                  <time dateTime={result.date}>{formatDate(result.date)}</time>
                </td>
                <td data-label={t('search.columns.region')}>{regionName(result.region)}</td>
                <td data-label={t('search.columns.ageBand')}>
                  {ageBandName(result.ageBand) ?? t('triage.notKnown')}
                </td>
              </tr>
            )}
          />
        </>
      ) : null}
    </div>
  );
}

/**
 * Find a child's case or referral by reference, name or date of birth. The words searched for stay
 * in this page's address (`?find=`) so Back returns to the results; the server never logs them.
 */
export function ChildSearch() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const text = params.get(PARAM) ?? '';
  return (
    <section className="panel" aria-labelledby="child-search-heading">
      <h2 id="child-search-heading" className="panel-heading">
        {t('lists.search')}
      </h2>
      <ListSearch
        id="child-search"
        label={t('search.label')}
        hint={t('search.hint')}
        value={text}
        buttonLabel={t('search.button')}
        onSearch={(next) => {
          const search = new URLSearchParams(params);
          if (next) search.set(PARAM, next);
          else search.delete(PARAM);
          setParams(search);
        }}
      />
      {text.length >= 2 ? <Found key={text} text={text} /> : null}
    </section>
  );
}
