import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionError } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { Form, RadioGroup, TextAreaField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { useAction } from '../cases/useAction.ts';
import { extractsApi, type ApprovalKind, type Extract } from './api.ts';
import { pendingApprovals } from './labels.ts';

type Decision = ApprovalKind | 'decline';
const NOTE_MAX = 2000;

interface Props {
  extract: Extract;
  /** The approvals this person may give now (see approvalsFor). */
  kinds: readonly ApprovalKind[];
  onDecided: (message: string) => Promise<void>;
  onReload: () => void;
}

/** The approver's decision: approve (with an optional note) or decline (with a reason), confirmed first. */
export function DecisionPanel({ extract, kinds, onDecided, onReload }: Props) {
  const { t } = useTranslation();
  const form = useForm(['decision', 'note', 'reason']);
  const [decision, setDecision] = useState<Decision | ''>('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction();

  const send = async () => {
    if (decision === '') return;
    if (decision === 'decline') {
      await extractsApi.decline(extract.id, reason.trim());
      await onDecided(t('extracts.decide.declinedDone'));
      return;
    }
    await extractsApi.approve(extract.id, decision, note.trim() || undefined);
    const still = pendingApprovals(extract).filter((kind) => kind !== decision);
    await onDecided(
      still[0] ? t(`extracts.decide.approvedWaiting.${still[0]}`) : t('extracts.decide.approvedProduced'),
    );
  };

  return (
    <section className="panel panel-important" aria-labelledby="extract-decision">
      <h2 id="extract-decision" className="panel-heading">
        {t('extracts.decide.heading')}
      </h2>
      <p>{t('extracts.decide.check')}</p>
      <Form
        form={form}
        submitLabel={t('extracts.decide.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: () => {
              const problems: Record<string, string> = {};
              if (decision === '') problems.decision = t('extracts.decide.decisionRequired');
              if (decision === 'decline' && !reason.trim())
                problems.reason = t('extracts.decide.reasonRequired');
              if ((decision === 'decline' ? reason : note).trim().length > NOTE_MAX)
                problems[decision === 'decline' ? 'reason' : 'note'] = t('forms.tooLong', {
                  count: NOTE_MAX,
                });
              return problems;
            },
            // Nothing is sent until the person confirms below.
            send: () => {
              action.setError(null);
              setConfirming(true);
              return Promise.resolve();
            },
          })
        }
      >
        <RadioGroup
          legend={t('extracts.decide.decision')}
          name="decision"
          options={[
            ...kinds.map((kind) => ({ value: kind, label: t(`extracts.decide.approve.${kind}`) })),
            { value: 'decline' as const, label: t('extracts.decide.decline') },
          ]}
          value={decision}
          onChange={(value) => {
            setDecision(value);
            setConfirming(false);
          }}
          error={form.errors.fields.decision}
        />
        {decision === 'decline' ? (
          <TextAreaField
            label={t('extracts.decide.reason')}
            hint={t('extracts.decide.reasonHint')}
            name="reason"
            rows={3}
            value={reason}
            onChange={setReason}
            error={form.errors.fields.reason}
          />
        ) : decision !== '' ? (
          <TextAreaField
            label={t('extracts.decide.note')}
            hint={t('extracts.decide.noteHint')}
            name="note"
            optional
            rows={3}
            value={note}
            onChange={setNote}
            error={form.errors.fields.note}
          />
        ) : null}
      </Form>
      {confirming && decision !== '' ? (
        <ConfirmStep
          danger={decision === 'decline'}
          question={
            decision === 'decline'
              ? t('extracts.decide.confirmDecline')
              : t(`extracts.decide.confirmApprove.${decision}`)
          }
          detail={
            decision === 'decline'
              ? t('extracts.decide.confirmDeclineDetail')
              : t('extracts.decide.confirmApproveDetail')
          }
          busy={action.busy}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() =>
            void action.run(async () => {
              await send();
              setConfirming(false);
            })
          }
        />
      ) : null}
      <ActionError error={action.error} onReload={onReload} />
    </section>
  );
}
