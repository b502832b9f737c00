import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  NEED_TYPES,
  SERVICE_URGENCIES,
  type NeedType,
  type Service,
  type ServiceUrgency,
  type ShareableField,
} from '@tiaki/domain';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import {
  Choice,
  Form,
  OpenFormButton,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/forms.tsx';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';
import { DataTable } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { servicesApi } from '../services/api.ts';
import { ServiceSummary } from '../services/ServiceSummary.tsx';
import type { ChildConsulted } from './api.ts';
import type { SectionProps } from './section.ts';
import { SharingFields } from './TeamSection.tsx';

interface Found {
  needType: NeedType;
  services: Service[];
  noneAvailable: boolean;
}

/** Services: check what help is available for a need, refer the child, and follow each referral. */
export function ServicesSection({ detail, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const manage = detail.permissions.manage && detail.status === 'open' && detail.access.via === 'case_team';
  const checkForm = useForm(['needType']);
  const [needType, setNeedType] = useState<NeedType | ''>('');
  const [found, setFound] = useState<Found | null>(null);
  const [referring, setReferring] = useState<Service | null>(null);

  return (
    <section className="case-section" aria-labelledby="case-services">
      <h2 id="case-services" tabIndex={-1} className="section-heading">
        {t('cases.sections.services')}
      </h2>
      <DataTable
        id="case-service-referrals"
        stack
        caption={t('cases.services.caption', { count: detail.serviceReferrals.length })}
        columns={[
          t('cases.services.columns.reference'),
          t('cases.services.columns.service'),
          t('cases.services.columns.need'),
          t('cases.services.columns.status'),
          t('cases.services.columns.respondBy'),
        ]}
        rows={detail.serviceReferrals}
        empty={t('cases.services.none')}
        renderRow={(sr) => (
          <tr key={sr.id}>
            <td className="cell-name cell-nowrap">
              <Link to={`/service-referrals/${encodeURIComponent(sr.id)}`} className="link">
                {sr.reference ?? t('cases.services.open')}
              </Link>
            </td>
            <td data-label={t('cases.services.columns.service')}>
              {sr.service.name}
              <span className="cell-note">{sr.provider.name}</span>
            </td>
            <td data-label={t('cases.services.columns.need')}>{t(`services.needTypes.${sr.needType}`)}</td>
            <td data-label={t('cases.services.columns.status')}>
              <span className={`badge badge-sr-${sr.status}`}>
                {t(`serviceReferrals.statuses.${sr.status}`)}
              </span>
              {sr.overdue ? <span className="cell-note">{t('serviceReferrals.overdue')}</span> : null}
            </td>
            <td data-label={t('cases.services.columns.respondBy')} className="cell-nowrap">
              {formatDate(sr.respondBy)}
            </td>
          </tr>
        )}
      />

      {detail.unmetNeeds.length ? (
        <>
          <h3 className="subheading">{t('cases.services.unmetNeeds')}</h3>
          <ul className="list">
            {detail.unmetNeeds.map((need) => (
              <li key={need.id}>
                {t('cases.services.unmetNeed', {
                  need: t(`services.needTypes.${need.needType}`),
                  reason: t(`services.unmetReasons.${need.reason}`),
                  region: regionName(need.region),
                  time: formatDateTime(need.recordedAt, detail.region),
                })}
                {need.note ? <span className="cell-note">{need.note}</span> : null}
                {need.metAt ? (
                  <span className="cell-note">
                    {t('cases.services.met', { time: formatDateTime(need.metAt, detail.region) })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {manage ? (
        <>
          <h3 className="subheading">{t('cases.services.checkHeading')}</h3>
          <p>{t('cases.services.checkLead')}</p>
          <Form
            form={checkForm}
            submitLabel={checkForm.busy ? t('cases.services.checking') : t('cases.services.check')}
            onSubmit={(event) =>
              checkForm.submit(event, {
                check: (): Record<string, string> =>
                  needType ? {} : { needType: t('cases.services.needRequired') },
                send: async () => {
                  if (!needType) return;
                  setReferring(null);
                  const result = await servicesApi.checkNeeds(detail.id, needType);
                  setFound({ needType, ...result });
                },
              })
            }
          >
            <SelectField
              label={t('cases.services.need')}
              name="needType"
              placeholder={t('forms.choose')}
              options={NEED_TYPES.map((value) => ({ value, label: t(`services.needTypes.${value}`) }))}
              value={needType}
              onChange={(value) => {
                setNeedType(value as NeedType | '');
              }}
              error={checkForm.errors.fields.needType}
            />
          </Form>
          {found ? (
            <div className="found" role="region" aria-labelledby="found-heading">
              <h4 id="found-heading" className="subheading">
                {t('cases.services.found', {
                  count: found.services.length,
                  need: t(`services.needTypes.${found.needType}`),
                })}
              </h4>
              {found.noneAvailable ? (
                <div className="notice notice-warning">
                  <p>{t('cases.services.noneAvailable')}</p>
                </div>
              ) : null}
              <ul className="item-list">
                {found.services.map((service) => (
                  <li key={service.id} className="item">
                    <ServiceSummary service={service} headingLevel={5} />
                    <div className="actions">
                      <button
                        type="button"
                        className="button"
                        aria-describedby={`service-${service.id}`}
                        onClick={() => {
                          setReferring(service);
                        }}
                      >
                        {t('cases.services.refer')}
                      </button>
                    </div>
                    {referring?.id === service.id ? (
                      <ReferForm
                        caseId={detail.id}
                        service={service}
                        needType={found.needType}
                        onCancel={() => {
                          setReferring(null);
                        }}
                        onDone={async (message) => {
                          setReferring(null);
                          setFound(null);
                          await onChanged(message);
                        }}
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
              <RecordUnmetNeed
                caseId={detail.id}
                needType={found.needType}
                onDone={async (message) => {
                  setFound(null);
                  await onChanged(message);
                }}
              />
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/**
 * Looking is not recording: the caseworker says, in so many words, that no service could meet the
 * need. Only then does the unmet-need ledger (and statistics) count it.
 */
function RecordUnmetNeed({
  caseId,
  needType,
  onDone,
}: {
  caseId: string;
  needType: NeedType;
  onDone: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const form = useForm(['note', 'needType']);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const need = t(`services.needTypes.${needType}`);
  if (!open) {
    return (
      <OpenFormButton
        label={t('cases.services.recordUnmet')}
        onOpen={() => {
          setOpen(true);
        }}
      />
    );
  }
  return (
    <section className="panel" aria-labelledby={`unmet-${needType}`}>
      <h5 id={`unmet-${needType}`} className="panel-heading">
        {t('cases.services.recordUnmetHeading', { need })}
      </h5>
      <p>{t('cases.services.recordUnmetLead')}</p>
      <Form
        form={form}
        submitLabel={form.busy ? t('cases.services.recording') : t('cases.services.recordUnmetSubmit')}
        onCancel={() => {
          setOpen(false);
        }}
        onSubmit={(event) =>
          form.submit(event, {
            check: (): Record<string, string> =>
              note.trim() ? {} : { note: t('cases.services.unmetNoteRequired') },
            send: async () => {
              await servicesApi.recordUnmetNeed(caseId, { needType, note: note.trim() });
              await onDone(t('cases.services.unmetRecorded', { need }));
            },
          })
        }
      >
        <TextAreaField
          label={t('cases.services.unmetNote')}
          hint={t('cases.services.unmetNoteHint')}
          name="note"
          rows={3}
          value={note}
          onChange={setNote}
          error={form.errors.fields.note}
        />
        <WordingGuidance text={note} id={`unmet-${needType}-wording`} />
      </Form>
    </section>
  );
}

const REFER_FIELDS = [
  'sharedFields',
  'lawfulBasis',
  'purpose',
  'childConsulted',
  'childView',
  'needsSummary',
  'respondBy',
  'urgency',
  'needType',
  'serviceId',
] as const;

function ReferForm({
  caseId,
  service,
  needType,
  onCancel,
  onDone,
}: {
  caseId: string;
  service: Service;
  needType: NeedType;
  onCancel: () => void;
  onDone: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const form = useForm(REFER_FIELDS);
  const [lawfulBasis, setLawfulBasis] = useState('');
  const [purpose, setPurpose] = useState('');
  const [fields, setFields] = useState<ShareableField[]>([]);
  const [childConsulted, setChildConsulted] = useState<ChildConsulted | ''>('');
  const [childView, setChildView] = useState('');
  const [needsSummary, setNeedsSummary] = useState('');
  const [respondBy, setRespondBy] = useState('');
  const [urgency, setUrgency] = useState<ServiceUrgency>(
    needType === 'emergency_accommodation' || needType === 'crisis_response' ? 'urgent' : 'routine',
  );
  const [send, setSend] = useState(true);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const typed = purpose.trim() !== '' || needsSummary.trim() !== '' || childView.trim() !== '';

  return (
    <section className="panel" aria-labelledby={`refer-${service.id}`}>
      <h5 id={`refer-${service.id}`} className="panel-heading">
        {t('cases.services.referHeading', { service: service.name })}
      </h5>
      <p>{t('cases.services.referLead', { provider: service.provider.name })}</p>
      <Form
        form={form}
        submitLabel={
          form.busy
            ? t('cases.services.sending')
            : send
              ? t('cases.services.send')
              : t('cases.services.propose')
        }
        onCancel={() => {
          if (typed) setConfirmingCancel(true);
          else onCancel();
        }}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const problems: Record<string, string> = {};
              if (!lawfulBasis) problems.lawfulBasis = t('cases.sharing.lawfulBasisRequired');
              if (!purpose.trim()) problems.purpose = t('cases.sharing.purposeRequired');
              if (fields.length === 0) problems.sharedFields = t('cases.sharing.fieldsRequired');
              if (!childConsulted) problems.childConsulted = t('cases.sharing.consultedRequired');
              if (fields.includes('needs_summary') && !needsSummary.trim())
                problems.needsSummary = t('cases.services.needsSummaryRequired');
              return problems;
            },
            send: async () => {
              if (!childConsulted) return;
              const created = await servicesApi.refer(caseId, {
                serviceId: service.id,
                needType,
                sharedFields: fields,
                lawfulBasis,
                purpose: purpose.trim(),
                childConsulted,
                ...(childView.trim() ? { childView: childView.trim() } : {}),
                ...(needsSummary.trim() ? { needsSummary: needsSummary.trim() } : {}),
                ...(respondBy ? { respondBy } : {}),
                urgency,
                send,
              });
              await onDone(
                send
                  ? t('cases.services.sent', { service: service.name, date: formatDate(created.respondBy) })
                  : t('cases.services.proposed', { service: service.name }),
              );
            },
          })
        }
      >
        <SharingFields
          lawfulBasis={lawfulBasis}
          onLawfulBasis={setLawfulBasis}
          purpose={purpose}
          onPurpose={setPurpose}
          fields={fields}
          onFields={setFields}
          fieldsName="sharedFields"
          childConsulted={childConsulted}
          onChildConsulted={setChildConsulted}
          childView={childView}
          onChildView={setChildView}
          errors={form.errors.fields}
        />
        {fields.includes('needs_summary') ? (
          <>
            <TextAreaField
              label={t('cases.services.needsSummary')}
              hint={t('cases.services.needsSummaryHint')}
              name="needsSummary"
              rows={4}
              value={needsSummary}
              onChange={setNeedsSummary}
              error={form.errors.fields.needsSummary}
            />
            <WordingGuidance text={needsSummary} id={`refer-${service.id}-wording`} />
          </>
        ) : null}
        <RadioGroup
          legend={t('cases.services.urgency')}
          hint={t('cases.services.urgencyHint')}
          name={`urgency-${service.id}`}
          options={SERVICE_URGENCIES.map((value) => ({
            value,
            label: t(`serviceReferrals.urgencies.${value}`),
          }))}
          value={urgency}
          onChange={setUrgency}
          error={form.errors.fields.urgency}
        />
        <TextField
          type="date"
          width="medium"
          label={t('cases.services.respondBy')}
          hint={t('cases.services.respondByHint')}
          name="respondBy"
          optional
          value={respondBy}
          onChange={setRespondBy}
          error={form.errors.fields.respondBy}
        />
        <Choice
          id={`send-${service.id}`}
          type="checkbox"
          name="send"
          value="yes"
          label={t('cases.services.sendNow')}
          hint={t('cases.services.sendNowHint')}
          checked={send}
          invalid={false}
          onChange={setSend}
        />
      </Form>
      {confirmingCancel ? (
        <ConfirmStep
          question={t('cases.discard.question')}
          detail={t('cases.discard.detail')}
          onConfirm={onCancel}
          onCancel={() => {
            setConfirmingCancel(false);
          }}
        />
      ) : null}
    </section>
  );
}
