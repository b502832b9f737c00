import { useState, type ReactNode, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { REGIONS } from '@tiaki/domain';
import { Choice, SelectField, TextField } from '../../components/forms.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { regionName } from '../referrals/labels.ts';
import type { StatisticsFilter } from './api.ts';
import { isIsoDate, standardPeriods, wholeMonths, type Period, type StandardPeriod } from './periods.ts';

interface Chosen {
  from: string;
  to: string;
  region: string;
  exact: boolean;
}

/** The period, region and kind of numbers of a statistics screen: kept in the address, so links share them. */
export interface FilterControl {
  period: Period;
  region: string;
  /** Exact numbers shown: asked for in the address and allowed. */
  exact: boolean;
  mayExact: boolean;
  filter: StatisticsFilter;
  draft: { from: string; to: string; region: string };
  setDraft: (change: (draft: FilterControl['draft']) => FilterControl['draft']) => void;
  errors: { from?: string; to?: string };
  setErrors: (errors: { from?: string; to?: string }) => void;
  /** Shows another period, region or kind of numbers. */
  go: (next: Chosen) => void;
}

/** Reads the filter from the address, falling back to `fallback` when the period there is missing or wrong. */
export function useStatisticsFilter(fallback: Period): FilterControl {
  const can = useCan();
  const mayExact = can('statistics.exact');
  const [params, setParams] = useSearchParams();
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const period: Period =
    isIsoDate(fromParam) && isIsoDate(toParam) && fromParam <= toParam
      ? { from: fromParam, to: toParam }
      : fallback;
  const regionParam = params.get('region') ?? '';
  const region = REGIONS.some((r) => r.code === regionParam) ? regionParam : '';
  const exact = mayExact && params.get('exact') === 'true';
  const filter: StatisticsFilter = { ...period, region: region || undefined, exact };

  const [draft, setDraft] = useState({ from: period.from, to: period.to, region });
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});

  const go = (next: Chosen) => {
    const search = new URLSearchParams({ from: next.from, to: next.to });
    if (next.region) search.set('region', next.region);
    if (next.exact) search.set('exact', 'true');
    setDraft({ from: next.from, to: next.to, region: next.region });
    setErrors({});
    setParams(search);
  };

  return { period, region, exact, mayExact, filter, draft, setDraft, errors, setErrors, go };
}

/** Checks a period typed in a form: both dates real, the end not before the start. */
export function periodErrors(t: TFunction, from: string, to: string): { from?: string; to?: string } {
  const found: { from?: string; to?: string } = {};
  if (!isIsoDate(from)) found.from = t('statistics.filter.dateInvalid');
  if (!isIsoDate(to)) found.to = t('statistics.filter.dateInvalid');
  else if (isIsoDate(from) && to < from) found.to = t('statistics.filter.toBeforeFrom');
  return found;
}

/** A standard period in words: "2026", "July to September 2026", "July 2026". */
export function standardPeriodLabel(t: TFunction, p: StandardPeriod): string {
  if (p.kind === 'year') return t('statistics.filter.wholeYear', { year: p.year });
  if (p.kind === 'quarter') {
    const key = (['q1', 'q2', 'q3', 'q4'] as const)[p.part - 1] ?? 'q1';
    return t(`statistics.filter.quarters.${key}`, { year: p.year });
  }
  return formatMonth(p.from);
}

