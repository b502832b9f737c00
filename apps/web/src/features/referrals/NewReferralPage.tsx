import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type SubmitEvent,
} from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Draft } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { errorMessage } from '../../components/errors.ts';
import { Page } from '../../components/Page.tsx';
import { formatDate, formatDateTime, formatTime } from '../../i18n/format.ts';
import { regionName } from './labels.ts';
import { useSession } from '../auth/session.tsx';
import { AboutStep } from './AboutStep.tsx';
import { newUuid, referralsApi } from './api.ts';
import { ChildStep } from './ChildStep.tsx';
import {
  checkAll,
  checkStep,
  emptyForm,
  explain,
  fieldId,
  focusField,
  formFromContent,
  STEPS,
  stepOfPath,
  toInput,
  type FieldProblem,
  type ReferralForm,
} from './form.ts';
import { IndicatorsStep } from './IndicatorsStep.tsx';
import { NarrativeStep } from './NarrativeStep.tsx';
import { labelKeyOf, pathOrder } from './paths.ts';
import { Review } from './Review.tsx';
import { SharingStep } from './SharingStep.tsx';
import type { StepProps } from './step.ts';
import { useDraftSaver, type DraftRef } from './useDraftSaver.ts';
import { WhatStep } from './WhatStep.tsx';

const AUTOSAVE_MS = 2000;

/** What a draft stores: the form as it is (the same object while nothing changes). */
function draftContent(form: ReferralForm): Record<string, unknown> {
  return form as unknown as Record<string, unknown>;
}
const LAST_STEP = STEPS.length - 1;

const STEP_COMPONENTS = [AboutStep, ChildStep, WhatStep, IndicatorsStep, NarrativeStep, SharingStep] as const;

interface RouteState {
  /** Keeps the same form open when the address gains ?draft= after the first save. */
  sessionKey?: string;
}

interface Start {
  form: ReferralForm;
  step: number;
  draft: DraftRef | null;
  resumedAt: string | null;
}

/**
 * /referrals/new, and /referrals/new?draft=<id> to carry on with a saved draft. The form opened
 * here stays open while the address changes to name its new draft, so a reload opens the draft.
 */
export function NewReferralPage() {
  const location = useLocation();
  const [params] = useSearchParams();
  const sessionKey = (location.state as RouteState | null)?.sessionKey ?? location.key;
  return (
    <ReferralSession
      key={sessionKey}
      sessionKey={sessionKey}
      draftId={params.get('draft')}
      stepParam={params.get('step')}
    />
  );
}

/** The step named in the address (?step=child), or null. */
function stepFromParam(param: string | null): number | null {
  const index = param === null ? -1 : (STEPS as readonly string[]).indexOf(param);
  return index < 0 ? null : index;
}

/** The address of a step of this form: its draft (once saved) and the step, so Back and Forward work. */
function searchFor(draftId: string | undefined, step: number): string {
  const params = new URLSearchParams();
  if (draftId) params.set('draft', draftId);
  params.set('step', STEPS[step] ?? 'about');
  return `?${params.toString()}`;
}

type Loading =
  { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; start: Start };

function clampStep(step: number): number {
  return Math.min(Math.max(0, Math.trunc(step)), LAST_STEP);
}

