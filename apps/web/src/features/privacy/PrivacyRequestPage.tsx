import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client.ts';
import { Form, TextField } from '../../components/forms.tsx';
import { Page } from '../../components/Page.tsx';
import { useForm } from '../../components/useForm.ts';
import { exportPrivacyRequest, type DownloadedFile } from './api.ts';

/** The longest reference the server accepts. */
const REFERENCE_MAX = 40;

/** Hands a file to the browser to save, under the name the server gave it. */
function saveFile({ blob, filename }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; keep the address a little longer for slow devices.
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

/**
 * /privacy-requests: a privacy officer answers a request under the Privacy Act 2020 (IPP 6) by
 * downloading everything Tiaki holds about one child, found by a referral or case reference.
 */
export function PrivacyRequestPage() {
  const { t } = useTranslation();
  const form = useForm(['reference']);
  const [reference, setReference] = useState('');
  const [done, setDone] = useState<{ reference: string; filename: string } | null>(null);

  return (
    <Page title={t('privacyRequests.title')} lead={t('privacyRequests.lead')}>
      <section className="panel" aria-labelledby="privacy-request-heading">
        <h2 id="privacy-request-heading" className="panel-heading">
          {t('privacyRequests.heading')}
        </h2>
        <p>{t('privacyRequests.text')}</p>
        <p>{t('privacyRequests.care')}</p>
        <div role="status" className="live-region">
          {done ? (
            <div className="alert alert-success">
              {t('privacyRequests.done', { reference: done.reference, filename: done.filename })}
            </div>
          ) : null}
        </div>
        <Form
          form={form}
          submitLabel={form.busy ? t('privacyRequests.sending') : t('privacyRequests.submit')}
          onSubmit={(event) =>
            form.submit(event, {
              check: () => {
                const problems: Record<string, string> = {};
                const wanted = reference.trim();
                if (!wanted) problems.reference = t('privacyRequests.errors.referenceRequired');
                else if (wanted.length > REFERENCE_MAX)
                  problems.reference = t('forms.tooLong', { count: REFERENCE_MAX });
                return problems;
              },
              send: async () => {
                setDone(null);
                const wanted = reference.trim().toUpperCase();
                const file = await exportPrivacyRequest(wanted);
                saveFile(file);
                setDone({ reference: wanted, filename: file.filename });
              },
              failed: (error, found) => {
                if (!(error instanceof ApiRequestError)) return found;
                if (error.status === 404) {
                  const message = t('privacyRequests.errors.notFound');
                  return { form: message, other: [], fields: { reference: message } };
                }
                if (error.status === 403 && error.code === 'forbidden')
                  return { form: t('privacyRequests.errors.forbidden'), other: [], fields: {} };
                if (error.status === 400) {
                  const message = t('privacyRequests.errors.referenceInvalid');
                  return { form: t('forms.fixErrors'), other: [], fields: { reference: message } };
                }
                return found;
              },
            })
          }
        >
          <TextField
            label={t('privacyRequests.reference')}
            hint={t('privacyRequests.referenceHint')}
            name="reference"
            id="privacy-reference"
            width="medium"
            spellCheck={false}
            autoCapitalize="none"
            autoComplete="off"
            value={reference}
            onChange={setReference}
            error={form.errors.fields.reference}
          />
        </Form>
      </section>
    </Page>
  );
}
