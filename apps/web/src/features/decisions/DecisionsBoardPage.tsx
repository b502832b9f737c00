import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { DeadlineItem } from '@tiaki/domain';
import { RadioGroup, SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { OverdueTag, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { useSession } from '../auth/session.tsx';
import { regionName } from '../referrals/labels.ts';
import { decisionsApi, type BoardView } from './api.ts';

function daysText(t: TFunction, item: DeadlineItem): string {
  if (item.workingDaysLeft === 0) return t('decisions.board.dueToday');
  if (item.workingDaysLeft < 0) return t('decisions.board.overdueBy', { count: -item.workingDaysLeft });
  return t('decisions.board.left', { count: item.workingDaysLeft });
}

/** /decisions: pending identification decisions by deadline, overdue first. */
export function DecisionsBoardPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  // What the board shows is kept in the address: Back returns to the same page, sort and filters.
  const { list, query, change, hrefFor } = useListState();
  const view: BoardView =
    list.filters.view === 'due_soon' || list.filters.view === 'overdue' ? list.filters.view : 'all';
  const assignee =
    list.filters.assignee === 'me' || list.filters.assignee === 'unassigned' ? list.filters.assignee : '';
  const load = useCallback(() => decisionsApi.board(query), [query]);
  const { state, reload } = useLoad(load);
  const total = state.status === 'ready' ? state.data.total : 0;

  return (
    <Page title={t('decisions.board.title')} lead={t('decisions.board.lead')}>
      <div className="filter-fields">
        <RadioGroup
          legend={t('decisions.board.show')}
          name="view"
          options={(['all', 'due_soon', 'overdue'] as const).map((value) => ({
            value,
            label: t(`decisions.board.views.${value}`),
          }))}
          value={view}
          onChange={(value) => {
            change({ filters: { view: value === 'all' ? undefined : value } });
          }}
        />
        <SelectField
          label={t('decisions.board.assignee')}
          name="assignee"
          options={[
            { value: '', label: t('decisions.board.anyone') },
            { value: 'me', label: t('decisions.board.me') },
            { value: 'unassigned', label: t('decisions.board.nobody') },
          ]}
          value={assignee}
          onChange={(value) => {
            change({ filters: { assignee: value || undefined } });
          }}
        />
      </div>
      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="deadline-board"
        caption={t('decisions.board.caption', { count: total })}
        list={list}
        defaultSort={{ sort: 'due', dir: 'asc' }}
        onSort={(sort, dir) => {
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        columns={[
          { label: t('decisions.board.columns.case'), sortKey: 'reference' },
          { label: t('decisions.board.columns.due'), sortKey: 'due' },
          { label: t('decisions.board.columns.state') },
          { label: t('decisions.board.columns.kind'), sortKey: 'kind' },
          { label: t('decisions.board.columns.region'), sortKey: 'region' },
          { label: t('decisions.board.columns.assignee') },
        ]}
        empty={t('decisions.board.empty')}
        renderRow={(item) => (
          <tr
            key={item.decisionId}
            className={`board-row board-${item.state}${item.state === 'overdue' ? ' row-overdue' : ''}`}
          >
            <td className="cell-name cell-nowrap" data-label={t('decisions.board.columns.case')}>
              <Link to={`/cases/${encodeURIComponent(item.caseId)}#case-decisions`} className="link">
                {item.caseReference}
              </Link>
            </td>
            <td className="cell-nowrap" data-label={t('decisions.board.columns.due')}>
              <time dateTime={item.dueOn}>{formatDate(item.dueOn)}</time>
              {item.earliestOn && item.state === 'not_yet_open' ? (
                <span className="cell-note">
                  {t('decisions.board.from', { date: formatDate(item.earliestOn) })}
                </span>
              ) : null}
            </td>
            <td data-label={t('decisions.board.columns.state')}>
              {item.state === 'overdue' ? (
                <OverdueTag />
              ) : (
                <span className={`badge badge-deadline-${item.state}`}>
                  {t(`decisions.board.states.${item.state}`)}
                </span>
              )}
              <span className="cell-note">{daysText(t, item)}</span>
            </td>
            <td data-label={t('decisions.board.columns.kind')}>{t(`decisions.kinds.${item.kind}`)}</td>
            <td data-label={t('decisions.board.columns.region')}>{regionName(item.region)}</td>
            <td data-label={t('decisions.board.columns.assignee')}>
              {item.assignee
                ? item.assignee.id === user.id
                  ? t('decisions.board.you')
                  : item.assignee.displayName
                : t('decisions.noAssignee')}
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
