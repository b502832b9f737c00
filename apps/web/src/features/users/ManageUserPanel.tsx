import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { ConfirmStep } from '../../components/ConfirmStep.tsx';
import { Panel } from '../../components/Panel.tsx';
import {
  errorMessage,
  formErrorsFrom,
  invalidForm,
  noErrors,
  type FormErrors,
} from '../../components/errors.ts';
import { Form, FormMessages } from '../../components/forms.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { usersApi } from './api.ts';
import { checkNameAndRoles, NameAndRolesFields } from './NameAndRoles.tsx';
import { changeOf } from './PrivilegedRequests.tsx';
import { roleNames, statusOf } from './status.ts';

const FIELDS = ['displayName', 'roles'] as const;

type Pending =
  | { kind: 'save'; displayName?: string; roles?: Role[] }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'resetPassword' }
  | { kind: 'resetMfa' }
  | null;

interface Props {
  user: User;
  isSelf: boolean;
  /** When the list was loaded, to tell whether a lock is still in force. */
  now: number;
  notice: string | null;
  onUpdated: (user: User, message: string) => void;
  /** A privileged change was asked for: it waits for a second administrator. */
  onRequested: (message: string) => void;
  onConflict: () => Promise<void>;
  onClose: () => void;
}

export function ManageUserPanel({
  user,
  isSelf,
  now,
  notice,
  onUpdated,
  onRequested,
  onConflict,
  onClose,
}: Props) {
  const { t } = useTranslation();
  const actionsId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const form = useForm(FIELDS);
  const { errors, setErrors } = form;
  const [actionError, setActionError] = useState<FormErrors>(noErrors);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);

  const status = statusOf(user, now);
  const name = user.displayName;

  const reviewChanges = (event: SubmitEvent) => {
    event.preventDefault();
    const trimmed = displayName.trim();
    const fields = checkNameAndRoles(t, trimmed, roles);
    if (Object.keys(fields).length) {
      setErrors(invalidForm(t, fields));
      return;
    }
    const rolesChanged =
      roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role));
    const nameChanged = trimmed !== user.displayName;
    if (!rolesChanged && !nameChanged) {
      setErrors({ ...noErrors, form: t('users.nothingChanged') });
      return;
    }
    setErrors(noErrors);
    setActionError(noErrors);
    setPending({
      kind: 'save',
      ...(nameChanged ? { displayName: trimmed } : {}),
      ...(rolesChanged ? { roles } : {}),
    });
  };

  const run = async (action: NonNullable<Pending>) => {
    setBusy(true);
    try {
      switch (action.kind) {
        case 'save': {
          const changes = {
            ...(action.displayName !== undefined ? { displayName: action.displayName } : {}),
            ...(action.roles ? { roles: action.roles } : {}),
          };
          const saved = await usersApi.update(user.id, { ...changes, version: user.version });
          const waiting = saved.pendingRequests.find(
            (r) => r.kind === 'grant_roles' && !user.pendingRequests.some((before) => before.id === r.id),
          );
          onUpdated(
            saved,
            waiting
              ? t('users.savedWaiting', { name: saved.displayName, change: changeOf(t, waiting) })
              : t('users.saved', { name: action.displayName ?? name }),
          );
          break;
        }
        case 'deactivate':
          onUpdated(
            await usersApi.update(user.id, { isActive: false, version: user.version }),
            t('users.deactivated', { name }),
          );
          break;
        case 'reactivate':
          onUpdated(
            await usersApi.update(user.id, { isActive: true, version: user.version }),
            t('users.reactivated', { name }),
          );
          break;
        case 'resetPassword':
        case 'resetMfa': {
          const request =
            action.kind === 'resetPassword'
              ? await usersApi.resetPassword(user.id)
              : await usersApi.resetMfa(user.id);
          onRequested(t('users.requested', { name, change: changeOf(t, request) }));
          break;
        }
      }
    } catch (error) {
      setPending(null);
      if (error instanceof ApiRequestError && error.code === 'version_conflict') {
        await onConflict();
        return;
      }
      if (action.kind === 'save') {
        setErrors(formErrorsFrom(t, error, FIELDS));
      } else {
        setActionError({ ...noErrors, form: errorMessage(t, error) });
      }
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    setPending(null);
    headingRef.current?.focus();
  };

  const confirmFor = (kind: NonNullable<Pending>['kind']) =>
    pending?.kind === kind ? (
      <ConfirmStep
        question={t(`users.confirm.${kind}.question`, { name })}
        detail={
          pending.kind === 'save' && pending.roles
            ? t('users.confirm.save.roles', { roles: roleNames(t, pending.roles) })
            : t(`users.confirm.${kind}.detail`, { name })
        }
        danger={kind === 'deactivate' || kind === 'resetPassword' || kind === 'resetMfa'}
        busy={busy}
        onConfirm={() => void run(pending)}
        onCancel={cancel}
      />
    ) : null;

  const startAction = (kind: 'deactivate' | 'reactivate' | 'resetPassword' | 'resetMfa') => {
    setActionError(noErrors);
    setErrors(noErrors);
    setPending({ kind });
  };

  const actionItem = (kind: 'deactivate' | 'reactivate' | 'resetPassword' | 'resetMfa') => (
    <li>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          startAction(kind);
        }}
      >
        {t(`users.actions.${kind}`)}
      </button>
      <p className="hint">{t(`users.actions.${kind}Hint`)}</p>
      {confirmFor(kind)}
    </li>
  );

  return (
    <Panel
      heading={t('users.manageHeading', { name })}
      headingRef={headingRef}
      aside={
        <button type="button" className="button button-small button-secondary" onClick={onClose}>
          {t('actions.close')}
        </button>
      }
    >
      {notice ? (
        <div className="notice notice-warning" role="alert">
          <p>{notice}</p>
        </div>
      ) : null}

      {user.pendingRequests.length > 0 ? (
        <div className="notice notice-warning">
          <p>
            <strong>{t('users.waitingTag')}:</strong>{' '}
            {user.pendingRequests.map((r) => changeOf(t, r)).join('; ')}
          </p>
        </div>
      ) : null}

      <dl className="summary">
        <div>
          <dt>{t('fields.email')}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t('fields.organisation')}</dt>
          <dd>{user.organisationName}</dd>
        </div>
        <div>
          <dt>{t('users.columns.status')}</dt>
          <dd>
            {status === 'locked' && user.lockedUntil
              ? t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) })
              : t(`users.status.${status}`)}
          </dd>
        </div>
        <div>
          <dt>{t('users.columns.mfa')}</dt>
          <dd>{user.mfaEnabled ? t('users.mfaOn') : t('users.mfaOff')}</dd>
        </div>
        <div>
          <dt>{t('users.lastSignIn')}</dt>
          <dd>{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t('users.never')}</dd>
        </div>
      </dl>

      <h3 className="subheading">{t('users.nameAndRoles')}</h3>
      <Form form={form} submitLabel={t('actions.saveChanges')} onSubmit={reviewChanges}>
        <NameAndRolesFields
          displayName={displayName}
          onDisplayNameChange={setDisplayName}
          roles={roles}
          onRolesChange={setRoles}
          errors={errors}
          rolesHint={isSelf ? t('users.ownRolesHint') : t('users.rolesHint')}
        />
      </Form>
      {confirmFor('save')}

      <h3 className="subheading" id={actionsId}>
        {t('users.accountActions')}
      </h3>
      <FormMessages errors={actionError} />
      <ul className="action-list" aria-labelledby={actionsId}>
        {isSelf ? null : actionItem(user.isActive ? 'deactivate' : 'reactivate')}
        {actionItem('resetPassword')}
        {actionItem('resetMfa')}
      </ul>
      {isSelf ? <p className="meta">{t('users.selfNote')}</p> : null}
    </Panel>
  );
}
