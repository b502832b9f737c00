import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrivacyRequest } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { errorMessage } from '../../components/errors.ts';
import { Form, TextAreaField, TextField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { LoadedTable } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.tsx';
import { privacyApi } from './api.ts';
import { ChildCheckFields } from './ChildCheckFields.tsx';

/** The longest reference the server accepts. */
const REFERENCE_MAX = 40;
const REASON_MIN = 20;

/**
 * /privacy-requests: a privacy officer answers a request under the Privacy Act 2020 (IPP 6). They
 * ask for the child's file with the reference, the child's date of birth or family name, and the
 * reason; a second privacy officer or an auditor approves; then the officer downloads the file.
 */
export function PrivacyRequestPage() {
  const { t } = useTranslation();
  const can = useCan();
  const session = useSession();
  const form = useForm(['reference', 'dateOfBirth', 'familyName', 'reason']);
  const [reference, setReference] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const load = useCallback(
    async () => ({ requests: (await privacyApi.requests()).requests, loadedAt: Date.now() }),
    [],
  );
  const { state, reload } = useLoad(load);
  const canAsk = can('privacy.export');
  const canApprove = can('privacy.approve');

  const decide = async (request: PrivacyRequest, outcome: 'approve' | 'reject') => {
    setActionError(null);
    try {
      await privacyApi.decide(request.id, outcome);
      setMessage(
        t(outcome === 'approve' ? 'privacyRequests.approvedMessage' : 'privacyRequests.rejectedMessage', {
          reference: request.reference,
        }),
      );
      await reload();
    } catch (error) {
      setActionError(errorMessage(t, error));
    }
  };

  const actionsFor = (request: PrivacyRequest) => {
    const mine = request.requestedBy.id === session.user.id;
    if (
      mine &&
      request.status === 'approved' &&
      state.status === 'ready' &&
      Date.parse(request.expiresAt) > state.data.loadedAt
    )
      return (
        <a className="button button-small" href={privacyApi.fileUrl(request.id)} download>
          {t('privacyRequests.download')}
        </a>
      );
    if (request.status !== 'pending') return null;
    if (mine) return <span className="cell-note">{t('privacyRequests.waiting')}</span>;
    if (!canApprove) return null;
    return (
      <div className="actions">
        <button
          type="button"
          className="button button-small"
          aria-describedby={`privacy-${request.id}`}
          onClick={() => void decide(request, 'approve')}
        >
          {t('privacyRequests.approve')}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          aria-describedby={`privacy-${request.id}`}
          onClick={() => void decide(request, 'reject')}
        >
          {t('privacyRequests.reject')}
        </button>
      </div>
    );
  };

  return (
    <Page title={t('privacyRequests.title')} lead={t('privacyRequests.lead')}>
      <div role="status" className="live-region">
        {message ? <div className="alert alert-success">{message}</div> : null}
      </div>
      {canAsk ? (
        <section className="panel" aria-labelledby="privacy-request-heading">
          <h2 id="privacy-request-heading" className="panel-heading">
            {t('privacyRequests.heading')}
          </h2>
          <p>{t('privacyRequests.text')}</p>
          <p>{t('privacyRequests.care')}</p>
          <Form
            form={form}
            submitLabel={form.busy ? t('privacyRequests.sending') : t('privacyRequests.submit')}
            onSubmit={(event) =>
              form.submit(event, {
                check: () => {
                  const problems: Record<string, string> = {};
                  const wanted = reference.trim();
                  if (!wanted) problems.reference = t('privacyRequests.errors.referenceRequired');
                  else if (wanted.length > REFERENCE_MAX)
                    problems.reference = t('forms.tooLong', { count: REFERENCE_MAX });
                  if (!dateOfBirth && !familyName.trim())
                    problems.dateOfBirth = t('privacyRequests.errors.childRequired');
                  if (reason.trim().length < REASON_MIN)
                    problems.reason = t('privacyRequests.errors.reasonRequired', { count: REASON_MIN });
                  return problems;
                },
                send: async () => {
                  setMessage(null);
                  const wanted = reference.trim().toUpperCase();
                  await privacyApi.ask({
                    reference: wanted,
                    reason: reason.trim(),
                    ...(dateOfBirth ? { dateOfBirth } : {}),
                    ...(familyName.trim() ? { familyName: familyName.trim() } : {}),
                  });
                  setMessage(t('privacyRequests.asked', { reference: wanted }));
                  setReference('');
                  setDateOfBirth('');
                  setFamilyName('');
                  setReason('');
                  await reload();
                },
                failed: (error, found) => {
                  if (!(error instanceof ApiRequestError)) return found;
                  if (error.status === 404) {
                    const notFound = t('privacyRequests.errors.notFound');
                    return { form: notFound, other: [], fields: { reference: notFound } };
                  }
                  if (error.status === 403 && error.code === 'forbidden')
                    return { form: t('privacyRequests.errors.forbidden'), other: [], fields: {} };
                  return found;
                },
              })
            }
          >
            <TextField
              label={t('privacyRequests.reference')}
              hint={t('privacyRequests.referenceHint')}
              name="reference"
              id="privacy-reference"
              width="medium"
              spellCheck={false}
              autoCapitalize="none"
              autoComplete="off"
              value={reference}
              onChange={setReference}
              error={form.errors.fields.reference}
            />
            <ChildCheckFields
              idPrefix="privacy"
              labels={{
                dateOfBirth: t('privacyRequests.dateOfBirth'),
                familyName: t('privacyRequests.familyName'),
                hint: t('privacyRequests.childHint'),
              }}
              dateOfBirth={dateOfBirth}
              familyName={familyName}
              onDateOfBirth={setDateOfBirth}
              onFamilyName={setFamilyName}
              errors={form.errors.fields}
            />
            <TextAreaField
              label={t('privacyRequests.reason')}
              hint={t('privacyRequests.reasonHint')}
              name="reason"
              id="privacy-reason"
              rows={3}
              value={reason}
              onChange={setReason}
              error={form.errors.fields.reason}
            />
          </Form>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="privacy-requests-list-heading">
        <h2 id="privacy-requests-list-heading" className="panel-heading">
          {t('privacyRequests.listHeading')}
        </h2>
        <p className="meta">{t('privacyRequests.listLead')}</p>
        {actionError ? (
          <div className="alert alert-error" role="alert">
            {actionError}
          </div>
        ) : null}
        <LoadedTable
          state={state}
          onRetry={() => void reload()}
          id="privacy-requests"
          caption={t('privacyRequests.caption', {
            count: state.status === 'ready' ? state.data.requests.length : 0,
          })}
          columns={[
            t('privacyRequests.reference'),
            t('privacyRequests.columns.reason'),
            t('privacyRequests.columns.askedBy'),
            t('privacyRequests.columns.status'),
          ]}
          actionsColumn={t('privacyRequests.columns.actions')}
          rows={state.status === 'ready' ? state.data.requests : []}
          empty={t('privacyRequests.empty')}
          renderRow={(request) => (
            <tr key={request.id}>
              <td id={`privacy-${request.id}`} className="cell-nowrap">
                {request.reference}
              </td>
              <td className="cell-wide">{request.reason}</td>
              <td>
                {request.requestedBy.id === session.user.id
                  ? t('privacyRequests.you')
                  : request.requestedBy.displayName}
                <span className="cell-note">{formatDateTime(request.requestedAt)}</span>
              </td>
              <td>
                {t(`privacyRequests.status.${request.status}`)}
                {request.decidedBy ? (
                  <span className="cell-note">
                    {t('privacyRequests.decidedBy', { name: request.decidedBy.displayName })}
                  </span>
                ) : null}
                {request.status === 'pending' || request.status === 'approved' ? (
                  <span className="cell-note">
                    {t('privacyRequests.until', { time: formatDateTime(request.expiresAt) })}
                  </span>
                ) : null}
              </td>
              <td>{actionsFor(request)}</td>
            </tr>
          )}
        />
      </section>
    </Page>
  );
}
