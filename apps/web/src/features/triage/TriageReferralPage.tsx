import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  SCREEN_OUT_REASONS,
  type DuplicateCandidate,
  type DuplicateCandidateList,
  MATCH_REVIEW,
  type ReferralDetail,
  type ScreenOutReason,
  type TriageItem,
  UNTRIAGED_STATUSES,
} from '@tiaki/domain';
import { ActionError } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { Form, RadioGroup, TextAreaField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Page } from '../../components/Page.tsx';
import { useForm } from '../../components/useForm.ts';
import { SelectField } from '../../components/forms.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { ForbiddenPage } from '../../components/StatusPages.tsx';
import { useCan } from '../auth/session.tsx';
import { casesApi } from '../cases/api.ts';
import { referralPath } from '../cases/ReferralsSection.tsx';
import { formatDate, formatDateTime, formatPercent } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { triageApi } from './api.ts';
import { Facts, ReferralFacts } from './ReferralFacts.tsx';
import { ageBandName } from './labels.ts';
import { LikelihoodLine, MatchExplanation } from './MatchExplanation.tsx';
import { SideBySide } from './SideBySide.tsx';

interface Loaded {
  referral: ReferralDetail;
  /** The referral's row in the queue (deadline, assignee): absent once someone has triaged it. */
  item: TriageItem | null;
  candidates: DuplicateCandidate[];
  /** What the review shows: the threshold, the limit, and how many less likely children were left out. */
  review: Omit<DuplicateCandidateList, 'candidates'>;
  caseworkers: { id: string; displayName: string }[];
}

async function loadTriage(id: string): Promise<Loaded> {
  const referral = await triageApi.referral(id);
  const untriaged = (UNTRIAGED_STATUSES as readonly string[]).includes(referral.status);
  // Its row in the queue: found by its reference, whatever page of the queue it is on.
  const queue = untriaged ? await triageApi.queue({ q: referral.reference, pageSize: 100 }) : null;
  const item = queue?.items.find((row) => row.id === id) ?? null;
  const [list, caseworkers] = item
    ? await Promise.all([
        triageApi.candidates(id),
        casesApi.colleagues('cases.manage').then(
          (r) => r.people,
          () => [],
        ),
      ])
    : [{ candidates: [], ...MATCH_REVIEW, leftOut: 0 }, []];
  const { candidates, ...review } = list;
  return { referral, item, candidates, review, caseworkers };
}

/** /triage/:referralId: one referral, the children already known who may be the same, and what to do. */
export function TriageReferralPage() {
  const { t } = useTranslation();
  const { referralId = '' } = useParams();
  const load = useCallback(() => loadTriage(referralId), [referralId]);
  const { state, reload } = useLoad(load);
  if (state.status !== 'ready') {
    return (
      <Page title={t('triage.referral.title')} transient={state.status === 'loading'}>
        <LoadStatus state={state} onRetry={() => void reload()} />
      </Page>
    );
  }
  return (
    <TriageReferral key={state.data.item?.version ?? 0} {...state.data} onReload={() => void reload()} />
  );
}

type Pending =
  | { kind: 'open' }
  | { kind: 'attach'; candidate: DuplicateCandidate }
  | { kind: 'reject'; candidate: DuplicateCandidate }
  | null;

