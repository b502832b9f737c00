import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, isResidualIwi } from '@tiaki/domain';
import { GroupFrame } from '../../components/forms.tsx';
import { codeChoice } from './codeChoice.tsx';
import { fieldId } from './form.ts';
import { labelOf } from './labels.ts';

const MAX_IWI = 10;

/** Letters without macrons or case, so "ngati" finds "Ngāti". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** "Don't Know", "Refused To Answer", "Not Stated" … are classification artefacts, not iwi. */
const REGIONS = CURRENT_TAXONOMY.iwi
  .filter((iwi) => iwi.region === null && !isResidualIwi(iwi.code))
  .map((region) => ({
    ...region,
    members: CURRENT_TAXONOMY.iwi.filter((iwi) => iwi.region === region.code),
  }));

interface Props {
  values: string[];
  onChange: (values: string[]) => void;
  error?: string | undefined;
}

/** Iwi: 210 entries, so a filter by name, checkboxes grouped by region, and the chosen ones listed. */
export function IwiPicker({ values, onChange, error }: Props) {
  const { t } = useTranslation();
  const id = fieldId('child.iwi');
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const needle = fold(filter.trim());
  const matches = (label: string) => needle === '' || fold(label).includes(needle);
  const shown = REGIONS.map((region) => ({
    ...region,
    members: region.members.filter((member) => matches(member.label) || matches(region.label)),
    self: matches(region.label),
  })).filter((region) => region.self || region.members.length > 0);
  const count = shown.reduce((sum, region) => sum + region.members.length + (region.self ? 1 : 0), 0);

  const remove = (code: string) => {
    onChange(values.filter((v) => v !== code));
  };
  const choice = codeChoice({
    groupId: id,
    name: 'iwi',
    values,
    onChange,
    invalid: Boolean(error),
    max: MAX_IWI,
  });
  return (
    <GroupFrame
      legend={t('referrals.fields.iwi')}
      hint={t('referrals.fields.iwiHint')}
      error={error}
      optional
      id={id}
    >
      <div className="chosen">
        <p className="chosen-label">{t('referrals.fields.iwiChosen')}</p>
        {values.length ? (
          <ul className="chosen-list">
            {values.map((code) => {
              const name = labelOf(CURRENT_TAXONOMY.iwi, code);
              return (
                <li key={code}>
                  <button
                    type="button"
                    className="chip"
                    aria-label={t('referrals.fields.iwiRemove', { name })}
                    onClick={() => {
                      remove(code);
                    }}
                  >
                    {name} <span aria-hidden="true">×</span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="meta">{t('referrals.fields.iwiNoneChosen')}</p>
        )}
      </div>
      <label htmlFor={filterId} className="label">
        {t('referrals.fields.iwiFilter')}
      </label>
      <input
        id={filterId}
        type="search"
        className="input input-medium"
        value={filter}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setFilter(event.target.value);
        }}
      />
      <p role="status" className="meta filter-count">
        {count === 0
          ? t('referrals.fields.iwiNoMatch', { text: filter.trim() })
          : t('referrals.fields.iwiShown', { count })}
      </p>
      <div className="scroll-list">
        {shown.map((region) => (
          <div key={region.code} className="nested-group">
            {region.self ? choice(region.code, region.label) : <p className="nested-name">{region.label}</p>}
            <div className="checkboxes nested-choices">
              {region.members.map((member) => choice(member.code, member.label))}
            </div>
          </div>
        ))}
      </div>
    </GroupFrame>
  );
}
