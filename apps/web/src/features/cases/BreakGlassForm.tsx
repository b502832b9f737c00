import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../components/Panel.tsx';
import { Form, TextAreaField } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { casesApi } from './api.ts';

const MIN_REASON = 20;

/** Emergency read access to a case the supervisor's organisation is not on: reasoned, time-limited, reviewed. */
export function BreakGlassForm({
  caseId,
  onGranted,
}: {
  caseId: string;
  onGranted: (expiresAt: string) => void;
}) {
  const { t } = useTranslation();
  const form = useForm(['reason']);
  const [reason, setReason] = useState('');
  return (
    <Panel heading={t('breakGlass.request.heading')} important>
      <p>{t('breakGlass.request.lead')}</p>
      <Form
        form={form}
        submitLabel={form.busy ? t('breakGlass.request.sending') : t('breakGlass.request.submit')}
        onSubmit={(event) =>
          form.submit(event, {
            check: (): Record<string, string> =>
              reason.trim().length >= MIN_REASON
                ? {}
                : { reason: t('breakGlass.request.reasonTooShort', { count: MIN_REASON }) },
            send: async () => {
              const granted = await casesApi.breakGlass(caseId, reason.trim());
              onGranted(granted.expiresAt);
            },
          })
        }
      >
        <TextAreaField
          label={t('breakGlass.request.reason')}
          hint={t('breakGlass.request.reasonHint')}
          name="reason"
          rows={4}
          value={reason}
          onChange={setReason}
          error={form.errors.fields.reason}
        />
      </Form>
    </Panel>
  );
}
