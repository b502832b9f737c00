import { useCallback, useState, type SubmitEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { publicationView, type PublicationView } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';
import { Choice, SelectField, TextField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { periodErrors } from './filters.tsx';
import { isIsoDate, quarterOf, recentQuarters } from './periods.ts';
import { StatisticsNav } from './StatisticsNav.tsx';
import { StatTableView } from './StatSection.tsx';
import { cellDescription, cellText } from './values.ts';

type Kind = 'bulletin' | 'opsc';
type Chosen = { kind: 'bulletin'; quarter: string } | { kind: 'opsc'; from: string; to: string };
type KeyFact = PublicationView['keyFacts'][number];

const QUARTER = /^\d{4}Q[1-4]$/;

/** The quarters to choose from, latest first: this one (provisional) and eight before it. */
function quarterChoices() {
  return recentQuarters(undefined, 9).map((q) => ({ code: `${q.year}Q${q.quarter}`, ...q }));
}

function quarterOption(code: string) {
  return { code, ...quarterOf(Number(code.slice(0, 4)), Number(code.slice(5))) };
}

function chosenFrom(params: URLSearchParams): Chosen {
  const from = params.get('from');
  const to = params.get('to');
  if (params.get('kind') === 'opsc') {
    if (isIsoDate(from) && isIsoDate(to) && from <= to) return { kind: 'opsc', from, to };
    const year = (quarterChoices()[0]?.year ?? 2026) - 1;
    return { kind: 'opsc', from: `${year}-01-01`, to: `${year}-12-31` };
  }
  const quarter = params.get('quarter');
  return {
    kind: 'bulletin',
    quarter: quarter && QUARTER.test(quarter) ? quarter : (quarterChoices()[1]?.code ?? ''),
  };
}

const chosenQuery = (chosen: Chosen) =>
  chosen.kind === 'bulletin' ? { quarter: chosen.quarter } : { from: chosen.from, to: chosen.to };

function downloadUrl(chosen: Chosen, format: 'html' | 'pdf' | 'csv', table?: string) {
  return `/api/statistics/publications/${chosen.kind}/download${query({ ...chosenQuery(chosen), format, table })}`;
}

function FactValue({ fact }: { fact: KeyFact }) {
  const { t } = useTranslation();
  const { value } = fact;
  if (value === null) return <>{t('statistics.publications.notAvailable')}</>;
  // A suppressed count shows the marker its table cell shows (`*` or `S`), with what it means.
  if (value.suppressed && fact.unit === 'count')
    return (
      <>
        {cellText(value)}
        <span className="fact-rule"> ({cellDescription(t, value)})</span>
      </>
    );
  if (value.suppressed)
    return (
      <>
        {t('statistics.publications.suppressed')}
        {fact.rule ? <span className="fact-rule"> ({fact.rule})</span> : null}
      </>
    );
  if (fact.unit === 'percent')
    return <>{t('statistics.publications.percent', { value: formatNumber(value.value) })}</>;
  if (fact.unit === 'days') return <>{t('statistics.headline.days', { count: value.value })}</>;
  return <>{formatNumber(value.value)}</>;
}

/** A publication as the files will show it: key facts, sections with their tables, notes. */
function PublicationView({ publication, chosen }: { publication: PublicationView; chosen: Chosen }) {
  const { t } = useTranslation();
  // Tables are numbered through the whole publication, as in the files.
  const numbers = new Map(
    publication.sections.flatMap((s) => s.tables).map((entry, i) => [entry.name, i + 1]),
  );
  return (
    <article className="publication" aria-labelledby="publication-title">
      <h2 id="publication-title" className="section-heading">
        {publication.title}
      </h2>
      <p className="hint">
        {t('statistics.publications.published', { date: formatDate(publication.publishedOn) })}
      </p>
      {publication.demo ? <p className="notice notice-warning">{t('statistics.publications.demo')}</p> : null}
      {publication.provisional ? (
        <p className="notice notice-warning">{t('statistics.publications.provisional')}</p>
      ) : null}
      <div className="publication-downloads">
        <h3>{t('statistics.publications.downloads')}</h3>
        <ul className="link-list">
          <li>
            <a href={downloadUrl(chosen, 'html')} download>
              {t('statistics.publications.downloadHtml')}
            </a>
          </li>
          <li>
            <a href={downloadUrl(chosen, 'pdf')} download aria-describedby="pdf-hint">
              {t('statistics.publications.downloadPdf')}
            </a>{' '}
            <span id="pdf-hint" className="hint">
              {t('statistics.publications.pdfHint')}
            </span>
          </li>
        </ul>
      </div>
      <h3>{t('statistics.publications.keyFacts')}</h3>
      <dl className="headline">
        {publication.keyFacts.map((fact) => (
          <div key={fact.label} className="headline-item">
            <dt className="headline-label">{fact.label}</dt>
            <dd className="headline-value">
              <FactValue fact={fact} />
            </dd>
            {fact.note ? <dd className="headline-note">{fact.note}</dd> : null}
          </div>
        ))}
      </dl>
      {publication.sections.map((section) => (
        <section key={section.id} aria-labelledby={`section-${section.id}`}>
          <h3 id={`section-${section.id}`} className="publication-section">
            {section.heading}
          </h3>
          {section.paragraphs.map((text) => (
            <p key={text}>{text}</p>
          ))}
          {section.tables.map((entry) => {
            const number = numbers.get(entry.name) ?? 0;
            return (
              <div key={entry.name} className="publication-table">
                <StatTableView
                  id={`table-${entry.name}`}
                  caption={t('statistics.publications.tableCaption', { number, title: entry.title })}
                  table={entry.table}
                />
                <p>
                  <a href={downloadUrl(chosen, 'csv', entry.name)} download>
                    {t('statistics.publications.downloadCsv')}
                    <span className="visually-hidden">: {entry.title}</span>
                  </a>
                </p>
              </div>
            );
          })}
        </section>
      ))}
      <h3>{t('statistics.publications.methodology')}</h3>
      {publication.methodology.map((text) => (
        <p key={text}>{text}</p>
      ))}
      <h3>{t('statistics.publications.confidentiality')}</h3>
      {publication.confidentiality.map((text) => (
        <p key={text}>{text}</p>
      ))}
    </article>
  );
}

function Loaded({ chosen }: { chosen: Chosen }) {
  // Depends on the address only: `chosen` is a new object on every render.
  const url = `/api/statistics/publications/${chosen.kind}${query(chosenQuery(chosen))}`;
  const load = useCallback(() => api.get(url, publicationView), [url]);
  const { state, reload } = useLoad(load);
  if (state.status !== 'ready') return <LoadStatus state={state} onRetry={() => void reload()} />;
  return <PublicationView publication={state.data} chosen={chosen} />;
}

/** The de-identified HTCDS v2 export, for data stewards: a link that follows the chosen period. */
function HtcdsExport() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const valid = (date: string) => date === '' || isIsoDate(date);
  const ready =
    valid(period.from) && valid(period.to) && (!period.from || !period.to || period.from <= period.to);
  const href = `/api/exports/htcds${query({ from: period.from || undefined, to: period.to || undefined })}`;
  return (
    <section className="publication" aria-labelledby="htcds-heading">
      <h2 id="htcds-heading" className="section-heading">
        {t('statistics.publications.htcds.heading')}
      </h2>
      <p>{t('statistics.publications.htcds.text')}</p>
      <div className="filter-fields">
        <TextField
          label={t('statistics.publications.htcds.from')}
          name="htcds-from"
          type="date"
          value={period.from}
          onChange={(from) => {
            setPeriod((p) => ({ ...p, from }));
          }}
        />
        <TextField
          label={t('statistics.publications.htcds.to')}
          name="htcds-to"
          type="date"
          value={period.to}
          error={ready ? undefined : t('statistics.filter.toBeforeFrom')}
          onChange={(to) => {
            setPeriod((p) => ({ ...p, to }));
          }}
        />
      </div>
      {ready ? (
        <p>
          <a className="button" href={href} download>
            {t('statistics.publications.htcds.download')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The quarterly bulletin and the OPSC / CRC pack: chosen here, read on screen, downloaded as files. */
export function PublicationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const chosen = chosenFrom(params);
  const [draft, setDraft] = useState<{ kind: Kind; quarter: string; from: string; to: string }>(() => ({
    kind: chosen.kind,
    quarter: chosen.kind === 'bulletin' ? chosen.quarter : (quarterChoices()[1]?.code ?? ''),
    from: chosen.kind === 'opsc' ? chosen.from : '',
    to: chosen.kind === 'opsc' ? chosen.to : '',
  }));
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});
  const offered = quarterChoices();
  // A quarter from the address that is older than the list is still offered, so the form shows it.
  const quarters =
    chosen.kind === 'bulletin' && !offered.some((q) => q.code === chosen.quarter)
      ? [...offered, quarterOption(chosen.quarter)]
      : offered;

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    if (draft.kind === 'bulletin') {
      setParams(new URLSearchParams({ kind: 'bulletin', quarter: draft.quarter }));
      return;
    }
    const found = periodErrors(t, draft.from, draft.to);
    setErrors(found);
    if (found.from || found.to) return;
    setParams(new URLSearchParams({ kind: 'opsc', from: draft.from, to: draft.to }));
  };

  return (
    <Page title={t('statistics.publications.title')} lead={t('statistics.publications.lead')}>
      <StatisticsNav />
      <form
        className="form filter-form"
        onSubmit={onSubmit}
        noValidate
        aria-label={t('statistics.publications.choose')}
      >
        <fieldset className="fieldset">
          <legend className="legend">{t('statistics.publications.choose')}</legend>
          {(['bulletin', 'opsc'] as const).map((kind) => (
            <Choice
              key={kind}
              id={`publication-${kind}`}
              type="radio"
              name="kind"
              value={kind}
              label={t(`statistics.publications.${kind}`)}
              hint={t(`statistics.publications.${kind}Hint`)}
              checked={draft.kind === kind}
              invalid={false}
              onChange={() => {
                setDraft((d) => ({ ...d, kind }));
              }}
            />
          ))}
        </fieldset>
        <div className="filter-fields">
          {draft.kind === 'bulletin' ? (
            <SelectField
              label={t('statistics.publications.quarter')}
              name="quarter"
              options={quarters.map((q) => ({
                value: q.code,
                label: `Q${q.quarter} ${q.year} (${formatDate(q.from)} – ${formatDate(q.to)})`,
              }))}
              value={draft.quarter}
              onChange={(quarter) => {
                setDraft((d) => ({ ...d, quarter }));
              }}
            />
          ) : (
            <>
              <TextField
                label={t('statistics.publications.from')}
                name="from"
                type="date"
                value={draft.from}
                error={errors.from}
                onChange={(from) => {
                  setDraft((d) => ({ ...d, from }));
                }}
              />
              <TextField
                label={t('statistics.publications.to')}
                name="to"
                type="date"
                value={draft.to}
                error={errors.to}
                onChange={(to) => {
                  setDraft((d) => ({ ...d, to }));
                }}
              />
            </>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t('statistics.publications.show')}
          </button>
        </div>
      </form>
      {/* Choosing the other publication takes the one shown off the screen until it is asked for. */}
      {draft.kind === chosen.kind ? (
        <Loaded key={JSON.stringify(chosen)} chosen={chosen} />
      ) : (
        <p className="hint" role="status">
          {t('statistics.publications.chooseThenShow')}
        </p>
      )}
      {can('exports.htcds') ? <HtcdsExport /> : null}
    </Page>
  );
}
