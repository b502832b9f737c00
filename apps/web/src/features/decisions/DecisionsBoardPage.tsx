import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { DeadlineItem } from '@tiaki/domain';
import { RadioGroup, SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { LoadedTable } from '../../components/tables.tsx';
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
  const [view, setView] = useState<BoardView>('all');
  const [assignee, setAssignee] = useState<'' | 'me' | 'unassigned'>('');
  const load = useCallback(() => decisionsApi.board(view, assignee || undefined), [view, assignee]);
  const { state, reload } = useLoad(load);
  const rows = state.status === 'ready' ? state.data.decisions : [];
  const sorted = [...rows].sort(
    (a, b) => a.workingDaysLeft - b.workingDaysLeft || a.dueOn.localeCompare(b.dueOn),
  );

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
          onChange={setView}
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
            setAssignee(value as '' | 'me' | 'unassigned');
          }}
        />
      </div>
      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="deadline-board"
        caption={t('decisions.board.caption', { count: sorted.length })}
        columns={[
          t('decisions.board.columns.case'),
          t('decisions.board.columns.kind'),
          t('decisions.board.columns.due'),
          t('decisions.board.columns.state'),
          t('decisions.board.columns.region'),
          t('decisions.board.columns.assignee'),
        ]}
        rows={sorted}
        empty={t('decisions.board.empty')}
        renderRow={(item) => (
          <tr key={item.decisionId} className={`board-row board-${item.state}`}>
            <td className="cell-name cell-nowrap">
              <Link to={`/cases/${encodeURIComponent(item.caseId)}#case-decisions`} className="link">
                {item.caseReference}
              </Link>
            </td>
            <td>{t(`decisions.kinds.${item.kind}`)}</td>
            <td className="cell-nowrap">
              {formatDate(item.dueOn)}
              {item.earliestOn && item.state === 'not_yet_open' ? (
                <span className="cell-note">
                  {t('decisions.board.from', { date: formatDate(item.earliestOn) })}
                </span>
              ) : null}
            </td>
            <td>
              <span className={`badge badge-deadline-${item.state}`}>
                {t(`decisions.board.states.${item.state}`)}
              </span>
              <span className="cell-note">{daysText(t, item)}</span>
            </td>
            <td>{regionName(item.region)}</td>
            <td>
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
