import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client.ts';
import type { FormErrors } from '../../components/errors.ts';
import { Form, TextAreaField, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { statisticsApi } from './api.ts';
import { isIsoDate } from './periods.ts';

/** The server's limit on a pasted or chosen series (seriesImportInput). */
const MAX_CSV_CHARACTERS = 2_000_000;

/** Success, announced politely; always in the page so screen readers notice the text appearing. */
function Saved({ message }: { message: string | null }) {
  return (
    <div role="status" className="live-region">
      {message ? (
        <div className="alert alert-success">
          <p>{message}</p>
        </div>
      ) : null}
    </div>
  );
}

function EventForm({ onSaved }: { onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const headingId = useId();
  const form = useForm(['name', 'startsOn', 'endsOn']);
  const [name, setName] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  const check = () => {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.name = t('statistics.trends.steward.event.nameRequired');
    if (!isIsoDate(startsOn)) fields.startsOn = t('statistics.filter.dateInvalid');
    if (!isIsoDate(endsOn)) fields.endsOn = t('statistics.filter.dateInvalid');
    else if (isIsoDate(startsOn) && endsOn < startsOn)
      fields.endsOn = t('statistics.trends.steward.event.endBeforeStart');
    return fields;
  };

  const send = async () => {
    setSaved(null);
    await statisticsApi.addEvent({ name: name.trim(), startsOn, endsOn });
    await onSaved();
    setSaved(t('statistics.trends.steward.event.saved', { name: name.trim() }));
    setName('');
    setStartsOn('');
    setEndsOn('');
  };

  return (
    <section className="steward-form" aria-labelledby={headingId}>
      <h3 id={headingId} className="subheading">
        {t('statistics.trends.steward.event.heading')}
      </h3>
      <p className="hint">{t('statistics.trends.steward.event.text')}</p>
      <Form
        form={form}
        submitLabel={t('statistics.trends.steward.event.submit')}
        onSubmit={(event) => form.submit(event, { check, send })}
      >
        <TextField
          label={t('statistics.trends.steward.event.name')}
          hint={t('statistics.trends.steward.event.nameHint')}
          name="name"
          maxLength={200}
          value={name}
          onChange={setName}
          error={form.errors.fields.name}
        />
        <TextField
          type="date"
          width="medium"
          label={t('statistics.trends.steward.event.startsOn')}
          name="startsOn"
          value={startsOn}
          onChange={setStartsOn}
          error={form.errors.fields.startsOn}
        />
        <TextField
          type="date"
          width="medium"
          label={t('statistics.trends.steward.event.endsOn')}
          name="endsOn"
          value={endsOn}
          onChange={setEndsOn}
          error={form.errors.fields.endsOn}
        />
      </Form>
      <Saved message={saved} />
    </section>
  );
}

function SeriesForm({ onSaved }: { onSaved: (series: string) => Promise<void> }) {
  const { t } = useTranslation();
  const headingId = useId();
  const fileId = useId();
  const form = useForm(['series', 'csv']);
  const [series, setSeries] = useState('');
  const [csv, setCsv] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  // A new file input after each import, so the last file's name is not left showing.
  const [fileInput, setFileInput] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);

  const check = () => {
    const fields: Record<string, string> = {};
    if (!series.trim()) fields.series = t('statistics.trends.steward.series.nameRequired');
    if (!csv.trim()) fields.csv = t('statistics.trends.steward.series.csvRequired');
    else if (csv.length > MAX_CSV_CHARACTERS) fields.csv = t('statistics.trends.steward.series.fileTooLarge');
    return fields;
  };

  const send = async () => {
    setSaved(null);
    const name = series.trim();
    const { points } = await statisticsApi.importSeries({ series: name, csv });
    await onSaved(name);
    setSaved(t('statistics.trends.steward.series.imported', { count: points, series: name }));
    setSeries('');
    setCsv('');
    setFileInput((n) => n + 1);
  };

  // The server names the line it could not read: show that against the box, and say nothing was stored.
  const failed = (error: unknown, found: FormErrors): FormErrors =>
    error instanceof ApiRequestError && (error.code === 'bad_series_line' || error.code === 'empty_series')
      ? {
          form: t('statistics.trends.steward.series.notImported'),
          other: [],
          fields: { ...found.fields, csv: error.message },
        }
      : found;

  // A chosen file is copied into the box, so what will be imported can be seen and corrected first.
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_CSV_CHARACTERS) {
      setFileError(t('statistics.trends.steward.series.fileTooLarge'));
      return;
    }
    file.text().then(setCsv, () => {
      setFileError(t('statistics.trends.steward.series.fileUnreadable'));
    });
  };

  const fileHintId = `${fileId}-hint`;
  const fileErrorId = `${fileId}-error`;
  return (
    <section className="steward-form" aria-labelledby={headingId}>
      <h3 id={headingId} className="subheading">
        {t('statistics.trends.steward.series.heading')}
      </h3>
      <p className="hint">{t('statistics.trends.steward.series.text')}</p>
      <Form
        form={form}
        submitLabel={t('statistics.trends.steward.series.submit')}
        onSubmit={(event) => form.submit(event, { check, send, failed })}
      >
        <TextField
          label={t('statistics.trends.steward.series.name')}
          hint={t('statistics.trends.steward.series.nameHint')}
          name="series"
          maxLength={100}
          value={series}
          onChange={setSeries}
          error={form.errors.fields.series}
        />
        <TextAreaField
          label={t('statistics.trends.steward.series.csv')}
          hint={t('statistics.trends.steward.series.csvHint')}
          name="csv"
          rows={6}
          value={csv}
          onChange={setCsv}
          error={form.errors.fields.csv}
        />
        <div className={fileError ? 'field field-invalid' : 'field'}>
          <label htmlFor={fileId} className="label">
            {t('statistics.trends.steward.series.file')}
          </label>
          <p id={fileHintId} className="hint">
            {t('statistics.trends.steward.series.fileHint')}
          </p>
          {fileError ? (
            <p id={fileErrorId} className="field-error">
              <span className="visually-hidden">{t('forms.errorPrefix')} </span>
              {fileError}
            </p>
          ) : null}
          <input
            key={fileInput}
            id={fileId}
            name="file"
            type="file"
            className="input-file"
            accept=".csv,text/csv"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${fileHintId} ${fileErrorId}` : fileHintId}
            onChange={onFile}
          />
        </div>
      </Form>
      <Saved message={saved} />
    </section>
  );
}

/** Data stewards: name events and import series from other sources, to show beside referrals. */
export function StewardTools({
  onEventSaved,
  onSeriesImported,
}: {
  onEventSaved: () => Promise<void>;
  onSeriesImported: (series: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="stat-section steward-tools" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {t('statistics.trends.steward.heading')}
      </h2>
      <p>{t('statistics.trends.steward.text')}</p>
      <EventForm onSaved={onEventSaved} />
      <SeriesForm onSaved={onSeriesImported} />
    </section>
  );
}
