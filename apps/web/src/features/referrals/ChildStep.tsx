import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, newZealandToday } from '@tiaki/domain';
import { RadioGroup, SelectField, TextField } from '../../components/forms.tsx';
import { Ethnicities } from './Ethnicities.tsx';
import { effectiveAgeKind, fieldId, type AgeKind, type ReferralForm } from './form.ts';
import { IwiPicker } from './IwiPicker.tsx';
import { entryOptions, type StepProps } from './step.ts';
import { TextList } from './TextList.tsx';

type Child = ReferralForm['child'];

/** Step 2: who the child is, as far as the person knows, and whether they are safe now. */
export function ChildStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const { child } = form;
  const set =
    <K extends keyof Child>(key: K) =>
    (value: Child[K]) => {
      update((f) => ({ ...f, child: { ...f.child, [key]: value } }));
    };
  const identified = child.identified !== 'no';
  const ageKind = effectiveAgeKind(form);
  const ageKinds: { value: Exclude<AgeKind, ''>; label: string }[] = [
    ...(child.identified === 'no'
      ? []
      : [{ value: 'dateOfBirth' as const, label: t('referrals.fields.ageDateOfBirth') }]),
    { value: 'estimatedAge', label: t('referrals.fields.ageEstimate') },
    { value: 'ageBand', label: t('referrals.fields.ageBand') },
  ];

  return (
    <>
      <RadioGroup
        id={fieldId('child.identified')}
        legend={t('referrals.fields.identified')}
        hint={t('referrals.fields.identifiedHint')}
        name="identified"
        inline
        options={[
          { value: 'yes', label: t('referrals.fields.identifiedYes') },
          { value: 'no', label: t('referrals.fields.identifiedNo') },
        ]}
        value={child.identified}
        onChange={set('identified')}
        error={errors['child.identified']}
      />
      {child.identified === 'no' ? (
        <div className="notice" role="status">
          <p>{t('referrals.fields.notIdentifiedNote')}</p>
        </div>
      ) : null}

      {identified ? (
        <>
          <TextField
            id={fieldId('child.givenNames')}
            label={t('referrals.fields.givenNames')}
            hint={t('referrals.fields.nameHint')}
            name="givenNames"
            autoComplete="off"
            maxLength={200}
            value={child.givenNames}
            onChange={set('givenNames')}
            error={errors['child.givenNames']}
          />
          <TextField
            id={fieldId('child.familyName')}
            label={t('referrals.fields.familyName')}
            name="familyName"
            autoComplete="off"
            optional
            maxLength={200}
            value={child.familyName}
            onChange={set('familyName')}
            error={errors['child.familyName']}
          />
          <TextList
            path="child.aliases"
            legend={t('referrals.fields.aliases')}
            hint={t('referrals.fields.aliasesHint')}
            itemLabel={(number) => t('referrals.fields.alias', { number })}
            addLabel={t('referrals.fields.addAlias')}
            values={child.aliases}
            onChange={set('aliases')}
            errors={errors}
            max={10}
            maxLength={200}
          />
        </>
      ) : null}

      <RadioGroup
        id={fieldId('child.age')}
        legend={t('referrals.fields.age')}
        name="ageKind"
        options={ageKinds.map((kind) => ({
          ...kind,
          more:
            kind.value === 'dateOfBirth' ? (
              <TextField
                id={fieldId('child.dateOfBirth')}
                label={t('referrals.fields.dateOfBirth')}
                name="dateOfBirth"
                type="date"
                max={newZealandToday(new Date(), 'latest')}
                width="medium"
                value={child.dateOfBirth}
                onChange={set('dateOfBirth')}
                error={errors['child.dateOfBirth']}
              />
            ) : kind.value === 'estimatedAge' ? (
              <TextField
                id={fieldId('child.estimatedAge')}
                label={t('referrals.fields.estimatedAge')}
                hint={t('referrals.fields.estimatedAgeHint')}
                name="estimatedAge"
                inputMode="numeric"
                width="short"
                maxLength={3}
                value={child.estimatedAge}
                onChange={set('estimatedAge')}
                error={errors['child.estimatedAge']}
              />
            ) : (
              <SelectField
                id={fieldId('child.ageBand')}
                label={t('referrals.fields.ageBandSelect')}
                name="ageBand"
                placeholder={t('forms.choose')}
                options={entryOptions(CURRENT_TAXONOMY.ageBands)}
                value={child.ageBand}
                onChange={set('ageBand')}
                error={errors['child.ageBand']}
              />
            ),
        }))}
        value={ageKind}
        onChange={set('ageKind')}
        error={errors['child.age']}
      />

      <SelectField
        id={fieldId('child.gender')}
        label={t('referrals.fields.gender')}
        hint={t('referrals.fields.genderHint')}
        name="gender"
        required
        placeholder={t('forms.choose')}
        options={entryOptions(CURRENT_TAXONOMY.genders)}
        value={child.gender}
        onChange={set('gender')}
        error={errors['child.gender']}
      />
      <Ethnicities
        values={child.ethnicities}
        onChange={set('ethnicities')}
        error={errors['child.ethnicities']}
      />
      <IwiPicker values={child.iwi} onChange={set('iwi')} error={errors['child.iwi']} />
      <SelectField
        id={fieldId('child.citizenship')}
        label={t('referrals.fields.citizenship')}
        hint={t('referrals.fields.citizenshipHint')}
        name="citizenship"
        optional
        placeholder={t('forms.choose')}
        options={entryOptions(CURRENT_TAXONOMY.citizenshipStatuses)}
        value={child.citizenship}
        onChange={set('citizenship')}
        error={errors['child.citizenship']}
      />
      <TextList
        path="child.languages"
        legend={t('referrals.fields.languages')}
        itemLabel={(number) => t('referrals.fields.language', { number })}
        addLabel={t('referrals.fields.addLanguage')}
        values={child.languages}
        onChange={set('languages')}
        errors={errors}
        max={10}
        maxLength={60}
      />
      {identified ? (
        <TextField
          id={fieldId('child.currentLocation')}
          label={t('referrals.fields.currentLocation')}
          hint={t('referrals.fields.currentLocationHint')}
          name="currentLocation"
          autoComplete="off"
          optional
          maxLength={500}
          value={child.currentLocation}
          onChange={set('currentLocation')}
          error={errors['child.currentLocation']}
        />
      ) : null}
      <RadioGroup
        id={fieldId('child.safety')}
        legend={t('referrals.fields.safety')}
        name="safety"
        options={[
          {
            value: 'safe',
            label: t('referrals.fields.safe'),
          },
          {
            value: 'unsafe',
            label: t('referrals.fields.unsafe'),
            more: <p className="field-callout">{t('referrals.fields.unsafeNote')}</p>,
          },
          { value: 'unknown', label: t('referrals.fields.safetyUnknown') },
        ]}
        value={child.safety}
        onChange={set('safety')}
        error={errors['child.safety']}
      />
    </>
  );
}
