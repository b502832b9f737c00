import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiRequestError } from '../../api/client.ts';
import { useTranslation } from 'react-i18next';
import { Form, RadioGroup, TextAreaField, TextField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useCan } from '../auth/session.tsx';
import { casesApi } from '../cases/api.ts';
import { privacyApi } from './api.ts';
import { ChildCheckFields } from './ChildCheckFields.tsx';

type Entry = Awaited<ReturnType<typeof privacyApi.breakGlass>>['entries'][number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIN_REASON = 20;

/** /break-glass: privacy officers review emergency accesses; supervisors ask for one. */
export function BreakGlassPage() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Page
      title={t('breakGlass.title')}
      lead={can('break_glass.review') ? t('breakGlass.reviewLead') : t('breakGlass.requestLead')}
    >
      {can('cases.break_glass') ? <RequestForm /> : null}
      {can('break_glass.review') ? <ReviewList /> : null}
    </Page>
  );
}

function RequestForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm(['caseRef', 'caseReference', 'dateOfBirth', 'familyName', 'reason']);
  const [caseRef, setCaseRef] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [reason, setReason] = useState('');
  return (
    <section className="panel panel-important" aria-labelledby="break-glass-request">
      <h2 id="break-glass-request" className="panel-heading">
        {t('breakGlass.request.heading')}
      </h2>
      <p>{t('breakGlass.request.lead')}</p>
      <Form
        form={form}
        submitLabel={form.busy ? t('breakGlass.request.sending') : t('breakGlass.request.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const problems: Record<string, string> = {};
              if (!caseRef.trim()) problems.caseRef = t('breakGlass.caseRequired');
              else if (!UUID.test(caseRef.trim()) && !dateOfBirth && !familyName.trim())
                problems.dateOfBirth = t('breakGlass.childRequired');
              if (reason.trim().length < MIN_REASON)
                problems.reason = t('breakGlass.request.reasonTooShort', { count: MIN_REASON });
              return problems;
            },
            send: async () => {
              const wanted = caseRef.trim();
              let caseId = wanted;
              if (UUID.test(wanted)) await casesApi.breakGlass(wanted, reason.trim());
              else
                caseId = (
                  await casesApi.breakGlassByReference({
                    caseReference: wanted.toUpperCase(),
                    reason: reason.trim(),
                    ...(dateOfBirth ? { dateOfBirth } : {}),
                    ...(familyName.trim() ? { familyName: familyName.trim() } : {}),
                  })
                ).caseId;
              void navigate(`/cases/${encodeURIComponent(caseId)}`);
            },
            failed: (error, found) => {
              // An unknown reference and a child who does not match answer alike.
              if (!(error instanceof ApiRequestError) || error.status !== 404) return found;
              const notFound = t('breakGlass.notFound');
              return { form: notFound, other: [], fields: { caseRef: notFound } };
            },
          })
        }
      >
        <TextField
          label={t('breakGlass.case')}
          hint={t('breakGlass.caseHint')}
          name="caseRef"
          width="medium"
          spellCheck={false}
          autoCapitalize="none"
          value={caseRef}
          onChange={setCaseRef}
          error={form.errors.fields.caseRef ?? form.errors.fields.caseReference}
        />
        <ChildCheckFields
          idPrefix="break-glass"
          labels={{
            dateOfBirth: t('breakGlass.dateOfBirth'),
            familyName: t('breakGlass.familyName'),
            hint: t('breakGlass.childHint'),
          }}
          dateOfBirth={dateOfBirth}
          familyName={familyName}
          onDateOfBirth={setDateOfBirth}
          onFamilyName={setFamilyName}
          errors={form.errors.fields}
        />
        <TextAreaField
          label={t('breakGlass.request.reason')}
          hint={t('breakGlass.request.reasonHint')}
          name="reason"
          rows={4}
          value={reason}
          onChange={setReason}
          error={form.errors.fields.reason}
        />
      </Form>
    </section>
  );
}

function ReviewList() {
  const { t } = useTranslation();
  const [pending, setPending] = useState(true);
  const load = useCallback(() => privacyApi.breakGlass(pending), [pending]);
  const { state, reload } = useLoad(load);
  const [success, setSuccess] = useState<string | null>(null);
  const entries = state.status === 'ready' ? state.data.entries : [];
  return (
    <section aria-labelledby="break-glass-review">
      <h2 id="break-glass-review" className="section-heading">
        {t('breakGlass.reviewHeading')}
      </h2>
      <RadioGroup
        legend={t('breakGlass.show')}
        name="pending"
        inline
        options={[
          { value: 'pending', label: t('breakGlass.pendingOnly') },
          { value: 'all', label: t('breakGlass.all') },
        ]}
        value={pending ? 'pending' : 'all'}
        onChange={(value) => {
          setPending(value === 'pending');
        }}
      />
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' && entries.length === 0 ? (
        <p>{pending ? t('breakGlass.nonePending') : t('breakGlass.none')}</p>
      ) : null}
      <ul className="item-list">
        {entries.map((entry) => (
          <ReviewItem
            key={entry.id}
            entry={entry}
            onReviewed={async (message) => {
              setSuccess(message);
              await reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function ReviewItem({ entry, onReviewed }: { entry: Entry; onReviewed: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm(['outcome', 'note']);
  const [outcome, setOutcome] = useState<'justified' | 'not_justified' | ''>('');
  const [note, setNote] = useState('');
  const headingId = `bg-${entry.id}`;
  return (
    <li className="item" aria-labelledby={headingId}>
      <h3 id={headingId} className="item-title">
        {t('breakGlass.entryHeading', { reference: entry.caseReference, name: entry.user.displayName })}
      </h3>
      <p className="meta">
        {t('breakGlass.entryMeta', {
          organisation: entry.organisation.name,
          granted: formatDateTime(entry.grantedAt),
          expires: formatDateTime(entry.expiresAt),
        })}
      </p>
      <p>
        <strong>{t('breakGlass.reasonGiven')}</strong> {entry.reason}
      </p>
      {entry.reviewedAt ? (
        <p>
          {t('breakGlass.reviewed', {
            time: formatDateTime(entry.reviewedAt),
            outcome: entry.reviewOutcome ? t(`breakGlass.outcomes.${entry.reviewOutcome}`) : '',
          })}
        </p>
      ) : (
        <Form
          form={form}
          submitLabel={t('breakGlass.recordReview')}
          onSubmit={(event) =>
            form.submit(event, {
              check: (): Record<string, string> =>
                outcome ? {} : { outcome: t('breakGlass.outcomeRequired') },
              send: async () => {
                if (!outcome) return;
                await privacyApi.review(entry.id, outcome, note.trim() || undefined);
                await onReviewed(t('breakGlass.reviewDone', { reference: entry.caseReference }));
              },
            })
          }
        >
          <RadioGroup
            legend={t('breakGlass.outcome')}
            name={`outcome-${entry.id}`}
            options={(['justified', 'not_justified'] as const).map((value) => ({
              value,
              label: t(`breakGlass.outcomes.${value}`),
            }))}
            value={outcome}
            onChange={setOutcome}
            error={form.errors.fields.outcome}
          />
          <TextAreaField
            label={t('breakGlass.note')}
            name="note"
            optional
            rows={3}
            value={note}
            onChange={setNote}
            error={form.errors.fields.note}
          />
        </Form>
      )}
    </li>
  );
}
