import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { Facts } from '../triage/ReferralFacts.tsx';
import { extractsApi, type Extract } from './api.ts';
import { DecisionPanel } from './DecisionPanel.tsx';
import {
  approvalsFor,
  levelName,
  periodText,
  statusBadge,
  statusText,
  variableLabel,
  variableName,
} from './labels.ts';

/** /extracts/:id: one research extract request, what became of it, and what this person may do. */
export function ExtractPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const load = useCallback(() => extractsApi.get(id), [id]);
  const { state, reload } = useLoad(load);
  const location = useLocation();
  const passed = (location.state as { message?: unknown } | null)?.message;
  const [success, setSuccess] = useState<string | null>(typeof passed === 'string' ? passed : null);
  const navigate = useNavigate();
  useEffect(() => {
    // The message is shown once: reloading later must not repeat "sent" over a newer status.
    if (passed !== undefined) void navigate(location.pathname, { replace: true, state: null });
  }, [passed, navigate, location.pathname]);
  if (state.status !== 'ready') {
    return (
      <Page title={t('extracts.detail.title')} transient={state.status === 'loading'}>
        <LoadStatus state={state} onRetry={() => void reload()} />
      </Page>
    );
  }
  return (
    <ExtractView
      extract={state.data}
      success={success}
      onDecided={async (message) => {
        setSuccess(null);
        await reload();
        setSuccess(message);
      }}
      onReload={() => {
        setSuccess(null);
        void reload();
      }}
    />
  );
}

interface ViewProps {
  extract: Extract;
  success: string | null;
  onDecided: (message: string) => Promise<void>;
  onReload: () => void;
}

function ExtractView({ extract, success, onDecided, onReload }: ViewProps) {
  const { t } = useTranslation();
  const can = useCan();
  const { user } = useSession();
  const mine = extract.requestedBy.id === user.id;
  const mayDecide = approvalsFor(extract, user.id, can);
  const approver = can('extracts.approve') || can('extracts.approve_maori');
  const { ethicsApproval: ethics } = extract;

  return (
    <Page title={t('extracts.detail.title')}>
      <p>
        <Link to="/extracts" className="link">
          {t('extracts.detail.back')}
        </Link>
      </p>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
      <Outcome extract={extract} mine={mine} />
      <Facts
        rows={[
          [
            t('extracts.detail.status'),
            <span className={statusBadge(extract.status)}>{statusText(t, extract)}</span>,
          ],
          [t('extracts.detail.purpose'), <span className="narrative-preview">{extract.purpose}</span>],
          [t('extracts.detail.variables'), extract.variables.map((v) => variableName(t, v)).join('; ')],
          [t('extracts.detail.period'), periodText(t, extract.period)],
          [
            t('extracts.detail.ethics'),
            t('extracts.detail.ethicsValue', {
              committee: ethics.committee,
              reference: ethics.reference,
              date: formatDate(ethics.approvedOn),
            }),
          ],
          [t('extracts.detail.needsUntil'), extract.needsUntil ? formatDate(extract.needsUntil) : ''],
          [t('extracts.detail.requestedBy'), extract.requestedBy.displayName],
          [
            t('extracts.detail.requestedAt'),
            <time dateTime={extract.requestedAt}>{formatDateTime(extract.requestedAt)}</time>,
          ],
        ]}
      />
      <Approvals extract={extract} />
      {extract.file ? <FileReport file={extract.file} /> : null}
      {mayDecide.length > 0 ? (
        <DecisionPanel extract={extract} kinds={mayDecide} onDecided={onDecided} onReload={onReload} />
      ) : approver && mine && extract.status === 'awaiting_approvals' ? (
        <p className="notice">{t('extracts.detail.ownRequest')}</p>
      ) : null}
    </Page>
  );
}

