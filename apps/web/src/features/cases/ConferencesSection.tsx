import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';
import { ActionError } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import {
  CheckboxGroup,
  Form,
  GroupFrame,
  OpenFormButton,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/forms.tsx';
import { DataTable } from '../../components/tables.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate } from '../../i18n/format.ts';
import { casesApi } from './api.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

interface ActionRow {
  key: number;
  description: string;
  ownerOrganisationId: string;
  dueOn: string;
}

/** Multi-agency case conferences: who came, what was decided, and the actions with owners and dates. */
export function ConferencesSection({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const manage = detail.permissions.manage && detail.status === 'open' && detail.access.via === 'case_team';
  const [recording, setRecording] = useState(false);
  const actionUpdate = useAction();
  const conferences = [...detail.conferences].sort((a, b) => b.heldOn.localeCompare(a.heldOn));

  return (
    <section className="case-section" aria-labelledby="case-conferences">
      <h2 id="case-conferences" tabIndex={-1} className="section-heading">
        {t('cases.sections.conferences')}
      </h2>
      {manage ? (
        recording ? (
          <ConferenceForm
            detail={detail}
            onCancel={() => {
              setRecording(false);
            }}
            onDone={async (message) => {
              setRecording(false);
              await onChanged(message);
            }}
          />
        ) : (
          <OpenFormButton
            label={t('cases.conferences.record')}
            onOpen={() => {
              setRecording(true);
            }}
          />
        )
      ) : null}
      {conferences.length === 0 ? <p>{t('cases.conferences.none')}</p> : null}
      {conferences.map((conference) => (
        <article key={conference.id} className="conference" aria-labelledby={`conference-${conference.id}`}>
          <h3 id={`conference-${conference.id}`} className="subheading">
            {t('cases.conferences.heldOn', { date: formatDate(conference.heldOn) })}
          </h3>
          <p>
            <strong>{t('cases.conferences.attendees')}</strong>{' '}
            {conference.attendees
              .map((a) => [a.organisation.name, a.user?.displayName, a.role].filter(Boolean).join(', '))
              .join('; ')}
          </p>
          <p className="meta">{t('cases.conferences.decisions')}</p>
          <p className="narrative-preview">{conference.decisions}</p>
          <DataTable
            id={`conference-actions-${conference.id}`}
            stack
            caption={t('cases.conferences.actionsCaption', { count: conference.actions.length })}
            columns={[
              t('cases.conferences.action'),
              t('cases.conferences.owner'),
              t('cases.conferences.due'),
              t('cases.conferences.status'),
            ]}
            actionsColumn={manage && t('cases.conferences.change')}
            rows={conference.actions}
            empty={t('cases.conferences.noActions')}
            renderRow={(action) => (
              <tr key={action.id}>
                <td className="cell-wide" id={`action-${action.id}`}>
                  {action.description}
                </td>
                <td data-label={t('cases.conferences.owner')}>
                  {action.ownerOrganisation.name}
                  {action.owner ? <span className="cell-note">{action.owner.displayName}</span> : null}
                </td>
                <td data-label={t('cases.conferences.due')} className="cell-nowrap">
                  {formatDate(action.dueOn)}
                </td>
                <td data-label={t('cases.conferences.status')}>
                  {t(`cases.conferences.actionStatus.${action.status}`)}
                </td>
                {manage ? (
                  <td>
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      aria-describedby={`action-${action.id}`}
                      aria-disabled={actionUpdate.busy || undefined}
                      onClick={() =>
                        void actionUpdate.run(async () => {
                          const status = action.status === 'open' ? 'done' : 'open';
                          await casesApi.updateAction(detail.id, action.id, status, action.version);
                          await onChanged(t(`cases.conferences.marked.${status}`));
                        })
                      }
                    >
                      {action.status === 'open'
                        ? t('cases.conferences.markDone')
                        : t('cases.conferences.reopen')}
                    </button>
                  </td>
                ) : null}
              </tr>
            )}
          />
        </article>
      ))}
      <ActionError error={actionUpdate.error} onReload={onReload} />
    </section>
  );
}

const FIELDS = ['heldOn', 'attendees', 'decisions', 'actions'] as const;

function ConferenceForm({
  detail,
  onCancel,
  onDone,
}: {
  detail: SectionProps['detail'];
  onCancel: () => void;
  onDone: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const form = useForm(FIELDS);
  const [heldOn, setHeldOn] = useState('');
  const [attending, setAttending] = useState<string[]>([]);
  const [roles, setRoles] = useState<Record<string, string>>({});
  const [decisions, setDecisions] = useState('');
  const [actions, setActions] = useState<ActionRow[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const organisations = detail.team.organisations.map((o) => ({
    value: o.organisation.id,
    label: o.organisation.name,
  }));
  const typed = decisions.trim() !== '' || actions.some((a) => a.description.trim() !== '');

  const changeAction = (key: number, change: Partial<ActionRow>) => {
    setActions((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  };

  const check = () => {
    const problems: Record<string, string> = {};
    if (!heldOn) problems.heldOn = t('cases.conferences.heldOnRequired');
    if (attending.length < 2) problems.attendees = t('cases.conferences.attendeesRequired');
    if (!decisions.trim()) problems.decisions = t('cases.conferences.decisionsRequired');
    if (actions.some((a) => !a.description.trim() || !a.ownerOrganisationId || !a.dueOn))
      problems.actions = t('cases.conferences.actionIncomplete');
    return problems;
  };

  return (
    <section className="panel" aria-labelledby="conference-form-heading">
      <h3 id="conference-form-heading" className="panel-heading">
        {t('cases.conferences.record')}
      </h3>
      <Form
        form={form}
        submitLabel={form.busy ? t('cases.conferences.saving') : t('cases.conferences.save')}
        onCancel={() => {
          if (typed) setConfirmingCancel(true);
          else onCancel();
        }}
        onSubmit={(event) =>
          form.submit(event, {
            check,
            send: async () => {
              await casesApi.recordConference(detail.id, {
                heldOn,
                attendees: attending.map((organisationId) => ({
                  organisationId,
                  ...(roles[organisationId]?.trim() ? { role: roles[organisationId].trim() } : {}),
                })),
                decisions: decisions.trim(),
                actions: actions.map((a) => ({
                  description: a.description.trim(),
                  ownerOrganisationId: a.ownerOrganisationId,
                  dueOn: a.dueOn,
                })),
              });
              await onDone(t('cases.conferences.recorded', { date: formatDate(heldOn) }));
            },
          })
        }
      >
        <TextField
          type="date"
          width="medium"
          label={t('cases.conferences.date')}
          name="heldOn"
          value={heldOn}
          onChange={setHeldOn}
          error={form.errors.fields.heldOn}
        />
        <CheckboxGroup
          legend={t('cases.conferences.who')}
          hint={t('cases.conferences.whoHint')}
          name="attendees"
          options={organisations.map((o) => ({
            ...o,
            more: (
              <TextField
                label={t('cases.conferences.role', { organisation: o.label })}
                name={`role-${o.value}`}
                optional
                value={roles[o.value] ?? ''}
                onChange={(role) => {
                  setRoles((current) => ({ ...current, [o.value]: role }));
                }}
              />
            ),
          }))}
          values={attending}
          onChange={setAttending}
          error={form.errors.fields.attendees}
        />
        <TextAreaField
          label={t('cases.conferences.decisionsLabel')}
          name="decisions"
          rows={5}
          value={decisions}
          onChange={setDecisions}
          error={form.errors.fields.decisions}
        />
        <WordingGuidance text={decisions} id="conference-decisions-wording" headingLevel={4} />
        <GroupFrame
          id="conference-actions"
          legend={t('cases.conferences.actions')}
          hint={t('cases.conferences.actionsHint')}
          error={form.errors.fields.actions}
          optional
        >
          {actions.map((row, index) => (
            <div key={row.key} className="action-row">
              <TextField
                label={t('cases.conferences.actionNumber', { number: index + 1 })}
                name={`action-${row.key}`}
                value={row.description}
                onChange={(description) => {
                  changeAction(row.key, { description });
                }}
              />
              <SelectField
                label={t('cases.conferences.actionOwner', { number: index + 1 })}
                name={`owner-${row.key}`}
                placeholder={t('forms.choose')}
                options={organisations}
                value={row.ownerOrganisationId}
                onChange={(ownerOrganisationId) => {
                  changeAction(row.key, { ownerOrganisationId });
                }}
              />
              <TextField
                type="date"
                width="medium"
                label={t('cases.conferences.actionDue', { number: index + 1 })}
                name={`due-${row.key}`}
                value={row.dueOn}
                onChange={(dueOn) => {
                  changeAction(row.key, { dueOn });
                }}
              />
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => {
                  setActions((rows) => rows.filter((r) => r.key !== row.key));
                }}
              >
                {t('cases.conferences.removeAction', { number: index + 1 })}
              </button>
            </div>
          ))}
          <div className="actions">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setActions((rows) => [
                  ...rows,
                  { key: nextKey, description: '', ownerOrganisationId: '', dueOn: '' },
                ]);
                setNextKey((n) => n + 1);
              }}
            >
              {t('cases.conferences.addAction')}
            </button>
          </div>
        </GroupFrame>
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
