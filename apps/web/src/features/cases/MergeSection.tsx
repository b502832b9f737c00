import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CaseDetail, CaseSummary } from '@tiaki/domain';
import { ActionError } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { invalidForm, noErrors } from '../../components/errors.ts';
import { Form, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { DataTable, RowButton } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { ageBandName } from '../triage/labels.ts';
import { casesApi } from './api.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

type Merge = CaseDetail['merges'][number];

/** The choice that reveals a box for typing a reference instead of picking from the list. */
const BY_REFERENCE = 'by-reference';
const REFERENCE = /^CASE-\d{4}-\d{6}$/;

/** The merge, if any, that this case was merged into and is still part of. */
export function mergedInto(detail: CaseDetail): Merge | null {
  return detail.merges.find((m) => m.mergedCase.id === detail.id && m.unmergedAt === null) ?? null;
}

/**
 * Two cases about the same child become one: the other case's referrals and child records join
 * this case, and the other case closes. Nothing is deleted, and each merge can be undone.
 */
export function MergeSection({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const manage = detail.permissions.manage && detail.access.via === 'case_team';
  const [undoing, setUndoing] = useState<Merge | null>(null);
  const merges = [...detail.merges].sort((a, b) => b.mergedAt.localeCompare(a.mergedAt));

  return (
    <section className="case-section" aria-labelledby="case-merges">
      <h2 id="case-merges" tabIndex={-1} className="section-heading">
        {t('cases.sections.merges')}
      </h2>
      <p>{t('cases.merge.lead')}</p>
      <DataTable
        id="case-merge-list"
        stack
        caption={t('cases.merge.caption', { count: merges.length })}
        columns={[
          t('cases.merge.columns.merged'),
          t('cases.merge.columns.kept'),
          t('cases.merge.columns.when'),
          t('cases.merge.columns.why'),
          t('cases.merge.columns.status'),
        ]}
        actionsColumn={manage ? t('cases.merge.columns.actions') : false}
        rows={merges}
        empty={t('cases.merge.empty')}
        renderRow={(merge) => {
          const rowId = `merge-${merge.id}`;
          return (
            <tr key={merge.id}>
              <td id={rowId} className="cell-name cell-nowrap">
                <CaseLink current={detail.id} target={merge.mergedCase} />
              </td>
              <td data-label={t('cases.merge.columns.kept')} className="cell-nowrap">
                <CaseLink current={detail.id} target={merge.keptCase} />
              </td>
              <td data-label={t('cases.merge.columns.when')} className="cell-nowrap">
                {formatDateTime(merge.mergedAt)}
                {merge.mergedBy ? (
                  <span className="cell-note">
                    {t('cases.merge.by', { name: merge.mergedBy.displayName })}
                  </span>
                ) : null}
              </td>
              <td data-label={t('cases.merge.columns.why')} className="cell-wide">
                {merge.reason}
              </td>
              <td data-label={t('cases.merge.columns.status')}>
                {merge.unmergedAt
                  ? t('cases.merge.undoneOn', { date: formatDateTime(merge.unmergedAt) })
                  : t('cases.merge.inEffect')}
              </td>
              {manage ? (
                <td>
                  {merge.unmergedAt ? null : (
                    <RowButton
                      describedBy={rowId}
                      onClick={() => {
                        setUndoing(merge);
                      }}
                    >
                      {t('cases.merge.undo')}
                    </RowButton>
                  )}
                </td>
              ) : null}
            </tr>
          );
        }}
      />
      {undoing ? (
        <UndoForm
          key={undoing.id}
          merge={undoing}
          onCancel={() => {
            setUndoing(null);
          }}
          onDone={async () => {
            setUndoing(null);
            await onChanged(
              t('cases.merge.undone', {
                merged: undoing.mergedCase.reference,
                kept: undoing.keptCase.reference,
              }),
            );
          }}
          onReload={onReload}
        />
      ) : null}
      {manage && detail.status === 'open' ? (
        // A fresh form (and list of cases) after each merge or undo.
        <MergeForm
          key={`${String(detail.version)}:${String(merges.filter((m) => m.unmergedAt).length)}`}
          detail={detail}
          onChanged={onChanged}
          onReload={onReload}
        />
      ) : null}
    </section>
  );
}

function CaseLink({ current, target }: { current: string; target: { id: string; reference: string } }) {
  const { t } = useTranslation();
  if (target.id === current) {
    return (
      <>
        {target.reference} <span className="cell-note">{t('cases.merge.thisCase')}</span>
      </>
    );
  }
  return (
    <Link to={`/cases/${encodeURIComponent(target.id)}`} className="link">
      {target.reference}
    </Link>
  );
}

function UndoForm({
  merge,
  onCancel,
  onDone,
  onReload,
}: {
  merge: Merge;
  onCancel: () => void;
  onDone: () => Promise<void>;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const form = useForm(['reason']);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <section className="panel" aria-labelledby="undo-merge-heading">
      <h3 id="undo-merge-heading" className="panel-heading">
        {t('cases.merge.undoHeading', { merged: merge.mergedCase.reference, kept: merge.keptCase.reference })}
      </h3>
      <p>{t('cases.merge.undoText', { merged: merge.mergedCase.reference })}</p>
      <Form
        form={form}
        submitLabel={form.busy ? t('cases.merge.undoing') : t('cases.merge.undoSubmit')}
        onCancel={onCancel}
        onSubmit={(event) =>
          form.submit(event, {
            check: (): Record<string, string> =>
              reason.trim() ? {} : { reason: t('cases.merge.undoReasonRequired') },
            send: async () => {
              setError(null);
              try {
                await casesApi.unmerge(merge.id, reason.trim());
              } catch (caught) {
                setError(caught);
                return;
              }
              await onDone();
            },
          })
        }
      >
        <TextAreaField
          label={t('cases.merge.undoReason')}
          name="reason"
          rows={3}
          value={reason}
          onChange={setReason}
          error={form.errors.fields.reason}
        />
      </Form>
      <ActionError error={error} onReload={onReload} />
    </section>
  );
}

function caseLabel(t: TFunction, item: CaseSummary): string {
  return t('cases.merge.option', {
    reference: item.reference,
    region: regionName(item.region),
    age: ageBandName(item.ageBand) ?? t('triage.notKnown'),
    opened: formatDate(item.openedAt),
  });
}

function MergeForm({ detail, onChanged, onReload }: Omit<SectionProps, 'detail'> & { detail: CaseDetail }) {
  const { t } = useTranslation();
  const form = useForm(['otherCase', 'reference', 'reason']);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [choice, setChoice] = useState('');
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [other, setOther] = useState<{ id: string; reference: string } | null>(null);
  const action = useAction();

  useEffect(() => {
    let cancelled = false;
    // The latest open cases to choose from; any other case can be named by its reference.
    casesApi.list({ status: 'open', pageSize: 100 }).then(
      (result) => {
        if (!cancelled) setCases(result.items.filter((c) => c.id !== detail.id));
      },
      () => {
        // Without the list, the other case can still be named by its reference.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [detail.id]);

  const openCases = cases.filter((c) => c.status === 'open');

  /** The other case, from the list or the typed reference; a message for the field when not found. */
  const resolve = (): { found: { id: string; reference: string } } | { problems: Record<string, string> } => {
    if (!choice) return { problems: { otherCase: t('cases.merge.chooseCase') } };
    if (choice !== BY_REFERENCE) {
      const picked = cases.find((c) => c.id === choice);
      return picked
        ? { found: { id: picked.id, reference: picked.reference } }
        : { problems: { otherCase: t('cases.merge.chooseCase') } };
    }
    const reference = typed.trim().toUpperCase();
    if (!REFERENCE.test(reference)) return { problems: { reference: t('cases.merge.referenceFormat') } };
    if (reference === detail.reference) return { problems: { reference: t('cases.merge.sameCase') } };
    const match = cases.find((c) => c.reference === reference);
    if (!match) return { problems: { reference: t('cases.merge.referenceUnknown', { reference }) } };
    if (match.status !== 'open')
      return { problems: { reference: t('cases.merge.referenceClosed', { reference }) } };
    return { found: { id: match.id, reference: match.reference } };
  };

  return (
    <section className="panel" aria-labelledby="merge-form-heading">
      <h3 id="merge-form-heading" className="panel-heading">
        {t('cases.merge.formHeading')}
      </h3>
      <p>{t('cases.merge.formLead', { reference: detail.reference })}</p>
      <Form
        form={form}
        submitLabel={t('cases.merge.submit')}
        onSubmit={(event) => {
          event.preventDefault();
          const problems: Record<string, string> = {};
          const result = resolve();
          if ('problems' in result) Object.assign(problems, result.problems);
          if (!reason.trim()) problems.reason = t('cases.merge.reasonRequired');
          if (Object.keys(problems).length || !('found' in result)) {
            form.setErrors(invalidForm(t, problems));
            return;
          }
          form.setErrors(noErrors);
          action.setError(null);
          setOther(result.found);
        }}
      >
        <SelectField
          label={t('cases.merge.otherCase')}
          hint={t('cases.merge.otherCaseHint')}
          name="otherCase"
          placeholder={t('forms.choose')}
          options={[
            ...openCases.map((item) => ({ value: item.id, label: caseLabel(t, item) })),
            { value: BY_REFERENCE, label: t('cases.merge.byReference') },
          ]}
          value={choice}
          onChange={(value) => {
            setChoice(value);
            setOther(null);
          }}
          error={form.errors.fields.otherCase}
        />
        {choice === BY_REFERENCE ? (
          <TextField
            label={t('cases.merge.reference')}
            hint={t('cases.merge.referenceHint')}
            name="reference"
            width="medium"
            spellCheck={false}
            value={typed}
            onChange={(value) => {
              setTyped(value);
              setOther(null);
            }}
            error={form.errors.fields.reference}
          />
        ) : null}
        <TextAreaField
          label={t('cases.merge.reason')}
          hint={t('cases.merge.reasonHint')}
          name="reason"
          rows={3}
          value={reason}
          onChange={setReason}
          error={form.errors.fields.reason}
        />
      </Form>
      {other ? (
        <ConfirmStep
          question={t('cases.merge.confirm', { other: other.reference, reference: detail.reference })}
          detail={t('cases.merge.confirmDetail', { other: other.reference })}
          busy={action.busy}
          onCancel={() => {
            setOther(null);
          }}
          onConfirm={() =>
            void action.run(async () => {
              await casesApi.merge(detail.id, {
                otherCaseId: other.id,
                reason: reason.trim(),
                version: detail.version,
              });
              setOther(null);
              await onChanged(
                t('cases.merge.merged', { other: other.reference, reference: detail.reference }),
              );
            })
          }
        />
      ) : null}
      <ActionError error={action.error} onReload={onReload} />
    </section>
  );
}
