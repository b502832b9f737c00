import { useEffect, useMemo, useState, type SubmitEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTION_LABELS, auditActionLabel, type AuditEvent } from '@tiaki/domain';
import { errorMessage, formErrorsFrom, invalidForm, noErrors } from '../../components/errors.ts';
import { Form, SelectField, TextField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { DataTable } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDateTimePrecise, formatNumber } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { AUDIT_PAGE_SIZE, auditApi, type AuditFilter } from './api.ts';

const FILTER_FIELDS = ['action', 'from', 'to', 'actor', 'subjectId'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];
const EMPTY_FILTER: Record<FilterField, string> = {
  action: '',
  from: '',
  to: '',
  actor: '',
  subjectId: '',
};
const TEXT_FIELDS = ['actor', 'subjectId'] as const;
/** Every action in words, alphabetically: people choose what happened, not a code. */
const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label));

type ListState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; events: AuditEvent[]; done: boolean };

type Verification = Awaited<ReturnType<typeof auditApi.verify>>;
type VerifyState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: Verification }
  | { status: 'error'; error: unknown };

function formatDetail(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function AuditPage() {
  const { t } = useTranslation();
  const columns = [
    t('audit.columns.time'),
    t('audit.columns.action'),
    t('audit.columns.actor'),
    t('audit.columns.subject'),
    t('audit.columns.details'),
  ];
  const can = useCan();
  // The filters applied are kept in the address: Back, a bookmark or a shared link restore them.
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => {
    const fromAddress: AuditFilter = {};
    for (const field of FILTER_FIELDS) {
      const value = params.get(field)?.trim();
      if (value) fromAddress[field] = value;
    }
    return fromAddress;
  }, [params]);
  const [filter, setFilter] = useState(() => ({ ...EMPTY_FILTER, ...applied }));
  // Back and Forward change the address: the form follows what is applied (set while rendering,
  // as React advises for state that follows a value).
  const [shown, setShown] = useState(applied);
  if (shown !== applied) {
    setShown(applied);
    setFilter({ ...EMPTY_FILTER, ...applied });
  }
  const filterForm = useForm(FILTER_FIELDS);
  const { errors: filterErrors, setErrors: setFilterErrors } = filterForm;
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [verify, setVerify] = useState<VerifyState>({ status: 'idle' });

  useEffect(() => {
    let cancelled = false;
    auditApi.list(applied).then(
      ({ events }) => {
        if (!cancelled) setList({ status: 'ready', events, done: events.length < AUDIT_PAGE_SIZE });
      },
      (error: unknown) => {
        if (cancelled) return;
        setList({ status: 'error', error });
        const found = formErrorsFrom(t, error, FILTER_FIELDS);
        if (Object.keys(found.fields).length) setFilterErrors(found);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [applied, t, setFilterErrors]);

  const apply = (next: AuditFilter) => {
    setFilterErrors(noErrors);
    setMoreError(null);
    const search = new URLSearchParams(
      Object.entries(next).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    // The same filters again: nothing to load anew.
    if (search.toString() === params.toString()) return;
    setList({ status: 'loading' });
    setParams(search);
  };

  const submitFilter = (event: SubmitEvent) => {
    event.preventDefault();
    const next: AuditFilter = {};
    for (const field of FILTER_FIELDS) {
      if (filter[field].trim()) next[field] = filter[field].trim();
    }
    if (next.from && next.to && next.from > next.to) {
      setFilterErrors(invalidForm(t, { to: t('audit.rangeInvalid') }));
      return;
    }
    apply(next);
  };

  const clearFilter = () => {
    setFilter(EMPTY_FILTER);
    apply({});
  };

  const loadOlder = async () => {
    if (list.status !== 'ready' || loadingMore) return;
    const last = list.events[list.events.length - 1];
    if (!last) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const { events } = await auditApi.list(applied, last.id);
      setList({
        status: 'ready',
        events: [...list.events, ...events],
        done: events.length < AUDIT_PAGE_SIZE,
      });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const runVerify = async () => {
    if (verify.status === 'running') return;
    setVerify({ status: 'running' });
    try {
      setVerify({ status: 'done', result: await auditApi.verify() });
    } catch (error) {
      setVerify({ status: 'error', error });
    }
  };

  const filtered = Object.keys(applied).length > 0;

  return (
    <Page title={t('audit.title')} lead={t('audit.lead')}>
      {can('audit.verify') ? (
        <section className="panel" aria-labelledby="verify-heading">
          <h2 id="verify-heading" className="panel-heading">
            {t('audit.verifyHeading')}
          </h2>
          <p>{t('audit.verifyText')}</p>
          <div className="actions">
            <button
              type="button"
              className="button"
              aria-disabled={verify.status === 'running' || undefined}
              onClick={() => void runVerify()}
            >
              {t('audit.verify')}
            </button>
          </div>
          <div role="status" className="live-region">
            {verify.status === 'running' ? <p>{t('audit.verifying')}</p> : null}
            {verify.status === 'done' && verify.result.ok ? (
              <div className="alert alert-success">
                <p>
                  {t('audit.verifyOk', {
                    count: verify.result.checked,
                    formatted: formatNumber(verify.result.checked),
                  })}
                </p>
              </div>
            ) : null}
          </div>
          <div role="alert" className="live-region">
            {verify.status === 'done' && !verify.result.ok ? (
              <div className="alert alert-error">
                <p className="alert-title">
                  {verify.result.firstBrokenId !== null
                    ? t('audit.verifyBroken', { id: verify.result.firstBrokenId })
                    : t('audit.verifyBrokenUnknown')}
                </p>
                {verify.result.reason ? (
                  <p>{t('audit.verifyReason', { reason: verify.result.reason })}</p>
                ) : null}
                <p>{t('audit.verifyChecked', { formatted: formatNumber(verify.result.checked) })}</p>
              </div>
            ) : null}
            {verify.status === 'error' ? (
              <div className="alert alert-error">
                <p>{errorMessage(t, verify.error)}</p>
              </div>
            ) : null}
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="filter-heading">
        <h2 id="filter-heading" className="panel-heading">
          {t('audit.filterHeading')}
        </h2>
        <Form
          form={filterForm}
          className="filter-form"
          submitLabel={t('audit.applyFilter')}
          onSubmit={submitFilter}
          actions={
            filtered ? (
              <button type="button" className="button button-secondary" onClick={clearFilter}>
                {t('audit.clearFilter')}
              </button>
            ) : null
          }
        >
          <div className="filter-fields">
            <SelectField
              label={t('audit.fields.action')}
              name="action"
              optional
              placeholder={t('audit.anyAction')}
              options={ACTION_OPTIONS}
              value={filter.action}
              onChange={(value) => {
                setFilter((current) => ({ ...current, action: value }));
              }}
              error={filterErrors.fields.action}
            />
            {(['from', 'to'] as const).map((field) => (
              <TextField
                key={field}
                type="date"
                width="medium"
                label={t(`audit.fields.${field}`)}
                name={field}
                optional
                hint={t('audit.dateHint')}
                value={filter[field]}
                onChange={(value) => {
                  setFilter((current) => ({ ...current, [field]: value }));
                }}
                error={filterErrors.fields[field]}
              />
            ))}
            {TEXT_FIELDS.map((field) => (
              <TextField
                key={field}
                label={t(`audit.fields.${field}`)}
                name={field}
                optional
                {...(field === 'actor' ? { hint: t('audit.actorHint') } : {})}
                spellCheck={false}
                autoCapitalize="none"
                value={filter[field]}
                onChange={(value) => {
                  setFilter((current) => ({ ...current, [field]: value }));
                }}
                error={filterErrors.fields[field]}
              />
            ))}
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="export-heading">
        <h2 id="export-heading" className="panel-heading">
          {t('audit.exportHeading')}
        </h2>
        <p>{filtered ? t('audit.exportFiltered') : t('audit.exportAll')}</p>
        <div className="actions">
          <a href={auditApi.exportUrl(applied)} download className="button button-secondary">
            {t('audit.export')}
          </a>
        </div>
      </section>

      <h2 className="section-heading">{filtered ? t('audit.eventsFiltered') : t('audit.events')}</h2>
      {list.status === 'loading' ? (
        <p role="status" className="loading">
          {t('app.loading')}
        </p>
      ) : null}
      {list.status === 'error' ? (
        <div className="alert alert-error" role="alert">
          <p>{errorMessage(t, list.error)}</p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              apply({ ...applied });
            }}
          >
            {t('actions.tryAgain')}
          </button>
        </div>
      ) : null}
      {list.status === 'ready' ? (
        <DataTable
          id="audit"
          compact
          stack
          caption={t('audit.caption', { count: list.events.length })}
          columns={columns}
          rows={list.events}
          empty={t('audit.empty')}
          renderRow={(event) => {
            const details = Object.entries(event.details);
            return (
              <tr key={event.id}>
                <td className="cell-nowrap cell-plain" data-label={columns[0]}>
                  <time dateTime={event.occurredAt}>{formatDateTimePrecise(event.occurredAt)}</time>
                  <span className="cell-note">{t('audit.entry', { id: event.id })}</span>
                </td>
                <td data-label={columns[1]}>
                  {auditActionLabel(event.action)}
                  <span className="cell-note">
                    <code className="code">{event.action}</code>
                  </span>
                </td>
                <td className="cell-break" data-label={columns[2]}>
                  {event.actorUserId ? (
                    <>
                      {event.actorName ?? t('audit.unknownActor')}
                      <span className="cell-note">
                        <code className="code">{event.actorUserId}</code>
                      </span>
                    </>
                  ) : (
                    t('audit.noActor')
                  )}
                </td>
                <td className="cell-break" data-label={columns[3]}>
                  {event.subjectId ? (
                    <>
                      {event.subjectType ? <span className="cell-note">{event.subjectType}</span> : null}
                      <code className="code">{event.subjectId}</code>
                    </>
                  ) : (
                    t('audit.noSubject')
                  )}
                </td>
                <td className="cell-wide cell-break" data-label={details.length ? columns[4] : undefined}>
                  {details.length ? (
                    <ul className="details-list">
                      {details.map(([key, value]) => (
                        <li key={key}>
                          <span className="detail-key">{key}:</span>{' '}
                          <code className="code">{formatDetail(value)}</code>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          }}
        />
      ) : null}
      {list.status === 'ready' && list.events.length > 0 ? (
        <>
          <div className="actions">
            {list.done ? (
              <p className="meta">{t('audit.noOlder')}</p>
            ) : (
              <button
                type="button"
                className="button button-secondary"
                aria-disabled={loadingMore || undefined}
                onClick={() => void loadOlder()}
              >
                {t('audit.loadOlder')}
              </button>
            )}
          </div>
          <div role="status" className="live-region">
            {loadingMore ? <p>{t('app.loading')}</p> : null}
          </div>
          {moreError ? (
            <div className="alert alert-error" role="alert">
              <p>{errorMessage(t, moreError)}</p>
            </div>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
