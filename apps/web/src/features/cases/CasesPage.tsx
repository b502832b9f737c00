import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { CaseStatus } from '@tiaki/domain';
import { SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { LoadedTable } from '../../components/tables.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { manifestationNames, regionName } from '../referrals/labels.ts';
import { ageBandName } from '../triage/labels.ts';
import { casesApi } from './api.ts';

/** /cases: the cases the person's organisation works on. No names: open a case to see the child. */
export function CasesPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CaseStatus | ''>('open');
  const load = useCallback(() => casesApi.list(status || undefined), [status]);
  const { state, reload } = useLoad(load);
  const cases = state.status === 'ready' ? state.data.cases : [];

  return (
    <Page title={t('cases.list.title')} lead={t('cases.list.lead')}>
      <div className="filter-fields">
        <SelectField
          label={t('cases.list.show')}
          name="status"
          options={[
            { value: 'open', label: t('cases.list.open') },
            { value: 'closed', label: t('cases.list.closed') },
            { value: '', label: t('cases.list.all') },
          ]}
          value={status}
          onChange={(value) => {
            setStatus(value as CaseStatus | '');
          }}
        />
      </div>
      <LoadedTable
        state={state}
        onRetry={() => void reload()}
        id="cases"
        caption={t('cases.list.caption', { count: cases.length })}
        columns={[
          t('cases.list.columns.reference'),
          t('cases.list.columns.identification'),
          t('cases.list.columns.nextDeadline'),
          t('cases.list.columns.region'),
          t('cases.list.columns.ageBand'),
          t('cases.list.columns.manifestations'),
          t('cases.list.columns.owner'),
        ]}
        rows={cases}
        empty={t('cases.list.empty')}
        renderRow={(item) => (
          <tr key={item.id}>
            <td className="cell-name cell-nowrap">
              <Link to={`/cases/${encodeURIComponent(item.id)}`} className="link">
                {item.reference}
              </Link>
              {item.status === 'closed' ? (
                <span className="cell-note">{t('cases.statuses.closed')}</span>
              ) : null}
            </td>
            <td>{t(`cases.identification.${item.identification}`)}</td>
            <td className="cell-nowrap">
              {item.nextDeadline ? (
                <>
                  {formatDate(item.nextDeadline.dueOn)}
                  <span className="cell-note">{t(`decisions.kinds.${item.nextDeadline.kind}`)}</span>
                </>
              ) : (
                t('cases.summary.noDeadline')
              )}
            </td>
            <td>{regionName(item.region)}</td>
            <td className="cell-nowrap">{ageBandName(item.ageBand) ?? t('triage.notKnown')}</td>
            <td className="cell-wide">{manifestationNames(item.manifestations)}</td>
            <td>{item.owner.name}</td>
          </tr>
        )}
      />
    </Page>
  );
}
