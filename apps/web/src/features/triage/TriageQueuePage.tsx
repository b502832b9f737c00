import { useCallback, useEffect, useMemo, useState, type SubmitEvent } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, REGIONS, type TriageItem } from '@tiaki/domain';
import { errorMessage } from '../../components/errors.ts';
import { Form, SelectField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { FilterChips, nzToday, OverdueTag, PagedTable, useListState } from '../../components/PagedTable.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import { useSession } from '../auth/session.tsx';
import { casesApi } from '../cases/api.ts';
import { manifestationNames, regionName } from '../referrals/labels.ts';
import { triageApi } from './api.ts';
import { ChildSearch } from '../search/ChildSearch.tsx';
import { ageBandName } from './labels.ts';

const FILTER_FIELDS = ['region', 'manifestation', 'organisationId', 'assignee'] as const;
type Filter = Record<(typeof FILTER_FIELDS)[number], string>;
const NO_FILTER: Filter = { region: '', manifestation: '', organisationId: '', assignee: '' };

function filterOf(filters: Readonly<Record<string, string>>): Filter {
  return {
    region: filters.region ?? '',
    manifestation: filters.manifestation ?? '',
    organisationId: filters.organisationId ?? '',
    assignee: filters.assignee === 'me' || filters.assignee === 'unassigned' ? filters.assignee : '',
  };
}

/** /triage: referrals waiting for the lead agency, urgent first, then the oldest. No names here. */
export function TriageQueuePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const passed = (location.state as { message?: unknown } | null)?.message;
  // What the queue shows is kept in the address: Back returns to the same page, sort and filters.
  const { list, query, change, hrefFor } = useListState();
  const applied = useMemo(() => filterOf(list.filters), [list.filters]);
  const [draft, setDraft] = useState<Filter>(applied);
  // Back or Forward changed the filters in the address: the form shows them.
  const [draftFor, setDraftFor] = useState<Filter>(applied);
  if (draftFor !== applied) {
    setDraftFor(applied);
    setDraft(applied);
  }
  const load = useCallback(() => triageApi.queue(query), [query]);
  const { state, reload } = useLoad(load);
  const rows = useMemo(() => (state.status === 'ready' ? state.data.items : []), [state]);
  const total = state.status === 'ready' ? state.data.total : 0;
  const today = nzToday();
  const [seenOrganisations, setSeenOrganisations] = useState<Map<string, string>>(new Map());
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [assignTo, setAssignTo] = useState('me');
  const [assigning, setAssigning] = useState(false);
  const [assignError, setAssignError] = useState<unknown>(null);
  const [success, setSuccess] = useState<string | null>(typeof passed === 'string' ? passed : null);
  const filterForm = useForm(FILTER_FIELDS);
  const [colleagues, setColleagues] = useState<{ id: string; displayName: string }[]>([]);

  useEffect(() => {
    let cancelled = false;
    casesApi.colleagues('referrals.triage').then(
      ({ people }) => {
        if (!cancelled) setColleagues(people.filter((person) => person.id !== user.id));
      },
      () => {
        // Without the list, referrals can still be assigned to oneself.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [user.id]);

  // Referring organisations seen so far, for the filter (there is no list of organisations to ask for).
  const known = useMemo(() => {
    const merged = new Map(seenOrganisations);
    for (const row of rows) merged.set(row.referringOrganisation.id, row.referringOrganisation.name);
    return merged;
  }, [rows, seenOrganisations]);

  const visibleChosen = rows.filter((row) => chosen.has(row.id));
  const allChosen = rows.length > 0 && visibleChosen.length === rows.length;

  const applyFilter = (event: SubmitEvent) => {
    event.preventDefault();
    setSeenOrganisations(known);
    setChosen(new Set());
    setSuccess(null);
    change({ filters: { ...draft } });
  };

  const clearFilter = () => {
    setDraft(NO_FILTER);
    setChosen(new Set());
    change({
      filters: { ...NO_FILTER, q: undefined, mine: undefined, overdue: undefined, dueThisWeek: undefined },
    });
  };

  const toggle = (id: string, on: boolean) => {
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const assign = async () => {
    if (assigning) return;
    setSuccess(null);
    setAssignError(null);
    if (visibleChosen.length === 0) {
      setAssignError(t('triage.queue.chooseFirst'));
      return;
    }
    setAssigning(true);
    try {
      const assigneeId = assignTo === 'me' ? user.id : assignTo === 'nobody' ? null : assignTo;
      await triageApi.assign(
        visibleChosen.map((row) => row.id),
        assigneeId,
      );
      setChosen(new Set());
      const colleague = colleagues.find((person) => person.id === assigneeId);
      setSuccess(
        assignTo === 'me'
          ? t('triage.queue.assignedToYou', { count: visibleChosen.length })
          : colleague
            ? t('triage.queue.assignedTo', { count: visibleChosen.length, name: colleague.displayName })
            : t('triage.queue.unassigned', { count: visibleChosen.length }),
      );
      await reload();
    } catch (error) {
      setAssignError(error);
    } finally {
      setAssigning(false);
    }
  };

  const filtered = Object.keys(list.filters).some((key) => key !== 'find');
  // The filter form stays folded away unless one of its filters is on.
  const formFiltered = ['region', 'manifestation', 'organisationId', 'assignee'].some(
    (key) => list.filters[key],
  );

  return (
    <Page title={t('triage.queue.title')} lead={t('triage.queue.lead')}>
      {/* Search and filters side by side on a wide screen, so the queue starts on the first screen. */}
      <div className="list-panels">
        <ChildSearch />
        <div>
          <details className="panel filter-details" open={formFiltered}>
            <summary id="triage-filter-heading" className="panel-heading">
              {t('triage.queue.filterHeading')}
            </summary>
            <Form
              form={filterForm}
              className="filter-form"
              submitLabel={t('triage.queue.applyFilter')}
              onSubmit={applyFilter}
              actions={
                filtered ? (
                  <button type="button" className="button button-secondary" onClick={clearFilter}>
                    {t('triage.queue.clearFilter')}
                  </button>
                ) : null
              }
            >
              <div className="filter-fields">
                <SelectField
                  label={t('triage.queue.filters.region')}
                  name="region"
                  placeholder={t('triage.queue.filters.anyRegion')}
                  options={REGIONS.map((region) => ({ value: region.code, label: region.name }))}
                  value={draft.region}
                  onChange={(region) => {
                    setDraft((f) => ({ ...f, region }));
                  }}
                />
                <SelectField
                  label={t('triage.queue.filters.manifestation')}
                  name="manifestation"
                  placeholder={t('triage.queue.filters.anyManifestation')}
                  options={CURRENT_TAXONOMY.manifestations.map((m) => ({ value: m.code, label: m.label }))}
                  value={draft.manifestation}
                  onChange={(manifestation) => {
                    setDraft((f) => ({ ...f, manifestation }));
                  }}
                />
                <SelectField
                  label={t('triage.queue.filters.organisation')}
                  name="organisationId"
                  placeholder={t('triage.queue.filters.anyOrganisation')}
                  options={[...known].map(([value, label]) => ({ value, label }))}
                  value={draft.organisationId}
                  onChange={(organisationId) => {
                    setDraft((f) => ({ ...f, organisationId }));
                  }}
                />
                <SelectField
                  label={t('triage.queue.filters.assignee')}
                  name="assignee"
                  options={[
                    { value: '', label: t('triage.queue.filters.everyone') },
                    { value: 'me', label: t('triage.queue.filters.me') },
                    { value: 'unassigned', label: t('triage.queue.filters.nobody') },
                  ]}
                  value={draft.assignee}
                  onChange={(assignee) => {
                    setDraft((f) => ({ ...f, assignee }));
                  }}
                />
              </div>
            </Form>
          </details>
          <FilterChips
            filters={['mine', 'overdue', 'dueThisWeek']}
            active={list.filters}
            onToggle={(filter, on) => {
              setChosen(new Set());
              change({ filters: { [filter]: on ? 'true' : undefined } });
            }}
          />
          {rows.length > 0 ? (
            <div className="bulk-bar" role="group" aria-labelledby="bulk-label">
              <p id="bulk-label" className="bulk-count">
                {t('triage.queue.chosen', { count: visibleChosen.length })}
              </p>
              <SelectField
                label={t('triage.queue.assignTo')}
                name="assignTo"
                options={[
                  { value: 'me', label: t('triage.queue.assignToMe', { name: user.displayName }) },
                  ...colleagues.map((person) => ({ value: person.id, label: person.displayName })),
                  { value: 'nobody', label: t('triage.queue.assignToNobody') },
                ]}
                value={assignTo}
                onChange={setAssignTo}
              />
              <div className="actions">
                <button
                  type="button"
                  className="button"
                  aria-disabled={assigning || undefined}
                  onClick={() => void assign()}
                >
                  {assigning ? t('triage.queue.assigning') : t('triage.queue.assign')}
                </button>
              </div>
            </div>
          ) : null}
        </div>
      </div>

      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>

      <h2 className="visually-hidden">
        {filtered ? t('triage.queue.waitingFiltered') : t('triage.queue.waiting')}
      </h2>
      <div role="alert" className="live-region">
        {assignError ? (
          <div className="alert alert-error">
            <p>{typeof assignError === 'string' ? assignError : errorMessage(t, assignError)}</p>
          </div>
        ) : null}
      </div>

      <PagedTable
        state={state}
        onRetry={() => void reload()}
        id="triage-queue"
        caption={t('triage.queue.caption', { count: total })}
        list={list}
        defaultSort={{ sort: 'urgent', dir: 'desc' }}
        onSort={(sort, dir) => {
          setChosen(new Set());
          change({ sort, dir });
        }}
        hrefFor={hrefFor}
        leading={
          <span className="row-check">
            <input
              id="choose-all"
              type="checkbox"
              checked={allChosen}
              onChange={(event) => {
                setChosen(event.target.checked ? new Set(rows.map((row) => row.id)) : new Set());
              }}
            />
            <label htmlFor="choose-all" className="visually-hidden">
              {t('triage.queue.chooseAll')}
            </label>
          </span>
        }
        columns={[
          { label: t('triage.queue.columns.reference'), sortKey: 'reference' },
          { label: t('triage.queue.columns.due'), sortKey: 'due' },
          { label: t('triage.queue.columns.received'), sortKey: 'received' },
          { label: t('triage.queue.columns.urgency'), sortKey: 'urgent' },
          { label: t('triage.queue.columns.region'), sortKey: 'region' },
          { label: t('triage.queue.columns.assignee') },
          { label: t('triage.queue.columns.manifestations'), priority: 'low' },
          { label: t('triage.queue.columns.ageBand'), priority: 'low' },
          { label: t('triage.queue.columns.referrer'), priority: 'low' },
        ]}
        empty={filtered ? t('triage.queue.emptyFiltered') : t('triage.queue.empty')}
        renderRow={(row: TriageItem) => {
          const overdue = row.reasonableGroundsDueOn < today;
          return (
            <tr key={row.id} className={overdue ? 'row-overdue' : undefined}>
              <td>
                <span className="row-check">
                  <input
                    id={`choose-${row.id}`}
                    type="checkbox"
                    checked={chosen.has(row.id)}
                    onChange={(event) => {
                      toggle(row.id, event.target.checked);
                    }}
                  />
                  <label htmlFor={`choose-${row.id}`} className="visually-hidden">
                    {t('triage.queue.choose', { reference: row.reference })}
                  </label>
                </span>
              </td>
              <td className="cell-name cell-nowrap" data-label={t('triage.queue.columns.reference')}>
                <Link to={`/triage/${encodeURIComponent(row.id)}`} className="link">
                  {row.reference}
                </Link>
                {row.childIdentified ? null : (
                  <span className="cell-note">{t('triage.queue.notIdentified')}</span>
                )}
                {row.possibleMatches > 0 ? (
                  <span className="cell-note">
                    <span className="badge badge-match">
                      {t('triage.queue.possibleMatch', { count: row.possibleMatches })}
                    </span>
                  </span>
                ) : null}
              </td>
              <td className="cell-nowrap" data-label={t('triage.queue.columns.due')}>
                <time dateTime={row.reasonableGroundsDueOn}>{formatDate(row.reasonableGroundsDueOn)}</time>
                {overdue ? (
                  <>
                    {' '}
                    <OverdueTag />
                  </>
                ) : null}
              </td>
              <td className="cell-nowrap" data-label={t('triage.queue.columns.received')}>
                <time dateTime={row.receivedOn}>{formatDate(row.receivedOn)}</time>
              </td>
              <td data-label={t('triage.queue.columns.urgency')}>
                {row.urgent ? (
                  <span className="badge badge-urgent">{t('triage.urgent')}</span>
                ) : (
                  t('triage.queue.notUrgent')
                )}
              </td>
              <td data-label={t('triage.queue.columns.region')}>{regionName(row.region)}</td>
              <td data-label={t('triage.queue.columns.assignee')}>
                {row.assignee
                  ? row.assignee.id === user.id
                    ? t('triage.queue.you')
                    : row.assignee.displayName
                  : t('triage.queue.nobody')}
              </td>
              <td className="col-low" data-label={t('triage.queue.columns.manifestations')}>
                {manifestationNames(row.manifestations)}
              </td>
              <td className="cell-nowrap col-low" data-label={t('triage.queue.columns.ageBand')}>
                {ageBandName(row.ageBand) ?? t('triage.notKnown')}
              </td>
              <td className="col-low" data-label={t('triage.queue.columns.referrer')}>
                {row.referringOrganisation.name}
              </td>
            </tr>
          );
        }}
      />
    </Page>
  );
}
