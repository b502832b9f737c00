import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WordingGuidance } from '../../components/WordingGuidance.tsx';
import { ActionError } from '../../components/conflict.tsx';
import { Form, TextAreaField, TextField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { casesApi } from './api.ts';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

/** The plan's goals, and the case notes. */
export function PlanSection({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const manage = detail.permissions.manage && detail.status === 'open' && detail.access.via === 'case_team';
  const goalAction = useAction();
  const goalForm = useForm(['description', 'dueOn']);
  const [description, setDescription] = useState('');
  const [dueOn, setDueOn] = useState('');
  const noteForm = useForm(['body']);
  const [note, setNote] = useState('');
  const notes = [...detail.notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <section className="case-section" aria-labelledby="case-plan">
      <h2 id="case-plan" tabIndex={-1} className="section-heading">
        {t('cases.sections.plan')}
      </h2>
      <h3 className="subheading">{t('cases.plan.goals')}</h3>
      {detail.goals.length === 0 ? <p>{t('cases.plan.noGoals')}</p> : null}
      <ul className="item-list">
        {detail.goals.map((goal) => (
          <li key={goal.id} className="item">
            <p id={`goal-${goal.id}`} className="item-text">
              {goal.description}
            </p>
            <p className="meta">
              {t(`cases.plan.goalStatus.${goal.status}`)}
              {goal.dueOn ? ` · ${t('cases.plan.dueOn', { date: formatDate(goal.dueOn) })}` : ''}
            </p>
            {manage ? (
              <div className="row-actions">
                {(goal.status === 'open' ? (['achieved', 'discontinued'] as const) : (['open'] as const)).map(
                  (status) => (
                    <button
                      key={status}
                      type="button"
                      className="button button-small button-secondary"
                      aria-describedby={`goal-${goal.id}`}
                      aria-disabled={goalAction.busy || undefined}
                      onClick={() =>
                        void goalAction.run(async () => {
                          await casesApi.updateGoal(detail.id, goal.id, status, goal.version);
                          await onChanged(t(`cases.plan.goalMarked.${status}`));
                        })
                      }
                    >
                      {t(`cases.plan.mark.${status}`)}
                    </button>
                  ),
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ActionError error={goalAction.error} onReload={onReload} />
      {manage ? (
        <details className="details">
          <summary className="details-summary">{t('cases.plan.addGoal')}</summary>
          <Form
            form={goalForm}
            submitLabel={t('cases.plan.addGoalSubmit')}
            onSubmit={(event) =>
              goalForm.submit(event, {
                check: (): Record<string, string> =>
                  description.trim() ? {} : { description: t('cases.plan.goalRequired') },
                send: async () => {
                  await casesApi.addGoal(detail.id, {
                    description: description.trim(),
                    ...(dueOn ? { dueOn } : {}),
                  });
                  setDescription('');
                  setDueOn('');
                  await onChanged(t('cases.plan.goalAdded'));
                },
              })
            }
          >
            <TextAreaField
              label={t('cases.plan.goal')}
              name="description"
              rows={3}
              value={description}
              onChange={setDescription}
              error={goalForm.errors.fields.description}
            />
            <WordingGuidance text={description} id="goal-wording" headingLevel={4} />
            <TextField
              type="date"
              width="medium"
              label={t('cases.plan.goalDue')}
              name="dueOn"
              optional
              value={dueOn}
              onChange={setDueOn}
              error={goalForm.errors.fields.dueOn}
            />
          </Form>
        </details>
      ) : null}

      <h3 className="subheading" id="case-notes">
        {t('cases.plan.notes')}
      </h3>
      {manage ? (
        <Form
          form={noteForm}
          submitLabel={noteForm.busy ? t('cases.plan.saving') : t('cases.plan.addNote')}
          onSubmit={(event) =>
            noteForm.submit(event, {
              check: (): Record<string, string> =>
                note.trim() ? {} : { body: t('cases.plan.noteRequired') },
              send: async () => {
                await casesApi.addNote(detail.id, note.trim());
                setNote('');
                await onChanged(t('cases.plan.noteAdded'));
              },
            })
          }
        >
          <TextAreaField
            label={t('cases.plan.note')}
            hint={t('cases.plan.noteHint')}
            name="body"
            rows={4}
            value={note}
            onChange={setNote}
            error={noteForm.errors.fields.body}
          />
          <WordingGuidance text={note} id="case-note-wording" headingLevel={4} />
        </Form>
      ) : null}
      {notes.length === 0 ? <p>{t('cases.plan.noNotes')}</p> : null}
      <ul className="item-list">
        {notes.map((entry) => (
          <li key={entry.id} className="item">
            <p className="meta">
              {t('cases.plan.noteBy', {
                name: entry.author?.displayName ?? t('cases.plan.someone'),
                organisation: entry.organisation.name,
                time: formatDateTime(entry.createdAt, detail.region),
              })}
            </p>
            <p className="item-text narrative-preview">{entry.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
