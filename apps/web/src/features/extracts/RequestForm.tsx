import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EXTRACT_VARIABLES, type ExtractVariable } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { ErrorSummary, type SummaryItem } from '../../components/ErrorSummary.tsx';
import { noErrors, type FormErrors } from '../../components/errors.ts';
import { CheckboxGroup, Form, GroupFrame, TextAreaField, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { isIsoDate } from '../statistics/periods.ts';
import { extractsApi } from './api.ts';
import { isMaoriData, variableName } from './labels.ts';

const FIELDS = [
  'purpose',
  'variables',
  'from',
  'to',
  'committee',
  'reference',
  'approvedOn',
  'needsUntil',
] as const;
type Field = (typeof FIELDS)[number];
const ETHICS_FIELDS: readonly string[] = ['committee', 'reference', 'approvedOn'];
const PURPOSE_MAX = 2000;
const COMMITTEE_MAX = 200;
const REFERENCE_MAX = 100;

const fieldId = (field: Field) => `extract-${field}`;

/** The server names ethics fields "ethicsApproval.reference"; the form shows them as fields of their own. */
function fieldOf(path: string): string {
  const [head = '', sub = ''] = path.split('.');
  if (head !== 'ethicsApproval') return head;
  return ETHICS_FIELDS.includes(sub) ? sub : 'committee';
}

function serverErrors(error: unknown, found: FormErrors): FormErrors {
  if (!(error instanceof ApiRequestError) || error.fields.length === 0) return found;
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const problem of error.fields) {
    const name = fieldOf(problem.path);
    if ((FIELDS as readonly string[]).includes(name)) fields[name] ??= problem.message;
    else other.push(problem.message);
  }
  return { ...found, fields, other };
}

/** Puts the cursor in a field named in the error summary (the first checkbox of a group). */
function focusField(id: string): void {
  const element = document.getElementById(id);
  const control = element?.matches('input, textarea, select')
    ? element
    : element?.querySelector<HTMLElement>('input, textarea, select');
  control?.focus();
}