function ReferralSession({
  sessionKey,
  draftId,
  stepParam,
}: {
  sessionKey: string;
  draftId: string | null;
  stepParam: string | null;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  // Only the draft named when the page opened is loaded; one this form creates is already here.
  const [openedWith] = useState(draftId);
  const [attempt, setAttempt] = useState(0);
  const { displayName, email } = user;
  const blank = useMemo(() => emptyForm({ name: displayName, email }), [displayName, email]);
  // Without a draft named, the person's unsent drafts are looked at first: one may be this concern.
  const [state, setState] = useState<Loading>({ status: 'loading' });
  const [missing, setMissing] = useState(false);
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [startNew, setStartNew] = useState(false);

  useEffect(() => {
    let cancelled = false;
    referralsApi.drafts().then(
      (result) => {
        if (cancelled) return;
        setDrafts(result.drafts);
        if (!openedWith) {
          setState({ status: 'ready', start: { form: blank, step: 0, draft: null, resumedAt: null } });
          return;
        }
        const found = result.drafts.find((d) => d.id === openedWith);
        if (!found) setMissing(true);
        setState({
          status: 'ready',
          start: found
            ? {
                form: formFromContent(found.content, blank),
                step: clampStep(found.step),
                draft: { id: found.id, version: found.version },
                resumedAt: found.updatedAt,
              }
            : { form: blank, step: 0, draft: null, resumedAt: null },
        });
      },
      (error: unknown) => {
        if (cancelled) return;
        // The list of drafts could not be read: a new form still opens.
        if (openedWith) setState({ status: 'error', error });
        else setState({ status: 'ready', start: { form: blank, step: 0, draft: null, resumedAt: null } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [openedWith, blank, attempt]);

  const onDraftCreated = useCallback(
    (id: string) => {
      // Name the new draft in this step's address, so a reload opens it at the same step.
      const params = new URLSearchParams(window.location.search);
      if (!window.location.pathname.endsWith('/referrals/new')) return;
      params.set('draft', id);
      void navigate(
        { search: `?${params.toString()}` },
        {
          replace: true,
          state: { sessionKey } satisfies RouteState,
        },
      );
    },
    [navigate, sessionKey],
  );
  const goToStep = useCallback(
    (step: number, draft: string | undefined) => {
      void navigate({ search: searchFor(draft, step) }, { state: { sessionKey } satisfies RouteState });
    },
    [navigate, sessionKey],
  );

  if (state.status !== 'ready') {
    return (
      <Page title={t('referrals.title')} transient={state.status === 'loading'}>
        {state.status === 'loading' ? (
          <p role="status" className="loading">
            {t('referrals.draft.loading')}
          </p>
        ) : (
          <div className="alert alert-error" role="alert">
            <p>{errorMessage(t, state.error)}</p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setState({ status: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              {t('actions.tryAgain')}
            </button>
          </div>
        )}
      </Page>
    );
  }

  const otherDrafts = (drafts ?? []).filter((d) => d.id !== state.start.draft?.id);
  if (!openedWith && !startNew && otherDrafts.length > 0) {
    return (
      <DraftChooser
        drafts={otherDrafts}
        onNew={() => {
          setStartNew(true);
        }}
      />
    );
  }
  return (
    <ReferralWizard
      start={state.start}
      stepParam={stepParam}
      onStep={goToStep}
      onDraftCreated={onDraftCreated}
      notice={
        missing ? (
          <div className="notice notice-warning" role="status">
            <p>{t('referrals.draft.notFound')}</p>
          </div>
        ) : state.start.resumedAt ? (
          <div className="notice" role="status">
            <p>{t('referrals.draft.resumed', { time: formatDateTime(state.start.resumedAt) })}</p>
          </div>
        ) : null
      }
    />
  );
}

/**
 * A short label for a draft that names no one: when the concern is from, where, and how far it got.
 * The list may be seen over a shoulder, so the child's name is left to the draft itself.
 */
function draftLabel(t: TFunction, draft: Draft): string {
  const content = draft.content;
  const concern =
    typeof content.concern === 'object' && content.concern !== null
      ? (content.concern as Record<string, unknown>)
      : {};
  const date = typeof concern.date === 'string' && concern.date ? formatDate(concern.date) : null;
  const region = typeof concern.region === 'string' && concern.region ? regionName(concern.region) : null;
  const step = STEPS[clampStep(draft.step)] ?? 'about';
  const parts = [
    date ? t('referrals.resume.concernOn', { date }) : t('referrals.resume.noDate'),
    region,
    t('referrals.resume.reached', { step: t(`referrals.steps.${step}`) }),
  ];
  return parts.filter((part) => part !== null).join(' · ');
}

/** "Record a concern" with drafts not yet sent: carry on with one of them, or start a new one. */
function DraftChooser({ drafts, onNew }: { drafts: Draft[]; onNew: () => void }) {
  const { t } = useTranslation();
  return (
    <Page title={t('referrals.resume.title')} lead={t('referrals.resume.lead')}>
      <ul className="item-list draft-choices">
        {drafts.map((draft) => {
          const labelId = `resume-${draft.id}`;
          return (
            <li key={draft.id} className="item">
              <p id={labelId}>
                <strong>{draftLabel(t, draft)}</strong>
                <span className="cell-note">
                  {t('referrals.resume.lastChanged', { time: formatDateTime(draft.updatedAt) })}
                </span>
              </p>
              <div className="actions">
                <Link
                  to={`/referrals/new?draft=${encodeURIComponent(draft.id)}`}
                  className="button"
                  aria-describedby={labelId}
                >
                  {t('referrals.resume.carryOn')}
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={onNew}>
          {t('referrals.resume.startNew')}
        </button>
        <Link to="/referrals/drafts" className="link">
          {t('referrals.draft.seeDrafts')}
        </Link>
      </div>
    </Page>
  );
}

interface WizardProps {
  start: Start;
  /** The step in the address; the draft's own step when the address names none. */
  stepParam: string | null;
  /** Opens a step as a new history entry, so Back and Forward move between steps. */
  onStep: (step: number, draftId: string | undefined) => void;
  onDraftCreated: (id: string) => void;
  notice: ReactNode;
}

function ReferralWizard({ start, stepParam, onStep, onDraftCreated, notice }: WizardProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState<ReferralForm>(start.form);
  const step = stepFromParam(stepParam) ?? start.step;
  const [changed, setChanged] = useState(0);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [tries, setTries] = useState(0);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const saver = useDraftSaver(start.draft, onDraftCreated);
  const { save } = saver;
  /** What is on the screen, and whether it has changed since it was last handed to the saver. */
  const latest = useRef({ form, step, unsaved: false });
  useLayoutEffect(() => {
    latest.current.form = form;
    latest.current.step = step;
  }, [form, step]);
  const saveNow = useCallback(
    (atStep: number, leavingPage = false) => {
      latest.current.unsaved = false;
      return save({ step: atStep, content: draftContent(latest.current.form) }, leavingPage);
    },
    [save],
  );
  const setStep = (next: number) => {
    if (next !== step) onStep(next, saver.draftId());
  };

  // Nothing typed is lost on leaving: the last changes are saved when the person goes to another
  // page of Tiaki, closes or hides the tab, or moves to another step (Back and Forward included).
  useEffect(() => {
    const flush = (leavingPage: boolean) => {
      if (latest.current.unsaved) void saveNow(latest.current.step, leavingPage);
    };
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush(true);
    };
    const onPageHide = () => {
      flush(true);
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      flush(false);
    };
  }, [saveNow]);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    // Back or Forward in the browser: save what was typed on the step just left, and go to the heading.
    moved.current = true;
    if (latest.current.unsaved) void saveNow(step);
  }, [step, saveNow]);

  const errors = useMemo(
    () => Object.fromEntries(problems.map((problem) => [problem.path, problem.message])),
    [problems],
  );

  const update = useCallback((change: (current: ReferralForm) => ReferralForm) => {
    setForm(change);
    latest.current.unsaved = true;
    setChanged((n) => n + 1);
  }, []);

  // Saves a couple of seconds after the person stops changing things.
  useEffect(() => {
    if (changed === 0) return;
    const timer = window.setTimeout(() => {
      if (latest.current.unsaved) void saveNow(latest.current.step);
    }, AUTOSAVE_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [changed, saveNow]);

  // After moving to another step, start reading at its heading.
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView({ block: 'start' });
  }, [step]);

  /** Shows the problems; `moveToFirst` also opens the step holding the first of them. */
  const show = (found: readonly FieldProblem[], moveToFirst = false) => {
    const explained = explain(t, found, form);
    const first = [...explained].sort((a, b) => pathOrder(a.path) - pathOrder(b.path))[0];
    if (moveToFirst && first && stepOfPath(first.path) !== step) {
      moved.current = true;
      setStep(stepOfPath(first.path));
    }
    setProblems(explained);
    setTries((n) => n + 1);
  };

  const goTo = (next: number, saveFirst: boolean) => {
    setProblems([]);
    setSubmitError(null);
    moved.current = true;
    if (saveFirst && latest.current.unsaved) void saveNow(next);
    setStep(next);
  };

  const next = () => {
    const found = checkStep(form, STEPS[step] ?? 'about');
    if (found.length) {
      show(found);
      return;
    }
    goTo(Math.min(step + 1, LAST_STEP), true);
  };

  const submit = async () => {
    if (submitting) return;
    const found = checkAll(form);
    if (found.length) {
      show(found, true);
      return;
    }
    const input = toInput(form);
    const body = JSON.stringify(input);
    // The same answers sent again (after a lost connection) keep their key, so the server
    // recognises the retry; changed answers are a new attempt with a new key.
    if (attempt.current?.body !== body) attempt.current = { body, key: newUuid() };
    setSubmitting(true);
    setSubmitError(null);
    setProblems([]);
    await saver.stop();
    try {
      const acknowledgement = await referralsApi.submit(input, attempt.current.key, saver.draftId());
      void navigate(`/referrals/${encodeURIComponent(acknowledgement.id)}/submitted`, {
        state: { acknowledgement },
      });
    } catch (error) {
      saver.resume();
      setSubmitting(false);
      if (error instanceof ApiRequestError && error.code === 'validation_failed' && error.fields.length) {
        setSubmitError(error);
        show(error.fields, true);
      } else {
        setSubmitError(error);
      }
    }
  };

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    if (step === LAST_STEP) void submit();
    else next();
  };

  const stepKey = STEPS[step] ?? 'about';
  const StepComponent = STEP_COMPONENTS[step] ?? AboutStep;
  const stepProps: StepProps = { form, update, errors };
  const status = saver.status;
  // "Saved" only while what is on the screen is what was saved.
  const upToDate = status.kind === 'saved' && status.body.content === draftContent(form);

  const inPageOrder = [...problems].sort((a, b) => pathOrder(a.path) - pathOrder(b.path));
  const summaryItems = inPageOrder.map((problem) => {
    const labelKey = labelKeyOf(problem.path);
    return {
      key: problem.path,
      text:
        labelKey && !problem.worded
          ? `${t(`referrals.fields.${labelKey}`)}: ${problem.message}`
          : problem.message,
      target: fieldId(problem.path),
      onActivate: () => {
        focusField(problem.path);
      },
    };
  });

  return (
    <Page title={t('referrals.title')} lead={t('referrals.lead')}>
      {notice}
      {step === 0 ? (
        <div className="notice notice-warning">
          <p>
            <strong>{t('referrals.immediateDanger')}</strong>
          </p>
        </div>
      ) : null}
      <div className="wizard">
        <nav className="step-nav" aria-label={t('referrals.stepsLabel')}>
          <ol className="step-nav-list">
            {STEPS.map((key, index) => (
              <li key={key}>
                <button
                  type="button"
                  className={index === step ? 'step-nav-item step-nav-current' : 'step-nav-item'}
                  aria-current={index === step ? 'step' : undefined}
                  onClick={() => {
                    if (index !== step) goTo(index, true);
                  }}
                >
                  <span className="step-nav-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  <span className="step-nav-title">
                    <span className="visually-hidden">
                      {t('referrals.progress', { current: index + 1, total: STEPS.length })}:{' '}
                    </span>
                    {t(`referrals.steps.${key}`)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <div className="wizard-main">
          <h2 ref={headingRef} tabIndex={-1} className="wizard-heading">
            <span className="wizard-progress">
              {t('referrals.progress', { current: step + 1, total: STEPS.length })}
            </span>
            {t(`referrals.steps.${stepKey}`)}
          </h2>
          <ErrorSummary
            title={t('referrals.errors.summaryTitle')}
            lead={submitError ? t('referrals.errors.fixBeforeSubmit') : t('referrals.errors.summaryLead')}
            items={summaryItems}
            attempt={tries}
          />
          <div role="alert" className="live-region">
            {submitError && problems.length === 0 ? (
              <div className="alert alert-error">
                <p className="alert-title">{t('referrals.errors.serverTitle')}</p>
                <p>{errorMessage(t, submitError)}</p>
              </div>
            ) : null}
          </div>
          <form className="form form-wide" noValidate onSubmit={onSubmit}>
            <StepComponent {...stepProps} />
            {step === LAST_STEP ? (
              <>
                <Review
                  form={form}
                  onChangeStep={(index) => {
                    goTo(index, false);
                  }}
                />
                <p>{t('referrals.review.submitNote')}</p>
              </>
            ) : null}
            <div className="actions wizard-actions">
              {step === LAST_STEP ? (
                <button type="submit" className="button" aria-disabled={submitting || undefined}>
                  {t('referrals.submit')}
                </button>
              ) : (
                <button type="submit" className="button">
                  {t('referrals.next')}
                </button>
              )}
              {step > 0 ? (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => {
                    goTo(step - 1, true);
                  }}
                >
                  {t('referrals.back')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  void saveNow(step);
                }}
              >
                {t('referrals.saveDraft')}
              </button>
            </div>
            <p role="status" className="draft-status">
              {submitting
                ? t('referrals.submitting')
                : status.kind === 'saving'
                  ? t('referrals.draft.saving')
                  : status.kind === 'saved' && upToDate
                    ? t('referrals.draft.saved', { time: formatTime(status.at) })
                    : ''}
            </p>
            {status.kind === 'error' ? (
              <div className="notice notice-warning" role="alert">
                <p>{t('referrals.draft.notSaved', { message: errorMessage(t, status.error) })}</p>
              </div>
            ) : null}
            {saver.conflict ? (
              <div className="notice" role="status">
                <p>{t('referrals.draft.conflict')}</p>
              </div>
            ) : null}
          </form>
        </div>
      </div>
    </Page>
  );
}
