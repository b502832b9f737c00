import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { Panel } from '../../components/Panel.tsx';
import { DataTable, ListIntro } from '../../components/tables.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { extractsApi, type Extract } from './api.ts';
import { approvalsFor, periodText, statusBadge, statusText } from './labels.ts';
import { RequestForm } from './RequestForm.tsx';

/** /extracts: analysts ask for research extracts and follow them; approvers find what waits for them. */
export function ExtractsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { user } = useSession();
  const { state, reload } = useLoad(extractsApi.list);
  const [asking, setAsking] = useState(false);
  const requester = can('extracts.request');
  const approver = can('extracts.approve') || can('extracts.approve_maori');
  const extracts = state.status === 'ready' ? state.data.extracts : [];
  // Approvers are sent every request, their own included: those never wait for their decision.
  const mine = extracts.filter((e) => e.requestedBy.id === user.id);
  const waiting = extracts.filter((e) => approvalsFor(e, user.id, can).length > 0);

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
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        <>
          {approver ? (
            <ExtractList
              id="extracts-waiting"
              heading={t('extracts.lists.waiting')}
              rows={waiting}
              empty={t('extracts.lists.waitingEmpty')}
              showRequester
            />
          ) : null}
          {requester ? (
            <ExtractList
              id="extracts-mine"
              heading={t('extracts.lists.mine')}
              rows={mine}
              empty={t('extracts.lists.mineEmpty')}
            />
          ) : null}
          {approver ? (
            <ExtractList
              id="extracts-all"
              heading={t('extracts.lists.all')}
              rows={extracts}
              empty={t('extracts.lists.allEmpty')}
              showRequester
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

interface ListProps {
  id: string;
  heading: string;
  rows: readonly Extract[];
  empty: string;
  showRequester?: boolean;
}

function ExtractList({ id, heading, rows, empty, showRequester = false }: ListProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="section-heading">
        {heading}
      </h2>
      <DataTable
        id={id}
        caption={t('extracts.lists.caption', { count: rows.length })}
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
