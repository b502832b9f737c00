import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  charge as chargeSchema,
  CURRENT_TAXONOMY,
  findByCode,
  type Charge,
  type ChargeInput,
  type ChargeOutcome,
} from '@tiaki/domain';
import { api, listOf } from '../../api/client.ts';
import { ActionError } from '../../components/conflict.tsx';
import { Form, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useForm } from '../../components/useForm.ts';
import { useLoad } from '../../components/useLoad.ts';
import { formatDate } from '../../i18n/format.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

const chargesPath = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/charges`;

export const justiceApi = {
  /** The case's charges, note included (case team only): each read is audited. */
  list: (caseId: string) => api.get(chargesPath(caseId), listOf('charges', chargeSchema)),
  record: (caseId: string, body: ChargeInput) => api.post(chargesPath(caseId), chargeSchema, body),
  update: (caseId: string, chargeId: string, outcome: ChargeOutcome, outcomeOn: string, version: number) =>
    api.patch(`${chargesPath(caseId)}/${encodeURIComponent(chargeId)}`, chargeSchema, {
      outcome,
      ...(outcome === 'charged' ? {} : { outcomeOn }),
      version,
    }),
};

/** "Crimes Act 1961 s98D: Trafficking in persons". */
export function provisionName(code: string): string {
  const p = findByCode(CURRENT_TAXONOMY.lawProvisions, code);
  return p ? `${p.act} ${p.section}: ${p.label}` : code;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** One charge, with the form to record its outcome. */
function ChargeItem({
  caseId,
  charge,
  manage,
  onChanged,
  onReload,
}: {
  caseId: string;
  charge: Charge;
  manage: boolean;
  onChanged: (message: string) => Promise<void>;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [outcomeOn, setOutcomeOn] = useState(today());
  const form = findByCode(CURRENT_TAXONOMY.manifestations, charge.manifestation);
  return (
    <li className="item">
      <p id={`charge-${charge.id}`} className="item-text">
        {provisionName(charge.provision)}
      </p>
      <p className="meta">
        {t('cases.justice.chargeMeta', {
          form: form?.label ?? charge.manifestation,
          date: formatDate(charge.laidOn),
          outcome: t(`cases.justice.outcomes.${charge.outcome}`),
        })}
        {charge.outcomeOn ? ` · ${formatDate(charge.outcomeOn)}` : ''}
      </p>
      {charge.note ? <p className="item-text narrative-preview">{charge.note}</p> : null}
      {manage && charge.outcome === 'charged' ? (
        <div className="row-actions">
          <TextField
            type="date"
            width="medium"
            label={t('cases.justice.outcomeOn')}
            name={`outcomeOn-${charge.id}`}
            value={outcomeOn}
            onChange={setOutcomeOn}
          />
          {(['withdrawn', 'convicted', 'acquitted'] as const).map((outcome) => (
            <button
              key={outcome}
              type="button"
              className="button button-small button-secondary"
              aria-describedby={`charge-${charge.id}`}
              aria-disabled={action.busy || undefined}
              onClick={() =>
                void action.run(async () => {
                  await justiceApi.update(caseId, charge.id, outcome, outcomeOn, charge.version);
                  await onChanged(t(`cases.justice.marked.${outcome}`));
                })
              }
            >
              {t(`cases.justice.mark.${outcome}`)}
            </button>
          ))}
        </div>
      ) : null}
      <ActionError error={action.error} onReload={onReload} />
    </li>
  );
}

/** Justice outcomes: the charges laid against the people who exploited the child. */
export function JusticeSection({ detail, onReload }: SectionProps) {
  const { t } = useTranslation();
  const caseId = detail.id;
  const manage = detail.permissions.manage && detail.access.via === 'case_team';
  const load = useCallback(() => justiceApi.list(caseId).then((r) => r.charges), [caseId]);
  const { state, reload } = useLoad(load);
  const chargeForm = useForm(['provision', 'manifestation', 'laidOn', 'note']);
  const [provision, setProvision] = useState('');
  const [manifestation, setManifestation] = useState(detail.manifestations[0] ?? '');
  const [laidOn, setLaidOn] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const changed = async (text: string) => {
    await reload();
    setMessage(text);
  };

  return (
    <section className="case-section" aria-labelledby="case-justice">
      <h2 id="case-justice" tabIndex={-1} className="section-heading">
        {t('cases.sections.justice')}
      </h2>
      <p className="hint">{t('cases.justice.lead')}</p>
      <div role="status" className="live-region">
        {message ? <div className="alert alert-success">{message}</div> : null}
      </div>
      <LoadStatus state={state} onRetry={() => void reload()} />
      {state.status === 'ready' ? (
        <>
          {state.data.length === 0 ? <p>{t('cases.justice.none')}</p> : null}
          <ul className="item-list">
            {state.data.map((charge) => (
              <ChargeItem
                key={charge.id}
                caseId={caseId}
                charge={charge}
                manage={manage}
                onChanged={changed}
                onReload={() => {
                  onReload();
                  void reload();
                }}
              />
            ))}
          </ul>
        </>
      ) : null}
      {manage ? (
        <details className="details">
          <summary className="details-summary">{t('cases.justice.add')}</summary>
          <Form
            form={chargeForm}
            submitLabel={t('cases.justice.addSubmit')}
            onSubmit={(event) =>
              chargeForm.submit(event, {
                check: (): Record<string, string> => ({
                  ...(provision ? {} : { provision: t('cases.justice.provisionRequired') }),
                  ...(manifestation ? {} : { manifestation: t('cases.justice.formRequired') }),
                  ...(laidOn ? {} : { laidOn: t('cases.justice.laidOnRequired') }),
                }),
                send: async () => {
                  await justiceApi.record(caseId, {
                    provision,
                    manifestation,
                    laidOn,
                    ...(note.trim() ? { note: note.trim() } : {}),
                  });
                  setProvision('');
                  setLaidOn('');
                  setNote('');
                  await changed(t('cases.justice.added'));
                },
              })
            }
          >
            <SelectField
              label={t('cases.justice.provision')}
              hint={t('cases.justice.provisionHint')}
              name="provision"
              placeholder={t('cases.justice.choose')}
              value={provision}
              onChange={setProvision}
              options={CURRENT_TAXONOMY.lawProvisions.map((p) => ({
                value: p.code,
                label: `${p.act} ${p.section}: ${p.label}`,
              }))}
              error={chargeForm.errors.fields.provision}
            />
            <SelectField
              label={t('cases.justice.form')}
              name="manifestation"
              placeholder={t('cases.justice.choose')}
              value={manifestation}
              onChange={setManifestation}
              options={CURRENT_TAXONOMY.manifestations.map((m) => ({ value: m.code, label: m.label }))}
              error={chargeForm.errors.fields.manifestation}
            />
            <TextField
              type="date"
              width="medium"
              label={t('cases.justice.laidOn')}
              name="laidOn"
              value={laidOn}
              onChange={setLaidOn}
              error={chargeForm.errors.fields.laidOn}
            />
            <TextAreaField
              label={t('cases.justice.note')}
              hint={t('cases.justice.noteHint')}
              name="note"
              optional
              rows={2}
              value={note}
              onChange={setNote}
              error={chargeForm.errors.fields.note}
            />
          </Form>
        </details>
      ) : null}
    </section>
  );
}
