import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiRequestError } from '../../api/client.ts';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { errorMessage } from '../../components/errors.ts';
import { Form, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { DataTable, ListIntro, RowButton, ScrollingTable } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { statisticsApi, type IwiAccessView, type IwiGrantsView } from './api.ts';
import { standardPeriodLabel } from './filters.tsx';
import { isIsoDate, lastCompleteQuarter, standardKind, standardPeriods } from './periods.ts';
import { StatisticsNav } from './StatisticsNav.tsx';
import { categoryName } from './labels.ts';
import { ValueCell } from './StatSection.tsx';
import { cellText, type Cell } from './values.ts';
import './statistics.css';

type Grant = IwiGrantsView['grants'][number];
type IwiReport = Awaited<ReturnType<typeof statisticsApi.iwi>>;

/** The group's form: approve one person, for a purpose, until a date at most a year ahead. */
function ApproveForm({
  eligible,
  onApproved,
}: {
  eligible: IwiGrantsView['eligible'];
  onApproved: (person: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const form = useForm(['userId', 'purpose', 'expiresOn']);
  const [userId, setUserId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [expiresOn, setExpiresOn] = useState('');

  const check = () => {
    const fields: Record<string, string> = {};
    if (!userId) fields.userId = t('statistics.iwi.approve.personRequired');
    if (!purpose.trim()) fields.purpose = t('statistics.iwi.approve.purposeRequired');
    if (!isIsoDate(expiresOn)) fields.expiresOn = t('statistics.filter.dateInvalid');
    return fields;
  };

  const send = async () => {
    await statisticsApi.approveIwi({ userId, purpose: purpose.trim(), expiresOn });
    const person = eligible.find((e) => e.userId === userId)?.person ?? '';
    setUserId('');
    setPurpose('');
    setExpiresOn('');
    await onApproved(person);
  };

  return (
    <section className="steward-form" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('statistics.iwi.approve.heading')}
      </h2>
      <p className="hint">{t('statistics.iwi.approve.text')}</p>
      <Form
        form={form}
        submitLabel={t('statistics.iwi.approve.submit')}
        onSubmit={(event) => form.submit(event, { check, send })}
      >
        <SelectField
          label={t('statistics.iwi.approve.person')}
          hint={t('statistics.iwi.approve.personHint')}
          name="userId"
          value={userId}
          onChange={setUserId}
          placeholder={t('forms.choose')}
          options={eligible.map((e) => ({ value: e.userId, label: `${e.person} — ${e.organisation}` }))}
          error={form.errors.fields.userId}
        />
        <TextAreaField
          label={t('statistics.iwi.approve.purpose')}
          hint={t('statistics.iwi.approve.purposeHint')}
          name="purpose"
          rows={3}
          value={purpose}
          onChange={setPurpose}
          error={form.errors.fields.purpose}
        />
        <TextField
          type="date"
          width="medium"
          label={t('statistics.iwi.approve.until')}
          hint={t('statistics.iwi.approve.untilHint')}
          name="expiresOn"
          value={expiresOn}
          onChange={setExpiresOn}
          error={form.errors.fields.expiresOn}
        />
      </Form>
    </section>
  );
}

/** The governance group's list of approvals (in force or not) and its forms. */
function Approvals() {
  const { t } = useTranslation();
  const { state, reload } = useLoad(statisticsApi.iwiGrants);
  const [success, setSuccess] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<Grant | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = useId();

  const status = (g: Grant) =>
    g.revokedAt
      ? t('statistics.iwi.grants.withdrawn', { date: formatDate(g.revokedAt) })
      : g.active
        ? t('statistics.iwi.grants.inForce')
        : t('statistics.iwi.grants.ended');

  const withdraw = async (grant: Grant) => {
    setBusy(true);
    setFailure(null);
    try {
      await statisticsApi.withdrawIwi(grant.id);
      setWithdrawing(null);
      setSuccess(t('statistics.iwi.grants.withdrawnMessage', { person: grant.person }));
      await reload();
    } catch (error) {
      setFailure(errorMessage(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section aria-labelledby={headingId}>
        <h2 id={headingId} className="section-heading">
          {t('statistics.iwi.grants.heading')}
        </h2>
        <ListIntro success={success} />
        <LoadStatus state={state} onRetry={() => void reload()} />
        {state.status === 'ready' ? (
          <DataTable
            id="iwi-grants"
            caption={t('statistics.iwi.grants.caption')}
            stack
            compact
            columns={[
              t('statistics.iwi.grants.person'),
              t('statistics.iwi.grants.purpose'),
              t('statistics.iwi.grants.until'),
              t('statistics.iwi.grants.approvedBy'),
              t('statistics.iwi.grants.status'),
              t('statistics.iwi.grants.used'),
            ]}
            actionsColumn={t('statistics.iwi.grants.actions')}
            rows={state.data.grants}
            empty={t('statistics.iwi.grants.none')}
            renderRow={(g) => (
              <tr key={g.id}>
                <td id={`grant-${g.id}`} data-label={t('statistics.iwi.grants.person')}>
                  {g.person}
                  <br />
                  <span className="meta">{g.organisation}</span>
                </td>
                <td data-label={t('statistics.iwi.grants.purpose')}>{g.purpose}</td>
                <td data-label={t('statistics.iwi.grants.until')}>{formatDate(g.expiresOn)}</td>
                <td data-label={t('statistics.iwi.grants.approvedBy')}>
                  {t('statistics.iwi.grants.approvedOn', {
                    person: g.grantedBy,
                    date: formatDate(g.grantedAt),
                  })}
                </td>
                <td data-label={t('statistics.iwi.grants.status')}>{status(g)}</td>
                <td data-label={t('statistics.iwi.grants.used')}>
                  {t('statistics.iwi.grants.views', { count: g.views, formatted: formatNumber(g.views) })}
                </td>
                <td>
                  {g.active ? (
                    <RowButton
                      describedBy={`grant-${g.id}`}
                      onClick={() => {
                        setWithdrawing(g);
                      }}
                    >
                      {t('statistics.iwi.grants.withdraw')}
                    </RowButton>
                  ) : null}
                </td>
              </tr>
            )}
          />
        ) : null}
        {withdrawing ? (
          <ConfirmStep
            danger
            busy={busy}
            question={t('statistics.iwi.grants.confirm', { person: withdrawing.person })}
            detail={t('statistics.iwi.grants.confirmDetail')}
            onConfirm={() => void withdraw(withdrawing)}
            onCancel={() => {
              setWithdrawing(null);
            }}
          />
        ) : null}
        {failure ? (
          <div className="alert alert-error" role="alert">
            <p>{failure}</p>
          </div>
        ) : null}
      </section>
      {state.status === 'ready' ? (
        <ApproveForm
          eligible={state.data.eligible}
          onApproved={async (person) => {
            setSuccess(t('statistics.iwi.approve.approved', { person }));
            await reload();
          }}
        />
      ) : null}
    </>
  );
}

/**
 * The group decides what is released about iwi: whether the bulletin of this quarter carries these
 * tables as its iwi annex. Without an approval in force it carries no iwi figures.
 */
function AnnexRelease({ quarter, label }: { quarter: string; label: string }) {
  const { t } = useTranslation();
  const { state, reload } = useLoad(statisticsApi.iwiAnnexes);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = useId();
  const current =
    state.status === 'ready' ? state.data.annexes.find((a) => a.quarter === quarter && a.active) : undefined;

  const act = async (approve: boolean) => {
    setBusy(true);
    setFailure(null);
    setMessage(null);
    try {
      if (approve) await statisticsApi.approveIwiAnnex(quarter);
      else await statisticsApi.withdrawIwiAnnex(quarter);
      await reload();
      setMessage(
        t(approve ? 'statistics.iwi.annex.approvedMessage' : 'statistics.iwi.annex.withdrawnMessage', {
          period: label,
        }),
      );
    } catch (error) {
      setFailure(errorMessage(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="iwi-annex" aria-labelledby={headingId}>
      <h3 id={headingId} className="subheading">
        {t('statistics.iwi.annex.heading')}
      </h3>
      <div role="status" className="live-region">
        {message ? <div className="alert alert-success">{message}</div> : null}
      </div>
      {state.status === 'ready' ? (
        <>
          <p>
            {current
              ? t('statistics.iwi.annex.released', {
                  period: label,
                  person: current.approvedBy,
                  date: formatDate(current.approvedAt),
                })
              : t('statistics.iwi.annex.notReleased', { period: label })}
          </p>
          <div className="actions">
            <button
              type="button"
              className={current ? 'button button-secondary' : 'button'}
              aria-disabled={busy || undefined}
              onClick={() => {
                if (!busy) void act(!current);
              }}
            >
              {current
                ? t('statistics.iwi.annex.withdraw', { period: label })
                : t('statistics.iwi.annex.approve', { period: label })}
            </button>
          </div>
        </>
      ) : (
        <LoadStatus state={state} onRetry={() => void reload()} />
      )}
      {failure ? (
        <div className="alert alert-error" role="alert">
          <p>{failure}</p>
        </div>
      ) : null}
    </section>
  );
}

/** The iwi tables for a standard period, for the group and the people it approved. */
function IwiTables({ govern }: { govern: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const fallback = lastCompleteQuarter();
  const asked = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const period = standardKind(asked.from, asked.to) ? asked : { from: fallback.from, to: fallback.to };
  const { from, to } = period;
  const load = useCallback(() => statisticsApi.iwi({ from, to }), [from, to]);
  const { state, reload } = useLoad(load);
  const choices = standardPeriods();
  const headingId = useId();
  const chosen = choices.find((p) => p.from === period.from && p.to === period.to);
  const label = chosen ? standardPeriodLabel(t, chosen) : `${period.from} – ${period.to}`;

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('statistics.iwi.tables.heading')}
      </h2>
      <p className="hint">{t('statistics.iwi.tables.text')}</p>
      <SelectField
        label={t('statistics.iwi.tables.period')}
        name="period"
        value={`${period.from}|${period.to}`}
        onChange={(value) => {
          const [from = '', to = ''] = value.split('|');
          setParams({ from, to }, { replace: true });
        }}
        options={choices.map((p) => ({ value: `${p.from}|${p.to}`, label: standardPeriodLabel(t, p) }))}
      />
      {state.status === 'ready' ? (
        <>
          <p className="iwi-headline">
            {t('statistics.iwi.tables.childrenWithIwi', { period: label })}{' '}
            <strong className="headline-value">{cellText(state.data.childrenWithIwi)}</strong>
          </p>
          <IwiTable report={state.data} caption={t('statistics.iwi.tables.caption', { period: label })} />
          <p className="stat-note">{t('statistics.iwi.tables.method')}</p>
          {govern && chosen?.kind === 'quarter' ? (
            <AnnexRelease quarter={`${chosen.year}Q${chosen.part}`} label={label} />
          ) : null}
        </>
      ) : state.status === 'error' && refusedBy(state.error) ? (
        <Refusal />
      ) : (
        <LoadStatus state={state} onRetry={() => void reload()} />
      )}
    </section>
  );
}

const isPublishedZero = (cell: Cell | undefined) =>
  cell !== undefined && typeof cell === 'object' && !cell.suppressed && cell.value === 0;

/**
 * Referrals and children by iwi side by side, one row per iwi. Iwi with a published zero in both
 * are counted in a sentence instead of listed (a published zero is no secret, and there are well
 * over a hundred iwi); an iwi with any `*` is always listed.
 */
function IwiTable({ report, caption }: { report: IwiReport; caption: string }) {
  const { t } = useTranslation();
  const referrals = report.tables.find((x) => x.name === 'referrals_by_iwi')?.table;
  const children = report.tables.find((x) => x.name === 'children_by_iwi')?.table;
  if (!referrals || !children) return null;
  const childrenOf = new Map(children.rows.categories.map((code, i) => [code, children.body[i]?.[0]]));
  const rows = referrals.rows.categories.map((code, i) => ({
    code,
    referrals: referrals.body[i]?.[0],
    children: childrenOf.get(code),
  }));
  const shown = rows.filter((row) => !(isPublishedZero(row.referrals) && isPublishedZero(row.children)));
  const hidden = rows.length - shown.length;
  return (
    <>
      {shown.length ? (
        <ScrollingTable
          captionId="iwi-table-caption"
          caption={caption}
          className="table table-compact stat-table table-stack stat-stack"
        >
          <thead>
            <tr>
              <th scope="col">{t('statistics.dimensions.iwi')}</th>
              <th scope="col" className="cell-number">
                {t('statistics.iwi.tables.referrals')}
              </th>
              <th scope="col" className="cell-number">
                {t('statistics.iwi.tables.children')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.code}>
                <th scope="row" className="cell-plain">
                  {categoryName(t, 'iwi', row.code)}
                </th>
                <ValueCell cell={row.referrals} label={t('statistics.iwi.tables.referrals')} />
                <ValueCell cell={row.children} label={t('statistics.iwi.tables.children')} />
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      ) : null}
      {hidden ? <p>{t('statistics.iwi.tables.zeros', { count: hidden })}</p> : null}
    </>
  );
}

/** A plain refusal: who decides, and how to ask. */
function Refusal() {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" role="alert">
      <p>{t('statistics.iwi.refused')}</p>
    </div>
  );
}

function refusedBy(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 403;
}

/**
 * Iwi-level statistics (Māori data sovereignty): the Māori data governance group approves who sees
 * them and withdraws approvals; the group and the people it approved see the iwi tables; everyone
 * else is refused.
 */
export function IwiPage() {
  const { t } = useTranslation();
  const { state, reload } = useLoad(statisticsApi.iwiAccess);
  const access: IwiAccessView | null = state.status === 'ready' ? state.data : null;
  return (
    <Page
      title={t('statistics.iwi.title')}
      heading={t('statistics.iwi.title')}
      lead={t('statistics.iwi.lead')}
    >
      <StatisticsNav />
      {access === null ? (
        state.status === 'error' && refusedBy(state.error) ? (
          <Refusal />
        ) : (
          <LoadStatus state={state} onRetry={() => void reload()} />
        )
      ) : !access.view ? (
        <Refusal />
      ) : (
        <>
          {access.until ? (
            <p className="notice">{t('statistics.iwi.approvedUntil', { date: formatDate(access.until) })}</p>
          ) : null}
          {access.govern ? <Approvals /> : null}
          <IwiTables govern={access.govern} />
        </>
      )}
    </Page>
  );
}
