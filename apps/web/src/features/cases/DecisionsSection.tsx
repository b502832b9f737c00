import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';
import type { TFunction } from 'i18next';
import {
  CURRENT_TAXONOMY,
  DECISION_OUTCOMES,
  decisionThatFollows,
  type CaseDetail,
  type Decision,
  type DecisionKind,
  type DecisionOutcome,
  type ReferralDetail,
} from '@tiaki/domain';
import { Link } from 'react-router-dom';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { nzToday, OverdueTag } from '../../components/PagedTable.tsx';
import { ActionError, isConflict, ReloadOffer } from '../../components/conflict.tsx';
import { CheckboxGroup, Form, RadioGroup, SelectField, TextAreaField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { useSession } from '../auth/session.tsx';
import { labelsOf } from '../referrals/labels.ts';
import { Facts } from '../triage/ReferralFacts.tsx';
import { referralPath } from './ReferralsSection.tsx';
import { casesApi } from './api.ts';
import { dueText } from './deadlines.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

/** The evidence a decision is made on: the case's referrals in full, or null while they load. */
type Evidence = readonly ReferralDetail[] | null;

/** The identification decisions: each with its deadline, its panel and what may be done now. */
export function DecisionsSection({ referrals, ...props }: SectionProps & { referrals: Evidence }) {
  const { t } = useTranslation();
  const { decisions } = props.detail;
  return (
    <section className="case-section" aria-labelledby="case-decisions">
      <h2 id="case-decisions" tabIndex={-1} className="section-heading">
        {t('cases.sections.decisions')}
      </h2>
      {decisions.length === 0 ? <p>{t('decisions.none')}</p> : null}
      {decisions.map((decision) => (
        <DecisionCard
          key={`${decision.id}:${decision.version}`}
          decision={decision}
          referrals={referrals}
          {...props}
        />
      ))}
    </section>
  );
}

function outcomeText(t: TFunction, decision: Decision, outcome: DecisionOutcome): string {
  return t(`decisions.outcomes.${decision.kind}.${outcome}`);
}

function DecisionCard({
  decision,
  detail,
  referrals,
  onChanged,
  onReload,
}: SectionProps & { decision: Decision; referrals: Evidence }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const headingId = `decision-${decision.id}`;
  const pending = decision.status === 'pending';
  const open = detail.status === 'open';
  const myPanelSeat = decision.panel.find((member) => member.user.id === user.id);
  const reconsideredBy = detail.decisions.find((d) => d.reconsidersId === decision.id);
  const [moreOpen, setMoreOpen] = useState(false);

  return (
    <article className="decision" aria-labelledby={headingId}>
      <h3 id={headingId} className="decision-title">
        {t(`decisions.kinds.${decision.kind}`)}
        <span className={`badge badge-decision-${pending ? 'pending' : (decision.outcome ?? 'made')}`}>
          {pending ? t('decisions.pending') : t('decisions.made')}
        </span>
      </h3>
      <Facts
        rows={[
          [
            t('decisions.earliest'),
            decision.earliestOn ? t('decisions.earliestText', { date: formatDate(decision.earliestOn) }) : '',
          ],
          [
            t('decisions.dueLabel'),
            <>
              <strong>{dueText(t, decision)}</strong>{' '}
              {pending && decision.dueOn < nzToday() ? <OverdueTag /> : null}
            </>,
          ],
          [
            t('decisions.assignee'),
            decision.assignee?.displayName ?? (pending ? t('decisions.noAssignee') : ''),
          ],
          [t('decisions.grounds'), decision.grounds ?? ''],
          [t('decisions.outcome'), decision.outcome ? outcomeText(t, decision, decision.outcome) : ''],
          [
            t('decisions.decidedBy'),
            decision.decidedBy && decision.decidedOn
              ? t('decisions.decidedByText', {
                  name: decision.decidedBy.displayName,
                  date: formatDate(decision.decidedOn),
                })
              : '',
          ],
          [
            t('decisions.rationale'),
            decision.rationale ? <p className="narrative-preview">{decision.rationale}</p> : '',
          ],
          [t('decisions.evidence'), decision.evidence ?? ''],
        ]}
      />
      {decision.byPanel ? (
        <>
          <h4 className="subheading">{t('decisions.panel.heading')}</h4>
          <ul className="list">
            {decision.panel.map((member) => (
              <li key={member.user.id}>
                {t('decisions.panel.member', {
                  name: member.user.displayName,
                  organisation: member.organisation.name,
                })}{' '}
                {member.view
                  ? t('decisions.panel.viewed', {
                      view: outcomeText(t, decision, member.view),
                      date: member.recordedAt ? formatDateTime(member.recordedAt, detail.region) : '',
                    })
                  : t('decisions.panel.waiting')}
                {member.comment ? <span className="cell-note">{member.comment}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {pending && open && myPanelSeat ? (
        <PanelViewForm decision={decision} onChanged={onChanged} onReload={onReload} />
      ) : null}
      {pending && open && detail.permissions.decide ? (
        <>
          {decision.opensLater ? (
            <NotYetOpen decision={decision} />
          ) : (
            <div className="decide-layout">
              <DecideForm
                decision={decision}
                reconsideredKind={detail.decisions.find((d) => d.id === decision.reconsidersId)?.kind ?? null}
                onChanged={onChanged}
                onReload={onReload}
              />
              <EvidencePanel caseId={detail.id} decision={decision} referrals={referrals} />
            </div>
          )}
          <details
            className="details decision-more"
            onToggle={(event) => {
              setMoreOpen(event.currentTarget.open);
            }}
          >
            <summary className="details-summary">{t('decisions.moreActions')}</summary>
            {moreOpen ? (
              <>
                <AssignForm decision={decision} detail={detail} onChanged={onChanged} onReload={onReload} />
                <PanelForm decision={decision} detail={detail} onChanged={onChanged} onReload={onReload} />
              </>
            ) : null}
          </details>
        </>
      ) : null}
      {!pending &&
      decision.outcome === 'negative' &&
      decision.reconsiderationOpenUntil &&
      !reconsideredBy &&
      open &&
      (detail.permissions.manage || detail.permissions.decide) ? (
        <ReconsiderForm decision={decision} onChanged={onChanged} onReload={onReload} />
      ) : null}
    </article>
  );
}

interface FormProps {
  decision: Decision;
  onChanged: SectionProps['onChanged'];
  onReload: () => void;
}

/**
 * The decision form, shown only when the decision is open. Recording it is a step of its own: the
 * form is checked, then the person is told what will happen and confirms (or goes back to it).
 */
function DecideForm({
  decision,
  reconsideredKind,
  onChanged,
  onReload,
}: FormProps & { reconsideredKind: DecisionKind | null }) {
  const { t } = useTranslation();
  const form = useForm(['outcome', 'rationale', 'evidence']);
  const [outcome, setOutcome] = useState<DecisionOutcome | ''>('');
  const [rationale, setRationale] = useState('');
  const [evidence, setEvidence] = useState('');
  const [conflict, setConflict] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const kind = t(`decisions.kinds.${decision.kind}`);
  const record = (chosen: DecisionOutcome) =>
    action.run(async () => {
      setConflict(false);
      try {
        await casesApi.decide(decision.id, {
          outcome: chosen,
          rationale: rationale.trim(),
          evidence: evidence.trim(),
          version: decision.version,
        });
      } catch (error) {
        setConflict(isConflict(error));
        setConfirming(false);
        throw error;
      }
      await onChanged(t('decisions.decide.done', { kind }));
    });
  return (
    <section className="subsection" aria-labelledby={`decide-${decision.id}`}>
      <h4 id={`decide-${decision.id}`} className="subheading">
        {t('decisions.decide.heading', { kind })}
      </h4>
      {decision.earliestOn ? (
        <p className="hint">{t('decisions.decide.notBefore', { date: formatDate(decision.earliestOn) })}</p>
      ) : null}
      <Form
        form={form}
        submitLabel={form.busy ? t('decisions.decide.sending') : t('decisions.decide.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const fields: Record<string, string> = {};
              if (!outcome) fields.outcome = t('decisions.decide.outcomeRequired');
              if (!rationale.trim()) fields.rationale = t('decisions.decide.rationaleRequired');
              if (!evidence.trim()) fields.evidence = t('decisions.decide.evidenceRequired');
              return fields;
            },
            send: () => {
              // Nothing is saved yet: first the person is shown what will happen, and confirms.
              if (outcome) setConfirming(true);
              return Promise.resolve();
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <RadioGroup
          legend={t('decisions.decide.outcome')}
          name={`outcome-${decision.id}`}
          options={DECISION_OUTCOMES.map((value) => ({ value, label: outcomeText(t, decision, value) }))}
          value={outcome}
          onChange={setOutcome}
          error={form.errors.fields.outcome}
        />
        <TextAreaField
          label={t('decisions.decide.rationale')}
          hint={t('decisions.decide.rationaleHint')}
          name="rationale"
          rows={5}
          value={rationale}
          onChange={setRationale}
          error={form.errors.fields.rationale}
        />
        <WordingGuidance text={rationale} id="decide-rationale-wording" headingLevel={4} />
        <TextAreaField
          label={t('decisions.decide.evidence')}
          hint={t('decisions.decide.evidenceHint')}
          name="evidence"
          rows={3}
          value={evidence}
          onChange={setEvidence}
          error={form.errors.fields.evidence}
        />
        <WordingGuidance text={evidence} id="decide-evidence-wording" headingLevel={4} />
      </Form>
      {confirming && outcome ? (
        <ConfirmStep
          question={t('decisions.decide.confirm', { outcome: outcomeText(t, decision, outcome) })}
          detail={<WhatHappens decision={decision} outcome={outcome} reconsideredKind={reconsideredKind} />}
          busy={action.busy}
          onConfirm={() => void record(outcome)}
          onCancel={() => {
            setConfirming(false);
          }}
        />
      ) : null}
      <ActionError error={action.error} onReload={onReload} />
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}

/** What recording this outcome will do, in plain words, before it is done. */
function WhatHappens({
  decision,
  outcome,
  reconsideredKind,
}: {
  decision: Decision;
  outcome: DecisionOutcome;
  reconsideredKind: DecisionKind | null;
}) {
  const { t } = useTranslation();
  const follows = decisionThatFollows(decision.kind, outcome, reconsideredKind);
  const next =
    follows === 'conclusive_grounds'
      ? t('decisions.decide.then.conclusiveGrounds')
      : outcome === 'negative' && decision.kind !== 'reconsideration'
        ? t('decisions.decide.then.reconsiderable')
        : outcome === 'positive' && decision.kind === 'conclusive_grounds'
          ? t('decisions.decide.then.identified')
          : t('decisions.decide.then.final');
  return (
    <>
      {t('decisions.decide.then.recorded')} {next}
    </>
  );
}

/** A decision that cannot be recorded yet: the form is not shown, the day it opens is. */
function NotYetOpen({ decision }: { decision: Decision }) {
  const { t } = useTranslation();
  const kind = t(`decisions.kinds.${decision.kind}`);
  return (
    <section className="subsection not-yet-open" aria-labelledby={`decide-${decision.id}`}>
      <h4 id={`decide-${decision.id}`} className="subheading">
        {t('decisions.decide.notOpenHeading', { kind })}
      </h4>
      <p>
        {t('decisions.decide.notOpenText', {
          date: decision.earliestOn ? formatDate(decision.earliestOn) : '',
        })}
      </p>
    </section>
  );
}

/**
 * The evidence the decision is made on, beside the form: each referral's concern, the signs seen,
 * the child's own words and who referred, with a link to the referral in full.
 */
function EvidencePanel({
  caseId,
  decision,
  referrals,
}: {
  caseId: string;
  decision: Decision;
  referrals: Evidence;
}) {
  const { t } = useTranslation();
  const tax = CURRENT_TAXONOMY;
  const headingId = `evidence-${decision.id}`;
  return (
    <aside className="decide-evidence" aria-labelledby={headingId}>
      <h4 id={headingId} className="subheading">
        {t('decisions.evidencePanel.heading')}
      </h4>
      {referrals === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : referrals.length === 0 ? (
        <p>{t('cases.referrals.empty')}</p>
      ) : (
        referrals.map((referral) => {
          const referrer = referral.data.referrer;
          return (
            <div key={referral.id} className="evidence-referral">
              <p className="evidence-title">
                <strong>
                  {t('decisions.evidencePanel.referral', {
                    reference: referral.reference,
                    organisation: referral.referringOrganisation.name,
                  })}
                </strong>
              </p>
              <Facts
                rows={[
                  [t('decisions.evidencePanel.concernDate'), formatDate(referral.data.concern.date)],
                  [t('triage.referral.concernLevel'), t(`referrals.screen.levels.${referral.concernLevel}`)],
                  [
                    t('referrals.fields.manifestations'),
                    labelsOf(tax.manifestations, referral.data.manifestations),
                  ],
                  [
                    t('referrals.fields.indicators'),
                    referral.data.indicators.length
                      ? labelsOf(tax.indicators, referral.data.indicators)
                      : t('referrals.review.none'),
                  ],
                  [t('referrals.fields.contexts'), labelsOf(tax.contexts, referral.data.contexts)],
                  [
                    t('referrals.fields.narrative'),
                    <p className="narrative-preview">{referral.data.narrative}</p>,
                  ],
                  [t('referrals.fields.childViews'), referral.data.childViews ?? ''],
                  [
                    t('decisions.evidencePanel.referrer'),
                    [referrer.name, referrer.role].filter(Boolean).join(', '),
                  ],
                ]}
              />
              <p>
                <Link to={referralPath(caseId, referral.id)} className="link">
                  {t('cases.referrals.openAlone', { reference: referral.reference })}
                </Link>
              </p>
            </div>
          );
        })
      )}
    </aside>
  );
}

function PanelViewForm({ decision, onChanged, onReload }: FormProps) {
  const { t } = useTranslation();
  const form = useForm(['view', 'comment']);
  const [view, setView] = useState<DecisionOutcome | ''>('');
  const [comment, setComment] = useState('');
  const [conflict, setConflict] = useState(false);
  return (
    <section className="subsection" aria-labelledby={`view-${decision.id}`}>
      <h4 id={`view-${decision.id}`} className="subheading">
        {t('decisions.view.heading')}
      </h4>
      <Form
        form={form}
        submitLabel={t('decisions.view.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const fields: Record<string, string> = {};
              if (!view) fields.view = t('decisions.decide.outcomeRequired');
              if (!comment.trim()) fields.comment = t('decisions.view.commentRequired');
              return fields;
            },
            send: async () => {
              if (!view) return;
              await casesApi.recordView(decision.id, view, comment.trim());
              await onChanged(t('decisions.view.done'));
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <RadioGroup
          legend={t('decisions.view.view')}
          name={`view-${decision.id}`}
          options={DECISION_OUTCOMES.map((value) => ({ value, label: outcomeText(t, decision, value) }))}
          value={view}
          onChange={setView}
          error={form.errors.fields.view}
        />
        <TextAreaField
          label={t('decisions.view.comment')}
          name="comment"
          rows={4}
          value={comment}
          onChange={setComment}
          error={form.errors.fields.comment}
        />
        <WordingGuidance text={comment} id="panel-view-wording" headingLevel={4} />
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}

function AssignForm({ decision, detail, onChanged, onReload }: FormProps & { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const action = useAction();
  const [makers, setMakers] = useState<{ id: string; displayName: string }[]>(() =>
    detail.team.members.filter((member) => member.teamRole === 'decision_maker').map((member) => member.user),
  );
  useEffect(() => {
    let cancelled = false;
    casesApi.colleagues('decisions.make').then(
      ({ people }) => {
        if (!cancelled) setMakers(people);
      },
      () => {
        // The decision makers already on the team remain to choose from.
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);
  const [assignee, setAssignee] = useState(decision.assignee?.id ?? '');
  const others = makers.filter((person) => person.id !== user.id);
  const current = decision.assignee;
  const options = [
    { value: user.id, label: t('decisions.assign.me', { name: user.displayName }) },
    ...others.map((person) => ({ value: person.id, label: person.displayName })),
    ...(current && current.id !== user.id && !others.some((p) => p.id === current.id)
      ? [{ value: current.id, label: current.displayName }]
      : []),
  ];
  return (
    <section className="subsection" aria-labelledby={`assign-${decision.id}`}>
      <h4 id={`assign-${decision.id}`} className="subheading">
        {t('decisions.assign.heading')}
      </h4>
      <SelectField
        label={t('decisions.assign.to')}
        hint={t('decisions.assign.hint')}
        name="assignee"
        placeholder={t('decisions.assign.nobody')}
        options={options}
        value={assignee}
        onChange={setAssignee}
      />
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={action.busy || undefined}
          onClick={() =>
            void action.run(async () => {
              await casesApi.assign(decision.id, assignee || null, decision.version);
              await onChanged(
                assignee
                  ? t('decisions.assign.done', {
                      name: options.find((o) => o.value === assignee)?.label ?? '',
                    })
                  : t('decisions.assign.cleared'),
              );
            })
          }
        >
          {t('decisions.assign.submit')}
        </button>
      </div>
      <ActionError error={action.error} onReload={onReload} />
    </section>
  );
}

function PanelForm({ decision, detail, onChanged, onReload }: FormProps & { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const form = useForm(['memberIds']);
  const [conflict, setConflict] = useState(false);
  const [candidates, setCandidates] = useState<{ id: string; label: string }[]>(() =>
    detail.team.members.map((member) => ({
      id: member.user.id,
      label: `${member.user.displayName} (${member.organisation.name})`,
    })),
  );
  useEffect(() => {
    let cancelled = false;
    casesApi.teamCandidates(detail.id).then(
      ({ people: found }) => {
        if (!cancelled)
          setCandidates(found.map((p) => ({ id: p.id, label: `${p.displayName} (${p.organisation.name})` })));
      },
      () => {
        // The people already named on the team remain to choose from.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [detail.id]);
  const people = new Map<string, string>([[user.id, t('decisions.panel.you', { name: user.displayName })]]);
  for (const candidate of candidates) {
    if (!people.has(candidate.id)) people.set(candidate.id, candidate.label);
  }
  const [chosen, setChosen] = useState<string[]>(decision.panel.map((m) => m.user.id));
  return (
    <section className="subsection" aria-labelledby={`panel-${decision.id}`}>
      <h4 id={`panel-${decision.id}`} className="subheading">
        {t('decisions.panel.convene')}
      </h4>
      <p className="hint">{t('decisions.panel.conveneHint')}</p>
      <Form
        form={form}
        submitLabel={t('decisions.panel.conveneSubmit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: (): Record<string, string> =>
              chosen.length < 2 ? { memberIds: t('decisions.panel.atLeastTwo') } : {},
            send: async () => {
              await casesApi.convenePanel(decision.id, chosen, decision.version);
              await onChanged(t('decisions.panel.convened'));
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <CheckboxGroup
          legend={t('decisions.panel.members')}
          name="memberIds"
          options={[...people].map(([value, label]) => ({ value, label }))}
          values={chosen}
          onChange={setChosen}
          error={form.errors.fields.memberIds}
        />
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}

function ReconsiderForm({ decision, onChanged, onReload }: FormProps) {
  const { t } = useTranslation();
  const form = useForm(['grounds']);
  const [grounds, setGrounds] = useState('');
  const [conflict, setConflict] = useState(false);
  return (
    <section className="subsection" aria-labelledby={`reconsider-${decision.id}`}>
      <h4 id={`reconsider-${decision.id}`} className="subheading">
        {t('decisions.reconsider.heading')}
      </h4>
      <p className="hint">
        {t('decisions.reconsider.until', {
          date: formatDate(decision.reconsiderationOpenUntil ?? decision.dueOn),
        })}
      </p>
      <Form
        form={form}
        submitLabel={t('decisions.reconsider.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: (): Record<string, string> =>
              grounds.trim() ? {} : { grounds: t('decisions.reconsider.groundsRequired') },
            send: async () => {
              await casesApi.reconsider(decision.id, grounds.trim());
              await onChanged(t('decisions.reconsider.done'));
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <TextAreaField
          label={t('decisions.reconsider.grounds')}
          hint={t('decisions.reconsider.groundsHint')}
          name="grounds"
          rows={4}
          value={grounds}
          onChange={setGrounds}
          error={form.errors.fields.grounds}
        />
        <WordingGuidance text={grounds} id="reconsider-grounds-wording" headingLevel={4} />
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}
