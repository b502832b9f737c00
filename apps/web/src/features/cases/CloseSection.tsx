import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CLOSURE_REASON_CODES, type ClosureReason } from '@tiaki/domain';
import { ActionError } from '../../components/conflict.tsx';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { invalidForm, noErrors } from '../../components/errors.ts';
import { Form, SelectField, TextAreaField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { casesApi } from './api.ts';
import { mergedInto } from './MergeSection.tsx';
import type { SectionProps } from './section.ts';
import { useAction } from './useAction.ts';

/** Closing the case with a reason, or reopening a closed one. */
export function CloseSection({ detail, onChanged, onReload }: SectionProps) {
  const { t } = useTranslation();
  const manage = detail.permissions.manage && detail.access.via === 'case_team';
  const form = useForm(['reason', 'detail']);
  const [reason, setReason] = useState<ClosureReason | ''>('');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const pending = detail.decisions.filter((d) => d.status === 'pending').length;

  const send = async () => {
    if (detail.status === 'open') {
      if (!reason) return;
      await casesApi.close(detail.id, {
        reason,
        ...(text.trim() ? { detail: text.trim() } : {}),
        version: detail.version,
      });
      await onChanged(t('cases.closure.closed', { reference: detail.reference }));
    } else {
      await casesApi.reopen(detail.id, { reason: text.trim(), version: detail.version });
      await onChanged(t('cases.closure.reopened', { reference: detail.reference }));
    }
  };

  return (
    <section className="case-section" aria-labelledby="case-closure">
      <h2 id="case-closure" tabIndex={-1} className="section-heading">
        {detail.status === 'open' ? t('cases.sections.closure') : t('cases.closure.reopenHeading')}
      </h2>
      {mergedInto(detail) ? (
        <p>{t('cases.closure.mergedText')}</p>
      ) : !manage ? (
        <p>{detail.status === 'open' ? t('cases.closure.notYours') : t('cases.closure.closedText')}</p>
      ) : (
        <>
          {detail.status === 'open' && pending > 0 ? (
            <div className="notice notice-warning">
              <p>{t('cases.closure.pendingDecisions', { count: pending })}</p>
            </div>
          ) : null}
          <Form
            form={form}
            submitLabel={detail.status === 'open' ? t('cases.closure.close') : t('cases.closure.reopen')}
            onSubmit={(event) => {
              event.preventDefault();
              const problems: Record<string, string> = {};
              if (detail.status === 'open' && !reason) problems.reason = t('cases.closure.reasonRequired');
              if (detail.status === 'closed' && !text.trim())
                problems.detail = t('cases.closure.whyRequired');
              if (Object.keys(problems).length) {
                form.setErrors(invalidForm(t, problems));
                return;
              }
              form.setErrors(noErrors);
              action.setError(null);
              setConfirming(true);
            }}
          >
            {detail.status === 'open' ? (
              <SelectField
                label={t('cases.closure.reason')}
                name="reason"
                placeholder={t('forms.choose')}
                options={CLOSURE_REASON_CODES.map((value) => ({
                  value,
                  label: t(`cases.closure.reasons.${value}`),
                }))}
                value={reason}
                onChange={(value) => {
                  setReason(value as ClosureReason | '');
                }}
                error={form.errors.fields.reason}
              />
            ) : null}
            <TextAreaField
              label={detail.status === 'open' ? t('cases.closure.detail') : t('cases.closure.why')}
              name="detail"
              optional={detail.status === 'open'}
              rows={3}
              value={text}
              onChange={setText}
              error={form.errors.fields.detail}
            />
          </Form>
          {confirming ? (
            <ConfirmStep
              danger={detail.status === 'open'}
              question={
                detail.status === 'open'
                  ? t('cases.closure.confirm', { reference: detail.reference })
                  : t('cases.closure.confirmReopen', { reference: detail.reference })
              }
              detail={detail.status === 'open' ? t('cases.closure.confirmDetail') : undefined}
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
        </>
      )}
    </section>
  );
}
