import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, newZealandToday } from '@tiaki/domain';
import { EmailField, SelectField, TextField } from '../../components/forms.tsx';
import { fieldId, type ReferralForm } from './form.ts';
import type { StepProps } from './step.ts';

const letters = (name: string) => name.toLowerCase().replace(/[^\p{L}]/gu, '');
const REGION_OPTIONS = CURRENT_TAXONOMY.regions.map((region) => ({
  value: region.code,
  label:
    region.nameMi && letters(region.nameMi) !== letters(region.name)
      ? `${region.name} (${region.nameMi})`
      : region.name,
}));
const DISTRICT_OPTIONS = CURRENT_TAXONOMY.policeDistricts.map((district) => ({
  value: district.code,
  label: district.name,
}));

/** Step 1: who is referring, and when and where the concern is. */
export function AboutStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const setReferrer = (key: keyof ReferralForm['referrer']) => (value: string) => {
    update((f) => ({ ...f, referrer: { ...f.referrer, [key]: value } }));
  };
  const setConcern = (key: keyof ReferralForm['concern']) => (value: string) => {
    update((f) => ({ ...f, concern: { ...f.concern, [key]: value } }));
  };
  return (
    <>
      <TextField
        id={fieldId('referrer.name')}
        label={t('referrals.fields.referrerName')}
        name="referrerName"
        autoComplete="name"
        required
        maxLength={200}
        value={form.referrer.name}
        onChange={setReferrer('name')}
        error={errors['referrer.name']}
      />
      <TextField
        id={fieldId('referrer.role')}
        label={t('referrals.fields.referrerRole')}
        hint={t('referrals.fields.referrerRoleHint')}
        name="referrerRole"
        autoComplete="organization-title"
        optional
        maxLength={200}
        value={form.referrer.role}
        onChange={setReferrer('role')}
        error={errors['referrer.role']}
      />
      <TextField
        id={fieldId('referrer.phone')}
        label={t('referrals.fields.referrerPhone')}
        hint={t('referrals.fields.referrerPhoneHint')}
        name="referrerPhone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        optional
        maxLength={40}
        width="medium"
        value={form.referrer.phone}
        onChange={setReferrer('phone')}
        error={errors['referrer.phone']}
      />
      <EmailField
        id={fieldId('referrer.email')}
        label={t('referrals.fields.referrerEmail')}
        name="referrerEmail"
        autoComplete="email"
        optional
        value={form.referrer.email}
        onChange={setReferrer('email')}
        error={errors['referrer.email']}
      />
      <TextField
        id={fieldId('concern.date')}
        label={t('referrals.fields.concernDate')}
        hint={t('referrals.fields.concernDateHint')}
        name="concernDate"
        type="date"
        required
        max={newZealandToday(new Date(), 'latest')}
        width="medium"
        value={form.concern.date}
        onChange={setConcern('date')}
        error={errors['concern.date']}
      />
      <SelectField
        id={fieldId('concern.region')}
        label={t('referrals.fields.region')}
        hint={t('referrals.fields.regionHint')}
        name="region"
        required
        placeholder={t('forms.choose')}
        options={REGION_OPTIONS}
        value={form.concern.region}
        onChange={setConcern('region')}
        error={errors['concern.region']}
      />
      <SelectField
        id={fieldId('concern.policeDistrict')}
        label={t('referrals.fields.policeDistrict')}
        hint={t('referrals.fields.policeDistrictHint')}
        name="policeDistrict"
        optional
        placeholder={t('forms.choose')}
        options={DISTRICT_OPTIONS}
        value={form.concern.policeDistrict}
        onChange={setConcern('policeDistrict')}
        error={errors['concern.policeDistrict']}
      />
    </>
  );
}
