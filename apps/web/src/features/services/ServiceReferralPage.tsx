import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  CURRENT_TAXONOMY,
  DECLINE_REASONS,
  PROVIDER_HOLDS,
  type DeclineReason,
  type ServiceReferral,
  type ServiceReferralStatus,
} from '@tiaki/domain';
import { isConflict, ReloadOffer } from '../../components/conflict.tsx';
import { Form, RadioGroup, TextAreaField } from '../../components/forms.tsx';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { lawfulBasisName } from '../cases/TeamSection.tsx';
import { labelsOf, regionName } from '../referrals/labels.ts';
import { Facts } from '../triage/ReferralFacts.tsx';
import { ageBandName, genderName } from '../triage/labels.ts';
import { servicesApi } from './api.ts';

/** /service-referrals/:id: one referral to a service, showing only what the server lets this person see. */
export function ServiceReferralPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const load = useCallback(() => servicesApi.referral(id), [id]);
  const { state, reload, update } = useLoad(load);
  const [success, setSuccess] = useState<string | null>(null);
  if (state.status !== 'ready') {
    return (
      <Page title={t('serviceReferrals.page.title')} transient={state.status === 'loading'}>
        <LoadStatus state={state} onRetry={() => void reload()} />
      </Page>
    );
  }
  const sr = state.data;
  return (
    <ReferralView
      key={sr.version}
      sr={sr}
      success={success}
      onChanged={(next, message) => {
        update(() => next);
        setSuccess(message);
      }}
      onNoteAdded={async (message) => {
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
  sr: ServiceReferral;
  success: string | null;
  onChanged: (next: ServiceReferral, message: string) => void;
  onNoteAdded: (message: string) => Promise<void>;
  onReload: () => void;
}

function ReferralView({ sr, success, onChanged, onNoteAdded, onReload }: ViewProps) {
  const { t } = useTranslation();
  const child = sr.child;
  const steps = sr.nextSteps ?? [];
  const mayNote = sr.caseId !== null || PROVIDER_HOLDS.includes(sr.status);
  return (
    <Page
      title={t('serviceReferrals.page.title')}
      heading={t('serviceReferrals.page.heading', {
        reference: sr.reference ?? '',
        service: sr.service.name,
      })}
      lead={sr.caseId ? t('serviceReferrals.page.leadTeam') : t('serviceReferrals.page.leadProvider')}
    >
      <p>
        {sr.caseId ? (
          <Link to={`/cases/${encodeURIComponent(sr.caseId)}#case-services`} className="link">
            {t('serviceReferrals.page.backToCase', { reference: sr.caseReference })}
          </Link>
        ) : (
          <Link to="/service-referrals" className="link">
            {t('serviceReferrals.page.backToInbox')}
          </Link>
        )}
      </p>
      <div role="status" className="live-region">
        {success ? <div className="alert alert-success">{success}</div> : null}
      </div>
      <Facts
        rows={[
          [
            t('serviceReferrals.columns.status'),
            <span className={`badge badge-sr-${sr.status}`}>
              {t(`serviceReferrals.statuses.${sr.status}`)}
            </span>,
          ],
          [t('serviceReferrals.columns.service'), `${sr.service.name} (${sr.provider.name})`],
          [t('serviceReferrals.page.referrer'), sr.referrer.name],
          [t('serviceReferrals.columns.need'), t(`services.needTypes.${sr.needType}`)],
          [t('serviceReferrals.urgencyLabel'), t(`serviceReferrals.urgencies.${sr.urgency}`)],
          [
            t('serviceReferrals.columns.respondBy'),
            `${formatDate(sr.respondBy)}${sr.overdue ? ` (${t('serviceReferrals.overdue')})` : ''}`,
          ],
          [t('serviceReferrals.page.region'), regionName(sr.region)],
          [t('serviceReferrals.page.ageBand'), ageBandName(sr.ageBand) ?? ''],
          [t('serviceReferrals.page.lawfulBasis'), lawfulBasisName(sr.lawfulBasis)],
          [
            t('serviceReferrals.page.shared'),
            sr.sharedFields.map((f) => t(`cases.fieldGroups.${f}`)).join('; '),
          ],
          [
            t('serviceReferrals.page.declineReason'),
            sr.declineReason ? t(`serviceReferrals.declineReasons.${sr.declineReason}`) : '',
          ],
          [t('serviceReferrals.page.declineDetail'), sr.declineDetail ?? ''],
          [t('serviceReferrals.page.outcome'), sr.outcome ?? ''],
        ]}
      />

      <section aria-labelledby="sr-child">
        <h2 id="sr-child" className="section-heading">
          {t('serviceReferrals.page.child')}
        </h2>
        {child ? (
          <Facts
            rows={[
              [t('cases.child.name'), [child.givenNames, child.familyName].filter(Boolean).join(' ')],
              [t('referrals.fields.dateOfBirth'), child.dateOfBirth ? formatDate(child.dateOfBirth) : ''],
              [t('referrals.fields.ageBandSelect'), ageBandName(child.ageBand ?? null) ?? ''],
              [t('referrals.fields.gender'), genderName(child.gender) ?? ''],
              [
                t('referrals.fields.ethnicities'),
                child.ethnicities?.length ? labelsOf(CURRENT_TAXONOMY.ethnicities, child.ethnicities) : '',
              ],
              [t('referrals.fields.iwi'), child.iwi?.length ? labelsOf(CURRENT_TAXONOMY.iwi, child.iwi) : ''],
              [t('referrals.fields.languages'), child.languages?.join('; ') ?? ''],
              [t('referrals.fields.currentLocation'), child.currentLocation ?? ''],
              [t('cases.services.needsSummary'), child.needsSummary ?? ''],
            ]}
          />
        ) : (
          <p>{t('serviceReferrals.page.childHidden')}</p>
        )}
      </section>

      {steps.length ? <Steps sr={sr} steps={steps} onChanged={onChanged} onReload={onReload} /> : null}

      <section aria-labelledby="sr-history">
        <h2 id="sr-history" className="section-heading">
          {t('serviceReferrals.page.history')}
        </h2>
        <ol className="timeline">
          {sr.events.map((event, index) => (
            <li key={`${event.at}-${String(index)}`} className="timeline-entry">
              <time dateTime={event.at} className="timeline-time">
                {formatDateTime(event.at, sr.region)}
              </time>
              <span className="timeline-text">{t(`serviceReferrals.events.${event.to}`)}</span>
              {event.reason ? <span className="cell-note">{event.reason}</span> : null}
              {event.by || event.organisation ? (
                <span className="cell-note">
                  {t('cases.timeline.by', {
                    who: [event.by?.displayName, event.organisation?.name].filter(Boolean).join(', '),
                  })}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="sr-notes">
        <h2 id="sr-notes" className="section-heading">
          {t('serviceReferrals.page.notes')}
        </h2>
        {sr.notes.length === 0 ? <p>{t('serviceReferrals.page.noNotes')}</p> : null}
        <ul className="item-list">
          {sr.notes.map((note) => (
            <li key={note.id} className="item">
              <p className="meta">
                {t('cases.plan.noteBy', {
                  name: note.author?.displayName ?? t('cases.plan.someone'),
                  organisation: note.organisation.name,
                  time: formatDateTime(note.createdAt, sr.region),
                })}
              </p>
              <p className="item-text narrative-preview">{note.body}</p>
            </li>
          ))}
        </ul>
        {mayNote ? <NoteForm id={sr.id} onAdded={onNoteAdded} /> : null}
      </section>
    </Page>
  );
}

const DETAIL_STEPS: readonly ServiceReferralStatus[] = ['declined', 'withdrawn', 'completed'];

function Steps({
  sr,
  steps,
  onChanged,
  onReload,
}: {
  sr: ServiceReferral;
  steps: ServiceReferralStatus[];
  onChanged: ViewProps['onChanged'];
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const form = useForm(['to', 'declineReason', 'detail']);
  const [to, setTo] = useState<ServiceReferralStatus | ''>(steps.length === 1 ? (steps[0] ?? '') : '');
  const [declineReason, setDeclineReason] = useState<DeclineReason | ''>('');
  const [detail, setDetail] = useState('');
  const [conflict, setConflict] = useState(false);
  return (
    <section className="panel panel-important" aria-labelledby="sr-steps">
      <h2 id="sr-steps" className="panel-heading">
        {t('serviceReferrals.page.nextStep')}
      </h2>
      <Form
        form={form}
        submitLabel={form.busy ? t('serviceReferrals.page.saving') : t('serviceReferrals.page.record')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const problems: Record<string, string> = {};
              if (!to) problems.to = t('serviceReferrals.page.stepRequired');
              if (to === 'declined' && !declineReason)
                problems.declineReason = t('serviceReferrals.page.declineRequired');
              if ((to === 'withdrawn' || to === 'completed') && !detail.trim())
                problems.detail = t(`serviceReferrals.page.detailRequired.${to}`);
              return problems;
            },
            send: async () => {
              if (!to) return;
              setConflict(false);
              const next = await servicesApi.transition(sr.id, {
                to,
                ...(to === 'declined' && declineReason ? { declineReason } : {}),
                ...(DETAIL_STEPS.includes(to) && detail.trim() ? { detail: detail.trim() } : {}),
                version: sr.version,
              });
              onChanged(next, t(`serviceReferrals.page.done.${to}`));
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <RadioGroup
          legend={t('serviceReferrals.page.whatNow')}
          name="to"
          options={steps.map((value) => ({
            value,
            label: t(`serviceReferrals.steps.${value}`),
            ...(value === 'declined'
              ? {
                  more: (
                    <RadioGroup
                      legend={t('serviceReferrals.page.declineReason')}
                      name="declineReason"
                      options={DECLINE_REASONS.map((reason) => ({
                        value: reason,
                        label: t(`serviceReferrals.declineReasons.${reason}`),
                      }))}
                      value={declineReason}
                      onChange={setDeclineReason}
                      error={form.errors.fields.declineReason}
                    />
                  ),
                }
              : {}),
          }))}
          value={to}
          onChange={setTo}
          error={form.errors.fields.to}
        />
        {to && DETAIL_STEPS.includes(to) ? (
          <>
            <TextAreaField
              label={t(`serviceReferrals.page.detail.${to as 'declined' | 'withdrawn' | 'completed'}`)}
              name="detail"
              optional={to === 'declined'}
              rows={3}
              value={detail}
              onChange={setDetail}
              error={form.errors.fields.detail}
            />
            <WordingGuidance text={detail} id="step-detail-wording" headingLevel={4} />
          </>
        ) : null}
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}

function NoteForm({ id, onAdded }: { id: string; onAdded: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm(['body']);
  const [body, setBody] = useState('');
  return (
    <Form
      form={form}
      submitLabel={form.busy ? t('cases.plan.saving') : t('cases.plan.addNote')}
      onSubmit={(event) =>
        form.submit(event, {
          check: (): Record<string, string> => (body.trim() ? {} : { body: t('cases.plan.noteRequired') }),
          send: async () => {
            await servicesApi.addNote(id, body.trim());
            setBody('');
            await onAdded(t('cases.plan.noteAdded'));
          },
        })
      }
    >
      <TextAreaField
        label={t('cases.plan.note')}
        hint={t('serviceReferrals.page.noteHint')}
        name="body"
        rows={3}
        value={body}
        onChange={setBody}
        error={form.errors.fields.body}
      />
      <WordingGuidance text={body} id="note-wording" headingLevel={4} />
    </Form>
  );
}
