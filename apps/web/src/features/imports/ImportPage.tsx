import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.tsx';
import { Panel } from '../../components/Panel.tsx';
import { DataTable } from '../../components/tables.tsx';
import { Form, RadioGroup } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatNumber } from '../../i18n/format.ts';
import {
  IMPORT_MAX_BYTES,
  importContentType,
  importReferrals,
  type ImportProgress,
  type ImportReport,
} from './api.ts';

type Action = 'check' | 'all-or-nothing' | 'good-rows';
const ACTIONS: readonly Action[] = ['all-or-nothing', 'good-rows', 'check'];
const FIELDS = ['file'] as const;

/** Columns shown on the page; the full list is in docs/import.md. */
const MAIN_COLUMNS = [
  'source_id',
  'referrer_name',
  'concern_date',
  'region',
  'child_identified',
  'manifestations',
  'narrative',
  'immediate_risk',
  'lawful_basis',
];

interface Finished {
  report: ImportReport;
  dryRun: boolean;
  fileName: string;
}

export function ImportPage() {
  const { t } = useTranslation();
  const form = useForm(FIELDS);
  const { errors } = form;
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [action, setAction] = useState<Action>('all-or-nothing');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);

  const check = () => {
    const fields: Record<string, string> = {};
    if (!file) fields.file = t('imports.fileRequired');
    else if (!importContentType(file.name)) fields.file = t('imports.fileWrongType');
    else if (file.size > IMPORT_MAX_BYTES) fields.file = t('imports.fileTooLarge');
    return fields;
  };

  const send = async () => {
    if (!file) return;
    const contentType = importContentType(file.name);
    if (!contentType) return;
    const dryRun = action === 'check';
    setFinished(null);
    setProgress({ phase: 'validating', done: 0 });
    try {
      const report = await importReferrals(file, contentType, {
        mode: action === 'check' ? 'good-rows' : action,
        dryRun,
        onProgress: setProgress,
      });
      setFinished({ report, dryRun, fileName: file.name });
    } finally {
      setProgress(null);
    }
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const progressLabelId = `${id}-progress`;

  return (
    <Page title={t('imports.title')} lead={t('imports.lead')}>
      <div className="notice">
        <p>
          <strong>{t('imports.neverStores')}</strong>
        </p>
      </div>

      <details className="details">
        <summary className="details-summary">{t('imports.columnsHeading')}</summary>
        <p>{t('imports.columnsIntro')}</p>
        <ul className="list">
          {MAIN_COLUMNS.map((column) => (
            <li key={column}>
              <code className="code">{column}</code>
            </li>
          ))}
        </ul>
        <p>{t('imports.columnsDocs')}</p>
      </details>

      <Form
        form={form}
        submitLabel={action === 'check' ? t('imports.checkSubmit') : t('imports.importSubmit')}
        onSubmit={(event) => form.submit(event, { check, send })}
      >
        <div className={errors.fields.file ? 'field field-invalid' : 'field'}>
          <label htmlFor={id} className="label">
            {t('imports.fileLabel')}
          </label>
          <p id={hintId} className="hint">
            {t('imports.fileHint')}
          </p>
          {errors.fields.file ? (
            <p id={errorId} className="field-error">
              <span className="visually-hidden">{t('forms.errorPrefix')} </span>
              {errors.fields.file}
            </p>
          ) : null}
          <input
            id={id}
            name="file"
            type="file"
            className="input-file"
            accept=".csv,.jsonl,.ndjson"
            aria-invalid={errors.fields.file ? true : undefined}
            aria-describedby={errors.fields.file ? `${hintId} ${errorId}` : hintId}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setFinished(null);
            }}
          />
        </div>
        <RadioGroup
          legend={t('imports.actionLegend')}
          name="action"
          options={ACTIONS.map((value) => ({
            value,
            label: t(`imports.actions.${value}.label`),
            hint: t(`imports.actions.${value}.hint`),
          }))}
          value={action}
          onChange={setAction}
        />
      </Form>

      <div role="status" className="live-region">
        {progress ? (
          <div className="import-progress">
            <p id={progressLabelId}>
              {progress.phase === 'validating'
                ? t('imports.progress.validating', { done: formatNumber(progress.done) })
                : t('imports.progress.importing', { done: formatNumber(progress.done) })}
            </p>
            <progress className="progress" aria-labelledby={progressLabelId} />
          </div>
        ) : null}
      </div>

      {finished ? <ImportResult finished={finished} /> : null}
    </Page>
  );
}

function ImportResult({ finished: { report, dryRun, fileName } }: { finished: Finished }) {
  const { t } = useTranslation();
  const heading = report.committed
    ? t('imports.result.imported', { count: report.imported })
    : dryRun
      ? t('imports.result.checked')
      : t('imports.result.nothing');
  const problems = report.invalid.flatMap((row) =>
    row.problems.map((problem, index) => ({ key: `${row.line}-${index}`, line: row.line, ...problem })),
  );
  const good = report.committed || (dryRun && report.invalid.length === 0);

  return (
    <Panel heading={heading} important={!good}>
      <p className="meta">{t('imports.result.file', { name: fileName })}</p>
      <div className={good ? 'alert alert-success' : 'alert alert-error'}>
        <p>{report.message}</p>
      </div>
      <dl className="counts">
        <dt>{t('imports.result.rows')}</dt>
        <dd>{formatNumber(report.rows)}</dd>
        <dt>{t('imports.result.valid')}</dt>
        <dd>{formatNumber(report.valid)}</dd>
        <dt>{t('imports.result.invalid')}</dt>
        <dd>{formatNumber(report.invalid.length)}</dd>
        <dt>{t('imports.result.importedCount')}</dt>
        <dd>{formatNumber(report.imported)}</dd>
        {report.alreadyImported ? (
          <>
            <dt>{t('imports.result.alreadyImported')}</dt>
            <dd>{formatNumber(report.alreadyImported)}</dd>
          </>
        ) : null}
      </dl>
      {problems.length ? (
        <>
          <h3 className="subheading">{t('imports.problems.heading')}</h3>
          <p>{t('imports.problems.intro')}</p>
          <DataTable
            id="import-problems"
            caption={t('imports.problems.caption', { count: report.invalid.length })}
            columns={[t('imports.problems.line'), t('imports.problems.field'), t('imports.problems.problem')]}
            rows={problems}
            empty={null}
            compact
            renderRow={(problem) => (
              <tr key={problem.key}>
                <td className="cell-nowrap">{formatNumber(problem.line)}</td>
                <td className="cell-break">
                  <code className="code">{problem.path}</code>
                </td>
                <td className="cell-wide">{problem.message}</td>
              </tr>
            )}
          />
        </>
      ) : null}
    </Panel>
  );
}
