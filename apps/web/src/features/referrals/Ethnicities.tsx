import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, isResidualEthnicity } from '@tiaki/domain';
import { GroupFrame } from '../../components/forms.tsx';
import { codeChoice } from './codeChoice.tsx';
import { fieldId } from './form.ts';

/** As many as the schema takes. */
const MAX_ETHNICITIES = 6;

/** Classification artefacts ("Residual Categories", "Don't Know", "Not Stated" …) are not choices. */
const GROUPS = CURRENT_TAXONOMY.ethnicities
  .filter((e) => e.level === 1 && !isResidualEthnicity(e.code))
  .map((group) => ({
    ...group,
    members: CURRENT_TAXONOMY.ethnicities.filter((e) => e.level === 2 && e.parent === group.code),
  }));

interface Props {
  values: string[];
  onChange: (values: string[]) => void;
  error?: string | undefined;
}

/** Stats NZ ethnicity: the broad groups, each with its more specific ethnicities folded under it. */
export function Ethnicities({ values, onChange, error }: Props) {
  const { t } = useTranslation();
  const id = fieldId('child.ethnicities');
  const choice = codeChoice({
    groupId: id,
    name: 'ethnicities',
    values,
    onChange,
    invalid: Boolean(error),
    max: MAX_ETHNICITIES,
  });
  return (
    <GroupFrame
      legend={t('referrals.fields.ethnicities')}
      hint={t('referrals.fields.ethnicitiesHint')}
      error={error}
      optional
      id={id}
    >
      <div className="checkboxes">
        {GROUPS.map((group) => (
          <div key={group.code} className="nested-group">
            {choice(group.code, group.label)}
            {group.members.length ? (
              <details
                className="nested-details"
                open={group.members.some((member) => values.includes(member.code))}
              >
                <summary className="nested-summary">
                  {t('referrals.fields.ethnicityMore', { group: group.label })}
                </summary>
                <div className="checkboxes nested-choices">
                  {group.members.map((member) => choice(member.code, member.label))}
                </div>
              </details>
            ) : null}
          </div>
        ))}
      </div>
    </GroupFrame>
  );
}