function TriageReferral({
  referral,
  item,
  candidates,
  review,
  caseworkers,
  onReload,
}: Loaded & { onReload: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState<ScreenOutReason | ''>('');
  const [caseworkerId, setCaseworkerId] = useState('');
  const screenForm = useForm(['reason']);
  const [rejected, setRejected] = useState<ReadonlySet<string>>(new Set());
  const [rejectReason, setRejectReason] = useState('');
  const [rejectedMessage, setRejectedMessage] = useState<string | null>(null);
  const candidatesHeading = useRef<HTMLHeadingElement>(null);
  const shown = candidates.filter((candidate) => !rejected.has(candidate.candidateId));

  const reject = async (candidate: DuplicateCandidate) => {
    // A match on a case the officer cannot see is the case's decision makers' to settle.
    if (busy || !candidate.caseId) return;
    setBusy(true);
    setError(null);
    setRejectedMessage(null);
    try {
      await triageApi.rejectCandidate(referral.id, candidate.caseId, rejectReason.trim() || undefined);
      setRejected((current) => new Set(current).add(candidate.candidateId));
      setPending(null);
      setRejectReason('');
      setRejectedMessage(t('triage.candidates.rejected', { reference: candidate.caseReference }));
      candidatesHeading.current?.focus();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const act = async () => {
    if (!pending || pending.kind === 'reject' || !item || busy) return;
    const attachTo = pending.kind === 'attach' ? pending.candidate.caseId : null;
    if (pending.kind === 'attach' && !attachTo) return;
    setBusy(true);
    setError(null);
    try {
      const opened =
        pending.kind === 'open'
          ? await triageApi.openCase(referral.id, referral.version, caseworkerId || undefined)
          : await triageApi.attach(referral.id, attachTo ?? '', referral.version);
      // Opening a case puts the officer on its team; adding to a case may not (need to know), so
      // after adding, the officer goes back to the queue rather than to a case they may not see.
      if (pending.kind === 'open') {
        void navigate(`/cases/${encodeURIComponent(opened.caseId)}`, {
          state: { message: t('triage.referral.opened', { reference: opened.reference }) },
        });
      } else {
        void navigate('/triage', {
          state: { message: t('triage.referral.attached', { reference: opened.reference }) },
        });
      }
    } catch (caught) {
      setPending(null);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('triage.referral.title')}
      heading={t('triage.referral.heading', { reference: referral.reference })}
      lead={t('triage.referral.lead')}
    >
      <p>
        <Link to="/triage" className="link">
          {t('triage.referral.back')}
        </Link>
      </p>
      {item ? null : (
        <div className="notice notice-warning" role="status">
          <p>{t('triage.referral.alreadyTriaged', { status: t(`referrals.statuses.${referral.status}`) })}</p>
        </div>
      )}
      <Facts
        rows={[
          [t('triage.referral.received'), formatDateTime(referral.submittedAt, referral.region)],
          [
            t('triage.referral.urgency'),
            referral.urgent ? (
              <span className="badge badge-urgent">{t('triage.urgent')}</span>
            ) : (
              t('triage.referral.notUrgent')
            ),
          ],
          [t('triage.referral.concernLevel'), t(`referrals.screen.levels.${referral.concernLevel}`)],
          [t('triage.referral.referringOrganisation'), referral.referringOrganisation.name],
          [
            t('triage.referral.assignee'),
            item ? (item.assignee?.displayName ?? t('triage.queue.nobody')) : '',
          ],
          [
            t('triage.referral.due'),
            item ? (
              <time dateTime={item.reasonableGroundsDueOn}>{formatDate(item.reasonableGroundsDueOn)}</time>
            ) : (
              ''
            ),
          ],
        ]}
      />

      {item ? (
        <section className="panel panel-important" aria-labelledby="candidates-heading">
          <h2 id="candidates-heading" ref={candidatesHeading} tabIndex={-1} className="panel-heading">
            {t('triage.candidates.heading')}
          </h2>
          <p>{t('triage.candidates.lead')}</p>
          <p className="hint">
            {t('triage.candidates.threshold', {
              limit: review.limit,
              percent: formatPercent(review.threshold),
            })}
            {review.leftOut > 0 ? ` ${t('triage.candidates.leftOut', { count: review.leftOut })}` : ''}
          </p>
          {candidates.length > 0 ? (
            <p className="decide-note">
              <strong>{t('triage.candidates.youDecide')}</strong>
            </p>
          ) : null}
          <div role="status" className="live-region">
            {rejectedMessage ? <div className="alert alert-success">{rejectedMessage}</div> : null}
          </div>
          <ActionError error={error} onReload={onReload} />
          {shown.length === 0 ? (
            <p>
              {!referral.childIdentified
                ? t('triage.candidates.notIdentified')
                : candidates.length
                  ? t('triage.candidates.noneLeft')
                  : t('triage.candidates.none')}
            </p>
          ) : (
            <ul className="candidate-list">
              {shown.map((candidate) =>
                candidate.withheld || !candidate.caseReference ? (
                  <WithheldCandidate
                    key={candidate.candidateId}
                    candidate={candidate}
                    referralId={referral.id}
                  />
                ) : (
                  <Candidate
                    key={candidate.candidateId}
                    reference={candidate.caseReference}
                    candidate={candidate}
                    referral={referral}
                    onAttach={() => {
                      setError(null);
                      setRejectedMessage(null);
                      setPending({ kind: 'attach', candidate });
                    }}
                    onReject={() => {
                      setError(null);
                      setRejectedMessage(null);
                      setRejectReason('');
                      setPending({ kind: 'reject', candidate });
                    }}
                  >
                    {pending?.kind === 'attach' && pending.candidate.candidateId === candidate.candidateId ? (
                      <ConfirmStep
                        question={t('triage.candidates.confirmAttach', {
                          reference: candidate.caseReference,
                        })}
                        detail={t('triage.candidates.confirmAttachDetail')}
                        busy={busy}
                        onConfirm={() => void act()}
                        onCancel={() => {
                          setPending(null);
                        }}
                      />
                    ) : null}
                    {pending?.kind === 'reject' && pending.candidate.candidateId === candidate.candidateId ? (
                      <RejectStep
                        reference={candidate.caseReference}
                        reason={rejectReason}
                        onReason={setRejectReason}
                        busy={busy}
                        onConfirm={() => void reject(candidate)}
                        onCancel={() => {
                          setPending(null);
                        }}
                      />
                    ) : null}
                  </Candidate>
                ),
              )}
            </ul>
          )}
          <h3 className="subheading">{t('triage.open.heading')}</h3>
          <p>{t('triage.open.text', { date: formatDate(item.reasonableGroundsDueOn) })}</p>
          <SelectField
            label={t('triage.open.caseworker')}
            hint={t('triage.open.caseworkerHint')}
            name="caseworkerId"
            placeholder={t('triage.open.noCaseworker')}
            options={caseworkers.map((person) => ({ value: person.id, label: person.displayName }))}
            value={caseworkerId}
            onChange={setCaseworkerId}
          />
          <div className="actions">
            <button
              type="button"
              className={shown.length ? 'button button-secondary' : 'button'}
              onClick={() => {
                setError(null);
                setPending({ kind: 'open' });
              }}
            >
              {t('triage.open.button')}
            </button>
          </div>
          {pending?.kind === 'open' ? (
            <ConfirmStep
              question={t('triage.open.confirm')}
              detail={t('triage.open.confirmDetail')}
              busy={busy}
              onConfirm={() => void act()}
              onCancel={() => {
                setPending(null);
              }}
            />
          ) : null}
        </section>
      ) : null}

      <section className="section" aria-labelledby="referral-heading">
        <h2 id="referral-heading" className="section-heading">
          {t('triage.referral.whatWasRecorded')}
        </h2>
        <ReferralFacts referral={referral} />
      </section>

      {item ? (
        <section className="panel" aria-labelledby="screen-out-heading">
          <h2 id="screen-out-heading" className="panel-heading">
            {t('triage.screenOut.heading')}
          </h2>
          <p>{t('triage.screenOut.lead')}</p>
          <Form
            form={screenForm}
            submitLabel={screenForm.busy ? t('triage.screenOut.sending') : t('triage.screenOut.submit')}
            onSubmit={(event) =>
              screenForm.submit(event, {
                check: (): Record<string, string> =>
                  reason ? {} : { reason: t('triage.screenOut.reasonRequired') },
                send: async () => {
                  if (!reason) return;
                  await triageApi.screenOut(referral.id, reason, referral.version);
                  void navigate('/triage', {
                    state: { message: t('triage.screenOut.done', { reference: referral.reference }) },
                  });
                },
              })
            }
          >
            <RadioGroup
              legend={t('triage.screenOut.reason')}
              name="reason"
              options={SCREEN_OUT_REASONS.map((value) => ({
                value,
                label: t(`triage.screenOut.reasons.${value}`),
              }))}
              value={reason}
              onChange={setReason}
              error={screenForm.errors.fields.reason}
            />
          </Form>
        </section>
      ) : null}
    </Page>
  );
}

/**
 * A possible match on a case the officer is not on: how likely and how the details compare, never
 * who the child is or which case. The case's decision makers have been told and decide.
 */
function WithheldCandidate({ candidate, referralId }: { candidate: DuplicateCandidate; referralId: string }) {
  const { t } = useTranslation();
  const headingId = `candidate-${candidate.candidateId}`;
  const [asked, setAsked] = useState(false);
  const [askError, setAskError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const ask = async () => {
    setAsking(true);
    setAskError(null);
    try {
      await triageApi.requestAttach(referralId, candidate.candidateId);
      setAsked(true);
    } catch (caught) {
      setAskError(caught);
    } finally {
      setAsking(false);
    }
  };
  return (
    <li className="candidate" aria-labelledby={headingId}>
      <h3 id={headingId} className="candidate-name">
        {t('triage.candidates.withheld.heading')}
      </h3>
      <p>{t('triage.candidates.withheld.text')}</p>
      <LikelihoodLine probability={candidate.explanation.probability} />
      {candidate.caseStatus === 'closed' ? (
        <p className="cell-note">{t('triage.candidates.closed')}</p>
      ) : null}
      <Facts
        rows={[
          [t('referrals.fields.ageBandSelect'), ageBandName(candidate.ageBand) ?? ''],
          [t('referrals.fields.region'), regionName(candidate.region)],
        ]}
      />
      <MatchExplanation
        id={`why-${candidate.candidateId}`}
        reference={t('triage.candidates.withheld.reference')}
        explanation={candidate.explanation}
      />
      <div role="status" className="live-region">
        {asked ? <div className="alert alert-success">{t('triage.candidates.withheld.asked')}</div> : null}
      </div>
      <ActionError error={askError} />
      {asked ? null : (
        <button type="button" className="button" disabled={asking} onClick={() => void ask()}>
          {t('triage.candidates.withheld.ask')}
        </button>
      )}
    </li>
  );
}

function Candidate({
  candidate,
  referral,
  reference,
  onAttach,
  onReject,
  children,
}: {
  candidate: DuplicateCandidate;
  /** The incoming referral, shown beside the child already known. */
  referral: ReferralDetail;
  /** The case's reference: only candidates on a case the officer can see are offered. */
  reference: string;
  onAttach: () => void;
  onReject: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const name =
    [candidate.givenNames, candidate.familyName].filter(Boolean).join(' ') || t('triage.candidates.noName');
  const headingId = `candidate-${candidate.candidateId}`;
  return (
    <li className="candidate" aria-labelledby={headingId}>
      <h3 id={headingId} className="candidate-name">
        {name} <span className="candidate-case">({reference})</span>
      </h3>
      <LikelihoodLine probability={candidate.explanation.probability} />
      {candidate.caseStatus === 'closed' ? (
        <p className="cell-note">{t('triage.candidates.closed')}</p>
      ) : null}
      <SideBySide candidate={candidate} referral={referral} reference={reference} />
      <MatchExplanation
        id={`why-${candidate.candidateId}`}
        reference={reference}
        explanation={candidate.explanation}
      />
      <div className="actions">
        <button type="button" className="button" onClick={onAttach} aria-describedby={headingId}>
          {t('triage.candidates.attach')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={onReject}
          aria-describedby={headingId}
        >
          {t('triage.candidates.reject')}
        </button>
      </div>
      {children}
    </li>
  );
}

/** "Not the same child": an optional reason, then Confirm or Cancel. */
function RejectStep({
  reference,
  reason,
  onReason,
  busy,
  onConfirm,
  onCancel,
}: {
  reference: string;
  reason: string;
  onReason: (value: string) => void;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const questionId = `reject-${reference}`;
  const focusOnMount = useCallback((node: HTMLParagraphElement | null) => {
    node?.focus();
  }, []);
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId} ref={focusOnMount} tabIndex={-1} className="confirm-question">
        {t('triage.candidates.confirmReject', { reference })}
      </p>
      <p className="confirm-detail">{t('triage.candidates.confirmRejectDetail')}</p>
      <TextAreaField
        label={t('triage.candidates.rejectReason')}
        hint={t('triage.candidates.rejectReasonHint')}
        name="rejectReason"
        optional
        rows={3}
        value={reason}
        onChange={onReason}
      />
      <div className="actions">
        <button
          type="button"
          className="button"
          aria-disabled={busy || undefined}
          onClick={() => {
            if (!busy) onConfirm();
          }}
        >
          {t('actions.confirm')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
      </div>
    </div>
  );
}

/**
 * /triage/:referralId for everyone: the triage screen for triage staff; anyone else who may see
 * the referral's case (a caseworker, a decision maker told of a possible match) is taken to the
 * referral on its case rather than told they have no access. Others are told they have none.
 */
export function TriageEntryPage() {
  const can = useCan();
  return can('referrals.triage') ? <TriageReferralPage /> : <ReferralOnItsCase />;
}

function ReferralOnItsCase() {
  const { t } = useTranslation();
  const { referralId = '' } = useParams();
  const load = useCallback(() => triageApi.referral(referralId), [referralId]);
  const { state } = useLoad(load);
  if (state.status === 'loading')
    return (
      <Page title={t('triage.referral.title')} transient>
        <p role="status" className="loading">
          {t('app.loading')}
        </p>
      </Page>
    );
  if (state.status === 'ready' && state.data.caseId)
    return <Navigate replace to={referralPath(state.data.caseId, state.data.id)} />;
  return <ForbiddenPage />;
}