/** Asking for a research extract: purpose, the variables wanted, the period and the ethics approval. */
export function RequestForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm(FIELDS);
  const [tries, setTries] = useState(0);
  const [purpose, setPurpose] = useState('');
  const [variables, setVariables] = useState<ExtractVariable[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [committee, setCommittee] = useState('');
  const [reference, setReference] = useState('');
  const [approvedOn, setApprovedOn] = useState('');
  const [needsUntil, setNeedsUntil] = useState('');
  const errors = form.errors.fields as Partial<Record<Field, string>>;

  const check = () => {
    const problems: Partial<Record<Field, string>> = {};
    const text = (field: Field, value: string, max: number, missing: string) => {
      if (!value.trim()) problems[field] = missing;
      else if (value.trim().length > max) problems[field] = t('forms.tooLong', { count: max });
    };
    text('purpose', purpose, PURPOSE_MAX, t('extracts.request.errors.purpose'));
    if (variables.length === 0) problems.variables = t('extracts.request.errors.variables');
    if (!isIsoDate(from)) problems.from = t('extracts.request.errors.from');
    if (!isIsoDate(to)) problems.to = t('extracts.request.errors.to');
    else if (isIsoDate(from) && to < from) problems.to = t('extracts.request.errors.toBeforeFrom');
    text('committee', committee, COMMITTEE_MAX, t('extracts.request.errors.committee'));
    text('reference', reference, REFERENCE_MAX, t('extracts.request.errors.reference'));
    if (!isIsoDate(approvedOn)) problems.approvedOn = t('extracts.request.errors.approvedOn');
    if (needsUntil && !isIsoDate(needsUntil)) problems.needsUntil = t('extracts.request.errors.needsUntil');
    return problems as Record<string, string>;
  };

  const fieldItems: SummaryItem[] = FIELDS.flatMap((field) => {
    const message = errors[field];
    if (!message) return [];
    const target = fieldId(field);
    return [
      {
        key: field,
        text: message,
        target,
        onActivate: () => {
          focusField(target);
        },
      },
    ];
  });
  // Failures that belong to no field (such as "not allowed"): the server's own words.
  const otherItems: SummaryItem[] = [
    ...(fieldItems.length === 0 && form.errors.form ? [form.errors.form] : []),
    ...form.errors.other,
  ].map((message) => ({ key: message, text: message }));

  return (
    <>
      <ErrorSummary
        title={t('extracts.request.errors.title')}
        items={[...fieldItems, ...otherItems]}
        attempt={tries}
      />
      {/* The summary above shows every problem, so the form's own message area stays empty. */}
      <Form
        form={{ ...form, errors: noErrors }}
        className="form-wide"
        submitLabel={form.busy ? t('extracts.request.sending') : t('extracts.request.submit')}
        onCancel={onCancel}
        onSubmit={(event) => {
          setTries((n) => n + 1);
          return form.submit(event, {
            check,
            send: async () => {
              const { id } = await extractsApi.request({
                purpose: purpose.trim(),
                variables,
                from,
                to,
                ethicsApproval: {
                  committee: committee.trim(),
                  reference: reference.trim(),
                  approvedOn,
                },
                ...(needsUntil ? { needsUntil } : {}),
              });
              const maori = variables.some(isMaoriData);
              void navigate(`/extracts/${encodeURIComponent(id)}`, {
                state: {
                  message: maori ? t('extracts.request.sentBoth') : t('extracts.request.sentSteward'),
                },
              });
            },
            failed: serverErrors,
          });
        }}
      >
        <TextAreaField
          id={fieldId('purpose')}
          label={t('extracts.request.purpose')}
          hint={t('extracts.request.purposeHint')}
          name="purpose"
          rows={5}
          value={purpose}
          onChange={setPurpose}
          error={errors.purpose}
        />
        <CheckboxGroup
          id={fieldId('variables')}
          legend={t('extracts.request.variables')}
          hint={
            <>
              {t('extracts.request.variablesHint')} <strong>{t('extracts.request.maoriHint')}</strong>
            </>
          }
          name="variables"
          columns
          options={EXTRACT_VARIABLES.map((value) => ({
            value,
            label: variableName(t, value),
            hint: (
              <>
                {t(`extracts.variables.${value}.hint`)}
                {isMaoriData(value) ? <strong> {t('extracts.request.needsMaori')}</strong> : null}
              </>
            ),
          }))}
          values={variables}
          onChange={setVariables}
          error={errors.variables}
        />
        <GroupFrame
          id="extract-period"
          legend={t('extracts.request.period')}
          hint={t('extracts.request.periodHint')}
        >
          <div className="filter-fields">
            <TextField
              id={fieldId('from')}
              label={t('extracts.request.from')}
              name="from"
              type="date"
              value={from}
              onChange={setFrom}
              error={errors.from}
            />
            <TextField
              id={fieldId('to')}
              label={t('extracts.request.to')}
              name="to"
              type="date"
              value={to}
              onChange={setTo}
              error={errors.to}
            />
          </div>
        </GroupFrame>
        <GroupFrame
          id="extract-ethics"
          legend={t('extracts.request.ethics')}
          hint={t('extracts.request.ethicsHint')}
        >
          <TextField
            id={fieldId('committee')}
            label={t('extracts.request.committee')}
            name="committee"
            value={committee}
            onChange={setCommittee}
            error={errors.committee}
          />
          <TextField
            id={fieldId('reference')}
            label={t('extracts.request.reference')}
            hint={t('extracts.request.referenceHint')}
            name="reference"
            width="medium"
            spellCheck={false}
            value={reference}
            onChange={setReference}
            error={errors.reference}
          />
          <TextField
            id={fieldId('approvedOn')}
            label={t('extracts.request.approvedOn')}
            name="approvedOn"
            type="date"
            value={approvedOn}
            onChange={setApprovedOn}
            error={errors.approvedOn}
          />
        </GroupFrame>
        <TextField
          id={fieldId('needsUntil')}
          label={t('extracts.request.needsUntil')}
          hint={t('extracts.request.needsUntilHint')}
          name="needsUntil"
          type="date"
          optional
          value={needsUntil}
          onChange={setNeedsUntil}
          error={errors.needsUntil}
        />
      </Form>
    </>
  );
}
