import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { Panel } from '../../components/Panel.tsx';
import { FilterChips, ListSearch, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { SelectField } from '../../components/forms.tsx';
import { DataTable, ListIntro } from '../../components/tables.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { extractsApi, type Extract } from './api.ts';
import { periodText, statusBadge, statusText } from './labels.ts';
import { RequestForm } from './RequestForm.tsx';

/** The statuses the list can be narrowed to ("all" is no filter). */
const STATUSES = ['all', 'awaiting_approvals', 'produced', 'declined', 'expired'] as const;
/** How many requests the "waiting for your decision" queue shows at once. */
const WAITING_SHOWN = 100;

/**
 * /extracts: analysts ask for research extracts and follow them; approvers find what waits for them.
 * The requests list is paged, sorted and filtered by the server, what is shown kept in the address.
 */
export function ExtractsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { list, query, change, hrefFor } = useListState();
  const load = useCallback(() => extractsApi.list(query), [query]);
  const { state, reload } = useLoad(load);
  const [asking, setAsking] = useState(false);
  const requester = can('extracts.request');
  const approver = can('extracts.approve') || can('extracts.approve_maori');
  const loadWaiting = useCallback(
    () =>
      approver
        ? extractsApi.list({ waiting: 'true', sort: 'requested', dir: 'asc', pageSize: WAITING_SHOWN })
        : Promise.resolve(null),
    [approver],
  );
  const waitingState = useLoad(loadWaiting);
  const waiting = waitingState.state.status === 'ready' ? waitingState.state.data : null;
  const total = state.status === 'ready' ? state.data.total : 0;
  const status = list.filters.status ?? 'all';

  return (
    <Page title={t('extracts.title')} lead={t('extracts.lead')}>
      {requester && !asking ? (
        <ListIntro
          success={null}
          addLabel={t('extracts.request.heading')}
          onAdd={() => {
            setAsking(true);
          }}
        />
      ) : null}
      {asking ? (
        <Panel heading={t('extracts.request.heading')} important>
          <p>{t('extracts.request.intro')}</p>
          <RequestForm
            onCancel={() => {
              setAsking(false);
            }}
          />
        </Panel>
      ) : null}
      {approver ? (
        <>
          <LoadStatus state={waitingState.state} onRetry={() => void waitingState.reload()} />
          {waiting ? (
            <ExtractList
              id="extracts-waiting"
              heading={t('extracts.lists.waiting')}
              rows={waiting.items}
              empty={t('extracts.lists.waitingEmpty')}
              caption={
                waiting.total > waiting.items.length
                  ? t('extracts.lists.waitingMore', { count: waiting.items.length, total: waiting.total })
                  : t('extracts.lists.waitingCaption', { count: waiting.total })
              }
              showRequester
            />
          ) : null}
        </>
      ) : null}
      <section aria-labelledby="extracts-all-heading">
        <h2 id="extracts-all-heading" className="section-heading">
          {approver ? t('extracts.lists.all') : t('extracts.lists.mine')}
        </h2>
        <ListSearch
          id="extracts-q"
          label={t('extracts.lists.search')}
          value={list.filters.q ?? ''}
          onSearch={(text) => {
            change({ filters: { q: text || undefined } });
          }}
        />
        <div className="filter-fields">
          <SelectField
            label={t('extracts.lists.show')}
            name="status"
            options={STATUSES.map((value) => ({ value, label: t(`extracts.lists.statusFilter.${value}`) }))}
            value={status}
            onChange={(value) => {
              change({ filters: { status: value === 'all' ? undefined : value } });
            }}
          />
        </div>
        {approver && requester ? (
          <FilterChips
            filters={['mine']}
            active={list.filters}
            onToggle={(filter, on) => {
              change({ filters: { [filter]: on ? 'true' : undefined } });
            }}
          />
        ) : null}
        <PagedTable
          state={state}
          onRetry={() => void reload()}
          id="extracts"
          caption={t('extracts.lists.pagedCaption', { count: total })}
          list={list}
          defaultSort={{ sort: 'requested', dir: 'desc' }}
          onSort={(sort, dir) => {
            change({ sort, dir });
          }}
          hrefFor={hrefFor}
          columns={[
            { label: t('extracts.lists.columns.purpose'), sortKey: 'purpose' },
            { label: t('extracts.lists.columns.period'), priority: 'low' },
            { label: t('extracts.lists.columns.requested'), sortKey: 'requested' },
            ...(approver ? [{ label: t('extracts.lists.columns.requestedBy') }] : []),
            { label: t('extracts.lists.columns.status'), sortKey: 'status' },
          ]}
          empty={
            Object.keys(list.filters).length > 0
              ? t('extracts.lists.noneMatch')
              : approver
                ? t('extracts.lists.allEmpty')
                : t('extracts.lists.mineEmpty')
          }
          renderRow={(extract) => <ExtractRow key={extract.id} extract={extract} showRequester={approver} />}
        />
      </section>
    </Page>
  );
}

function ExtractRow({ extract, showRequester }: { extract: Extract; showRequester: boolean }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td className="cell-wide" data-label={t('extracts.lists.columns.purpose')}>
        <Link to={`/extracts/${encodeURIComponent(extract.id)}`} className="link">
          {shorten(extract.purpose)}
        </Link>
      </td>
      <td className="col-low" data-label={t('extracts.lists.columns.period')}>
        {periodText(t, extract.period)}
      </td>
      <td className="cell-nowrap" data-label={t('extracts.lists.columns.requested')}>
        <time dateTime={extract.requestedAt}>{formatDateTime(extract.requestedAt)}</time>
      </td>
      {showRequester ? (
        <td data-label={t('extracts.lists.columns.requestedBy')}>{extract.requestedBy.displayName}</td>
      ) : null}
      <td data-label={t('extracts.lists.columns.status')}>
        <span className={statusBadge(extract.status)}>{statusText(t, extract)}</span>
      </td>
    </tr>
  );
}

interface ListProps {
  id: string;
  heading: string;
  rows: readonly Extract[];
  empty: string;
  caption: string;
  showRequester?: boolean;
}

/** The queue of requests waiting for this person's decision (oldest first). */
function ExtractList({ id, heading, rows, empty, caption, showRequester = false }: ListProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="section-heading">
        {heading}
      </h2>
      <DataTable
        id={id}
        caption={caption}
        columns={[
          t('extracts.lists.columns.purpose'),
          t('extracts.lists.columns.period'),
          t('extracts.lists.columns.requested'),
          ...(showRequester ? [t('extracts.lists.columns.requestedBy')] : []),
          t('extracts.lists.columns.status'),
        ]}
        rows={rows}
        empty={empty}
        renderRow={(extract) => (
          <tr key={extract.id}>
            <td className="cell-wide">
              <Link to={`/extracts/${encodeURIComponent(extract.id)}`} className="link">
                {shorten(extract.purpose)}
              </Link>
            </td>
            <td>{periodText(t, extract.period)}</td>
            <td className="cell-nowrap">
              <time dateTime={extract.requestedAt}>{formatDateTime(extract.requestedAt)}</time>
            </td>
            {showRequester ? <td>{extract.requestedBy.displayName}</td> : null}
            <td>
              <span className={statusBadge(extract.status)}>{statusText(t, extract)}</span>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

const SHORT = 120;

/** A long purpose cut at a word, so the list stays readable; the request's page shows all of it. */
function shorten(text: string): string {
  if (text.length <= SHORT) return text;
  const cut = text.slice(0, SHORT);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SHORT / 2)).trimEnd()}…`;
}