/** Where the request stands, and for its requester the download while it lasts. */
function Outcome({ extract, mine }: { extract: Extract; mine: boolean }) {
  const { t } = useTranslation();
  const { file, declined } = extract;
  if (declined) {
    return (
      <div className="notice notice-warning">
        <p className="alert-title">
          {t('extracts.detail.declined', {
            name: declined.by.displayName,
            time: formatDateTime(declined.at),
          })}
        </p>
        <p>
          <strong>{t('extracts.detail.reason')}</strong> {declined.reason}
        </p>
        <p>{t('extracts.detail.declinedText')}</p>
      </div>
    );
  }
  if (extract.status === 'expired' || (file && !file.available)) {
    return (
      <div className="notice">
        <p>{t('extracts.detail.expired', { date: file ? formatDate(file.expiresOn) : '' })}</p>
      </div>
    );
  }
  if (extract.status === 'produced' && file) {
    const until = t('extracts.detail.availableUntil', { date: formatDate(file.expiresOn) });
    return mine ? (
      <section className="panel panel-important" aria-labelledby="extract-download">
        <h2 id="extract-download" className="panel-heading">
          {t('extracts.detail.downloadHeading')}
        </h2>
        <p>
          <strong>{until}</strong> {t('extracts.detail.deleteBy')}
        </p>
        <div className="actions">
          <a href={extractsApi.downloadUrl(extract.id)} download className="button">
            {t('extracts.detail.download')}
          </a>
        </div>
      </section>
    ) : (
      <div className="notice">
        <p>
          {until} {t('extracts.detail.onlyRequester')}
        </p>
      </div>
    );
  }
  return (
    <div className="notice">
      <p>
        {statusText(t, extract)}. {t('extracts.detail.waitingText')}
      </p>
    </div>
  );
}

/** Every approval the request needs: who gave it and when, or that it is still to come. */
function Approvals({ extract }: { extract: Extract }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="extract-approvals">
      <h2 id="extract-approvals" className="section-heading">
        {t('extracts.detail.approvals')}
      </h2>
      <ul className="item-list">
        {extract.approvalsRequired.map((kind) => {
          const approval = extract.approvals.find((a) => a.kind === kind);
          return (
            <li key={kind} className="item">
              <h3 className="item-title">{t(`extracts.approvalKinds.${kind}`)}</h3>
              {approval ? (
                <>
                  <p>
                    {t('extracts.detail.approvedBy', {
                      name: approval.approvedBy.displayName,
                      time: formatDateTime(approval.approvedAt),
                    })}
                  </p>
                  {approval.note ? (
                    <p className="item-text narrative-preview">
                      <strong>{t('extracts.detail.note')}</strong> {approval.note}
                    </p>
                  ) : null}
                </>
              ) : (
                <p>
                  {extract.status === 'awaiting_approvals'
                    ? t('extracts.detail.notYet')
                    : t('extracts.detail.notGiven')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** What production did to the data: rows kept and left out, and how precise each detail is. */
function FileReport({ file }: { file: NonNullable<Extract['file']> }) {
  const { t } = useTranslation();
  const levels = Object.entries(file.generalisation);
  return (
    <section aria-labelledby="extract-file">
      <h2 id="extract-file" className="section-heading">
        {t('extracts.detail.fileHeading')}
      </h2>
      <p>{t('extracts.kAnonymity', { k: file.k })}</p>
      <Facts
        rows={[
          [t('extracts.detail.producedAt'), formatDateTime(file.producedAt)],
          [t('extracts.detail.rows'), formatNumber(file.rowCount)],
          [t('extracts.detail.suppressed'), formatNumber(file.rowsSuppressed)],
          [
            t('extracts.detail.generalisation'),
            levels.length ? (
              <ul className="list">
                {levels.map(([variable, level]) => (
                  <li key={variable}>
                    {t('extracts.detail.level', {
                      variable: variableLabel(t, variable),
                      level: levelName(t, level),
                    })}
                  </li>
                ))}
              </ul>
            ) : (
              t('extracts.detail.noGeneralisation')
            ),
          ],
        ]}
      />
    </section>
  );
}