const MONTH_NAME = new Intl.DateTimeFormat('en-NZ', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const formatMonth = (iso: string) => MONTH_NAME.format(new Date(`${iso}T00:00:00Z`));

/**
 * The period and region form: dates checked here before anything is asked of the server.
 * `periods`: `standard` — published numbers are for a month, a quarter or a year only, chosen from a
 * list (dates only in a data steward's exact view); `months` — dates, widened to whole months.
 */
export function FilterForm({
  control,
  submitLabel,
  periods = 'standard',
}: {
  control: FilterControl;
  submitLabel: string;
  periods?: 'standard' | 'months';
}) {
  const { t } = useTranslation();
  const { draft, setDraft, errors, setErrors, exact, go } = control;
  const choosePeriod = periods === 'standard' && !exact;
  const choices = standardPeriods();

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const found = periodErrors(t, draft.from, draft.to);
    setErrors(found);
    if (found.from || found.to) return;
    const period = periods === 'months' && !exact ? wholeMonths(draft.from, draft.to) : draft;
    go({ ...draft, ...period, exact });
  };

  return (
    <form
      className="form filter-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={t('statistics.filter.label')}
    >
      <div className="filter-fields">
        {choosePeriod ? (
          <SelectField
            label={t('statistics.filter.period')}
            hint={t('statistics.filter.periodHint')}
            name="period"
            options={[
              ...(choices.some((c) => c.from === draft.from && c.to === draft.to)
                ? []
                : [{ value: `${draft.from}_${draft.to}`, label: t('statistics.filter.otherDates') }]),
              ...choices.map((c) => ({ value: `${c.from}_${c.to}`, label: standardPeriodLabel(t, c) })),
            ]}
            value={`${draft.from}_${draft.to}`}
            onChange={(value) => {
              const [from = '', to = ''] = value.split('_');
              setDraft((d) => ({ ...d, from, to }));
            }}
          />
        ) : (
          <>
            <TextField
              label={t('statistics.filter.from')}
              name="from"
              type="date"
              value={draft.from}
              error={errors.from}
              onChange={(value) => {
                setDraft((d) => ({ ...d, from: value }));
              }}
            />
            <TextField
              label={t('statistics.filter.to')}
              name="to"
              type="date"
              value={draft.to}
              error={errors.to}
              onChange={(value) => {
                setDraft((d) => ({ ...d, to: value }));
              }}
            />
          </>
        )}
        <SelectField
          label={t('statistics.filter.region')}
          name="region"
          options={[
            { value: '', label: t('statistics.allRegions') },
            ...REGIONS.map((r) => ({ value: r.code, label: r.name })),
          ]}
          value={draft.region}
          onChange={(value) => {
            setDraft((d) => ({ ...d, region: value }));
          }}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Links to common periods, keeping the region and kind of numbers. */
export function QuickPicks({
  control,
  picks,
}: {
  control: FilterControl;
  picks: readonly (Period & { key: string; label: string })[];
}) {
  const { t } = useTranslation();
  const { period, region, exact, setDraft, setErrors } = control;
  const pickHref = (p: Period) => {
    const search = new URLSearchParams({ from: p.from, to: p.to });
    if (region) search.set('region', region);
    if (exact) search.set('exact', 'true');
    return `?${search.toString()}`;
  };
  return (
    <nav aria-label={t('statistics.filter.quickLabel')} className="quick-picks">
      <p className="quick-picks-label">{t('statistics.filter.quickLabel')}</p>
      <ul className="quick-pick-list">
        {picks.map((p) => {
          const current = p.from === period.from && p.to === period.to;
          return (
            <li key={p.key}>
              <Link
                to={pickHref(p)}
                className={current ? 'chip chip-current' : 'chip'}
                aria-current={current ? 'true' : undefined}
                onClick={() => {
                  setDraft((d) => ({ ...d, from: p.from, to: p.to }));
                  setErrors({});
                }}
              >
                {p.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The warning above exact numbers: they could identify a child. */
export function ExactBanner({ exact }: { exact: boolean }) {
  const { t } = useTranslation();
  if (!exact) return null;
  return (
    <div
      className="alert alert-error exact-banner"
      role="note"
      aria-label={t('statistics.exact.bannerTitle')}
    >
      <p className="alert-title">{t('statistics.exact.bannerTitle')}</p>
      <p>{t('statistics.exact.bannerText')}</p>
    </div>
  );
}

/** Switches to exact numbers: only for people allowed to see them. */
export function ExactToggle({ control }: { control: FilterControl }) {
  const { t } = useTranslation();
  const { mayExact, exact, period, region, go } = control;
  if (!mayExact) return null;
  return (
    <div className="exact-toggle">
      <Choice
        id="statistics-exact"
        type="checkbox"
        name="exact"
        value="true"
        label={t('statistics.exact.toggle')}
        hint={t('statistics.exact.hint')}
        checked={exact}
        invalid={false}
        onChange={(checked) => {
          go({ from: period.from, to: period.to, region, exact: checked });
        }}
      />
    </div>
  );
}

/** What is shown, announced when it changes. */
export function ShowingLine({ control }: { control: FilterControl }) {
  const { t } = useTranslation();
  const { period, region } = control;
  const place = region ? regionName(region) : t('statistics.allRegions');
  return (
    <p className="meta" role="status">
      {t('statistics.showing', { from: formatDate(period.from), to: formatDate(period.to), place })}
    </p>
  );
}

/** How the numbers are protected (rounding and suppression), and what the markers mean. */
export function MethodNotice({ exact, children }: { exact: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="notice stat-method">
      <h2 className="subheading">{t('statistics.method.heading')}</h2>
      <p>{exact ? t('statistics.method.exact') : t('statistics.method.text')}</p>
      {exact ? null : (
        <dl className="stat-legend">
          <dt>*</dt>
          <dd>{t('statistics.markers.primary')}</dd>
          <dt>S</dt>
          <dd>{t('statistics.markers.secondary')}</dd>
        </dl>
      )}
      {children}
    </div>
  );
}
