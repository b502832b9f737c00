import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ASSIGNABLE_TEAM_ROLES,
  CHILD_CONSULTED,
  CURRENT_TAXONOMY,
  SHAREABLE_FIELDS,
  type AssignableTeamRole,
  type ShareableField,
} from '@tiaki/domain';
import { ActionError, isConflict, ReloadOffer } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import {
  CheckboxGroup,
  Form,
  OpenFormButton,
  RadioGroup,
  SelectField,
  TextAreaField,
} from '../../components/forms.tsx';
import { DataTable, Tag } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { labelOf } from '../referrals/labels.ts';
import { organisationsApi } from '../organisations/api.ts';
import { casesApi, type ChildConsulted } from './api.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

/** Lawful bases as choices: the name, then the Act and section. */
export const lawfulBasisOptions = CURRENT_TAXONOMY.lawfulBases.map((basis) => ({
  value: basis.code,
  label: `${basis.label} (${basis.act} ${basis.section})`,
}));

export function lawfulBasisName(code: string): string {
  return labelOf(CURRENT_TAXONOMY.lawfulBases, code);
}

/** The case team: its organisations (each added with a lawful basis), its people, and what was shared. */
export function TeamSection({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useAction();
  const manage = detail.permissions.manage && detail.status === 'open' && detail.access.via === 'case_team';

  return (
    <section className="case-section" aria-labelledby="case-team">
      <h2 id="case-team" tabIndex={-1} className="section-heading">
        {t('cases.sections.team')}
      </h2>
      <h3 className="subheading">{t('cases.team.organisations')}</h3>
      <ul className="list team-list">
        {detail.team.organisations.map((entry) => (
          <li key={entry.organisation.id}>
            <span id={`team-org-${entry.organisation.id}`}>{entry.organisation.name}</span>
            {entry.isOwner ? <Tag>{t('cases.team.owner')}</Tag> : null}
            <span className="cell-note">{t('cases.team.addedOn', { date: formatDate(entry.addedAt) })}</span>
            {manage && !entry.isOwner ? (
              <button
                type="button"
                className="button button-small button-secondary"
                aria-describedby={`team-org-${entry.organisation.id}`}
                onClick={() => {
                  setRemoving(entry.organisation.id);
                }}
              >
                {t('actions.remove')}
              </button>
            ) : null}
            {removing === entry.organisation.id ? (
              <ConfirmStep
                danger
                question={t('cases.team.confirmRemove', { name: entry.organisation.name })}
                detail={t('cases.team.confirmRemoveDetail')}
                busy={remove.busy}
                onCancel={() => {
                  setRemoving(null);
                }}
                onConfirm={() =>
                  void remove.run(async () => {
                    await casesApi.removeOrganisation(detail.id, entry.organisation.id);
                    setRemoving(null);
                    await onChanged(t('cases.team.removed', { name: entry.organisation.name }));
                  })
                }
              />
            ) : null}
          </li>
        ))}
      </ul>
      <ActionError error={remove.error} onReload={onReload} />

      <h3 className="subheading">{t('cases.team.people')}</h3>
      {detail.team.members.length === 0 ? (
        <p>{t('cases.team.noPeople')}</p>
      ) : (
        <ul className="list">
          {detail.team.members.map((member) => (
            <li key={member.user.id}>
              {t('cases.team.person', {
                name: member.user.displayName,
                organisation: member.organisation.name,
                role: t(`cases.team.roles.${member.teamRole}`),
              })}
            </li>
          ))}
        </ul>
      )}

      {manage ? <AddMemberForm detail={detail} onChanged={onChanged} onReload={onReload} /> : null}

      {manage ? (
        adding ? (
          <AddOrganisationForm
            detail={detail}
            onDone={async (message) => {
              setAdding(false);
              await onChanged(message);
            }}
            onReload={onReload}
            onCancel={() => {
              setAdding(false);
            }}
          />
        ) : (
          <OpenFormButton
            label={t('cases.team.add')}
            onOpen={() => {
              setAdding(true);
            }}
          />
        )
      ) : null}

      <h3 className="subheading">{t('cases.team.disclosures')}</h3>
      <DataTable
        id="case-disclosures"
        stack
        caption={t('cases.team.disclosuresCaption', { count: detail.disclosures.length })}
        columns={[
          t('cases.team.columns.to'),
          t('cases.team.columns.basis'),
          t('cases.team.columns.purpose'),
          t('cases.team.columns.fields'),
          t('cases.team.columns.consulted'),
          t('cases.team.columns.when'),
        ]}
        rows={detail.disclosures}
        empty={t('cases.team.noDisclosures')}
        renderRow={(entry) => (
          <tr key={entry.id}>
            <td className="cell-name">{entry.to.name}</td>
            <td data-label={t('cases.team.columns.basis')} className="cell-wide">
              {lawfulBasisName(entry.lawfulBasis)}
              {entry.notForOffenceInvestigation ? (
                <span className="cell-note">{t('cases.team.notForInvestigation')}</span>
              ) : null}
            </td>
            <td data-label={t('cases.team.columns.purpose')} className="cell-wide">
              {entry.purpose}
            </td>
            <td data-label={t('cases.team.columns.fields')} className="cell-wide">
              {entry.fields.map((field) => t(`cases.fieldGroups.${field as ShareableField}`)).join('; ')}
            </td>
            <td data-label={t('cases.team.columns.consulted')}>
              {t(`cases.consulted.${entry.childConsulted}`)}
              {entry.childView ? <span className="cell-note">{entry.childView}</span> : null}
            </td>
            <td data-label={t('cases.team.columns.when')} className="cell-nowrap">
              {formatDateTime(entry.madeAt, detail.region)}
              {entry.madeBy ? <span className="cell-note">{entry.madeBy.displayName}</span> : null}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function AddMemberForm({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const form = useForm(['userId', 'teamRole']);
  const [open, setOpen] = useState(false);
  const [people, setPeople] = useState<{ id: string; label: string }[] | null>(null);
  const [userId, setUserId] = useState('');
  const [teamRole, setTeamRole] = useState<AssignableTeamRole | ''>('');
  const [conflict, setConflict] = useState(false);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    casesApi.teamCandidates(detail.id).then(
      ({ people: found }) => {
        if (cancelled) return;
        const members = new Set(detail.team.members.map((m) => m.user.id));
        setPeople(
          found
            .filter((p) => !members.has(p.id))
            .map((p) => ({ id: p.id, label: `${p.displayName} (${p.organisation.name})` })),
        );
      },
      () => {
        if (!cancelled) setPeople([]);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [open, detail]);

  if (!open) {
    return (
      <OpenFormButton
        label={t('cases.team.addPerson')}
        onOpen={() => {
          setOpen(true);
        }}
      />
    );
  }
  return (
    <section className="panel" aria-labelledby="add-member-heading">
      <h3 id="add-member-heading" className="panel-heading">
        {t('cases.team.addPerson')}
      </h3>
      {people === null ? (
        <p role="status" className="loading">
          {t('app.loading')}
        </p>
      ) : (
        <Form
          form={form}
          submitLabel={form.busy ? t('cases.team.adding') : t('cases.team.addPersonSubmit')}
          onCancel={() => {
            setOpen(false);
          }}
          onSubmit={(event) =>
            form.submit(event, {
              check: () => {
                const problems: Record<string, string> = {};
                if (!userId) problems.userId = t('cases.team.personRequired');
                if (!teamRole) problems.teamRole = t('cases.team.roleRequired');
                return problems;
              },
              send: async () => {
                if (!teamRole) return;
                setConflict(false);
                await casesApi.addMember(detail.id, userId, teamRole);
                setOpen(false);
                await onChanged(
                  t('cases.team.personAdded', { name: people.find((p) => p.id === userId)?.label ?? '' }),
                );
              },
              failed: (error, found) => {
                setConflict(isConflict(error));
                return found;
              },
            })
          }
        >
          <SelectField
            label={t('cases.team.personLabel')}
            hint={t('cases.team.personHint')}
            name="userId"
            placeholder={t('forms.choose')}
            options={people.map((p) => ({ value: p.id, label: p.label }))}
            value={userId}
            onChange={setUserId}
            error={form.errors.fields.userId}
          />
          <SelectField
            label={t('cases.team.teamRole')}
            name="teamRole"
            placeholder={t('forms.choose')}
            options={ASSIGNABLE_TEAM_ROLES.map((value) => ({
              value,
              label: t(`cases.team.roleNames.${value}`),
            }))}
            value={teamRole}
            onChange={(value) => {
              setTeamRole(value as AssignableTeamRole | '');
            }}
            error={form.errors.fields.teamRole}
          />
        </Form>
      )}
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
    </section>
  );
}

const ADD_FIELDS = [
  'organisationId',
  'lawfulBasis',
  'purpose',
  'fields',
  'childConsulted',
  'childView',
] as const;

function AddOrganisationForm({
  detail,
  onDone,
  onReload,
  onCancel,
}: {
  detail: SectionProps['detail'];
  onDone: (message: string) => Promise<void>;
  onReload: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const form = useForm(ADD_FIELDS);
  const [directory, setDirectory] = useState<{ id: string; name: string }[]>([]);
  const [organisationId, setOrganisationId] = useState('');
  const [lawfulBasis, setLawfulBasis] = useState('');
  const [purpose, setPurpose] = useState('');
  const [fields, setFields] = useState<ShareableField[]>([]);
  const [childConsulted, setChildConsulted] = useState<ChildConsulted | ''>('');
  const [childView, setChildView] = useState('');
  const [conflict, setConflict] = useState(false);

  useEffect(() => {
    let cancelled = false;
    organisationsApi.directory().then(
      ({ organisations }) => {
        if (!cancelled) setDirectory(organisations);
      },
      () => {
        // Without the directory, the organisations this case already knows remain to choose from.
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const choices = useMemo(() => {
    const onTeam = new Set(detail.team.organisations.map((o) => o.organisation.id));
    const known = new Map<string, string>();
    for (const referral of detail.referrals) known.set(referral.organisation.id, referral.organisation.name);
    for (const entry of detail.disclosures) known.set(entry.to.id, entry.to.name);
    for (const sr of detail.serviceReferrals) known.set(sr.provider.id, sr.provider.name);
    for (const organisation of directory) known.set(organisation.id, organisation.name);
    return [...known]
      .filter(([id]) => !onTeam.has(id))
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en-NZ'));
  }, [detail, directory]);

  const name = choices.find((c) => c.value === organisationId)?.label ?? '';
  const typed = purpose.trim() !== '' || childView.trim() !== '';
  const [confirmingCancel, setConfirmingCancel] = useState(false);

  return (
    <section className="panel" aria-labelledby="add-organisation-heading">
      <h3 id="add-organisation-heading" className="panel-heading">
        {t('cases.team.add')}
      </h3>
      <p>{t('cases.team.addLead')}</p>
      <Form
        form={form}
        submitLabel={form.busy ? t('cases.team.adding') : t('cases.team.addSubmit')}
        onCancel={() => {
          if (typed) setConfirmingCancel(true);
          else onCancel();
        }}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const problems: Record<string, string> = {};
              if (!organisationId) problems.organisationId = t('cases.team.organisationRequired');
              if (!lawfulBasis) problems.lawfulBasis = t('cases.sharing.lawfulBasisRequired');
              if (!purpose.trim()) problems.purpose = t('cases.sharing.purposeRequired');
              if (fields.length === 0) problems.fields = t('cases.sharing.fieldsRequired');
              if (!childConsulted) problems.childConsulted = t('cases.sharing.consultedRequired');
              return problems;
            },
            send: async () => {
              if (!childConsulted) return;
              setConflict(false);
              await casesApi.addOrganisation(detail.id, {
                organisationId,
                lawfulBasis,
                purpose: purpose.trim(),
                fields,
                childConsulted,
                ...(childView.trim() ? { childView: childView.trim() } : {}),
              });
              await onDone(t('cases.team.added', { name }));
            },
            failed: (error, found) => {
              setConflict(isConflict(error));
              return found;
            },
          })
        }
      >
        <SelectField
          label={t('cases.team.organisation')}
          hint={t('cases.team.organisationHint')}
          name="organisationId"
          placeholder={t('forms.choose')}
          options={choices}
          value={organisationId}
          onChange={setOrganisationId}
          error={form.errors.fields.organisationId}
        />
        <SharingFields
          lawfulBasis={lawfulBasis}
          onLawfulBasis={setLawfulBasis}
          purpose={purpose}
          onPurpose={setPurpose}
          fields={fields}
          onFields={setFields}
          childConsulted={childConsulted}
          onChildConsulted={setChildConsulted}
          childView={childView}
          onChildView={setChildView}
          errors={form.errors.fields}
        />
      </Form>
      {conflict ? <ReloadOffer onReload={onReload} /> : null}
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

interface SharingProps {
  lawfulBasis: string;
  onLawfulBasis: (value: string) => void;
  purpose: string;
  onPurpose: (value: string) => void;
  fields: ShareableField[];
  onFields: (value: ShareableField[]) => void;
  childConsulted: ChildConsulted | '';
  onChildConsulted: (value: ChildConsulted) => void;
  childView: string;
  onChildView: (value: string) => void;
  errors: Readonly<Record<string, string>>;
  fieldsName?: string;
}

/** What is shared, why, on what lawful basis, and whether the child was consulted: a disclosure. */
export function SharingFields(props: SharingProps) {
  const { t } = useTranslation();
  const basis = CURRENT_TAXONOMY.lawfulBases.find((b) => b.code === props.lawfulBasis);
  return (
    <>
      <SelectField
        label={t('cases.sharing.lawfulBasis')}
        hint={
          <>
            {t('cases.sharing.lawfulBasisHint')}
            {basis ? (
              <span className="chosen-definition">
                <strong>{basis.label}:</strong> {basis.definition}
                {basis.notForOffenceInvestigation ? <> {t('referrals.fields.notForInvestigation')}</> : null}
              </span>
            ) : null}
          </>
        }
        name="lawfulBasis"
        placeholder={t('forms.choose')}
        options={lawfulBasisOptions}
        value={props.lawfulBasis}
        onChange={props.onLawfulBasis}
        error={props.errors.lawfulBasis}
      />
      <TextAreaField
        label={t('cases.sharing.purpose')}
        hint={t('cases.sharing.purposeHint')}
        name="purpose"
        rows={3}
        value={props.purpose}
        onChange={props.onPurpose}
        error={props.errors.purpose}
      />
      <CheckboxGroup
        legend={t('cases.sharing.fields')}
        hint={t('cases.sharing.fieldsHint')}
        name={props.fieldsName ?? 'fields'}
        options={SHAREABLE_FIELDS.map((value) => ({ value, label: t(`cases.fieldGroups.${value}`) }))}
        values={props.fields}
        onChange={props.onFields}
        error={props.errors[props.fieldsName ?? 'fields']}
        columns
      />
      <RadioGroup
        legend={t('cases.sharing.consulted')}
        hint={t('cases.sharing.consultedHint')}
        name="childConsulted"
        options={CHILD_CONSULTED.map((value) => ({ value, label: t(`cases.consulted.${value}`) }))}
        value={props.childConsulted}
        onChange={props.onChildConsulted}
        error={props.errors.childConsulted}
      />
      <TextAreaField
        label={t('cases.sharing.childView')}
        name="childView"
        optional
        rows={3}
        value={props.childView}
        onChange={props.onChildView}
        error={props.errors.childView}
      />
    </>
  );
}
