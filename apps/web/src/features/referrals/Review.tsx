import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, screenIndicators } from '@tiaki/domain';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { effectiveAgeKind, STEPS, subtypesOf, type ReferralForm } from './form.ts';
import { labelOf, labelsOf, policeDistrictName, regionName } from './labels.ts';

type Row = [label: string, value: ReactNode];

interface Props {
  form: ReferralForm;
  onChangeStep: (step: number) => void;
}

/** Everything the person has entered, by step, each with a way back to change it. */
export function Review({ form, onChangeStep }: Props) {
  const { t } = useTranslation();
  const tax = CURRENT_TAXONOMY;
  const { child } = form;
  const notGiven = t('referrals.review.notGiven');
  const text = (value: string) => (value.trim() ? value : notGiven);
  // Dates in words ("7 December 2026"), as people write them.
  const date = (value: string) =>
    /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? formatDate(value.trim()) : text(value);
  const list = (values: readonly string[]) =>
    values.length ? values.join('; ') : t('referrals.review.none');
  const codes = (entries: readonly { code: string; label: string }[], values: readonly string[]) =>
    values.length ? labelsOf(entries, values) : t('referrals.review.none');
  const code = (entries: readonly { code: string; label: string }[], value: string) =>
    value ? labelOf(entries, value) : notGiven;
  const yesNo = (value: string) =>
    value === 'yes' ? t('referrals.fields.yes') : value === 'no' ? t('referrals.fields.no') : notGiven;
  const ageKind = effectiveAgeKind(form);
  const age =
    ageKind === 'dateOfBirth'
      ? date(child.dateOfBirth)
      : ageKind === 'estimatedAge' && /^\d+$/.test(child.estimatedAge.trim())
        ? t('referrals.review.ageYears', { count: Number(child.estimatedAge.trim()) })
        : ageKind === 'ageBand'
          ? code(tax.ageBands, child.ageBand)
          : notGiven;
  const subtypes = form.manifestationSubtypes.filter((s) => subtypesOf(form.manifestations).has(s));
  const allSubtypes = tax.manifestations.flatMap((m) => m.subtypes ?? []);
  const safety =
    child.safety === 'safe'
      ? t('referrals.fields.safe')
      : child.safety === 'unsafe'
        ? t('referrals.fields.unsafe')
        : child.safety === 'unknown'
          ? t('referrals.fields.safetyUnknown')
          : notGiven;
  const aware =
    form.childAware === 'yes'
      ? t('referrals.fields.childAwareYes')
      : form.childAware === 'no'
        ? t('referrals.fields.childAwareNo')
        : form.childAware === 'unknown'
          ? t('referrals.fields.childAwareUnknown')
          : notGiven;

  const sections: Row[][] = [
    [
      [t('referrals.fields.referrerName'), text(form.referrer.name)],
      [t('referrals.fields.referrerRole'), text(form.referrer.role)],
      [t('referrals.fields.referrerPhone'), text(form.referrer.phone)],
      [t('referrals.fields.referrerEmail'), text(form.referrer.email)],
      [t('referrals.fields.concernDate'), date(form.concern.date)],
      [t('referrals.fields.region'), form.concern.region ? regionName(form.concern.region) : notGiven],
      [
        t('referrals.fields.policeDistrict'),
        form.concern.policeDistrict ? policeDistrictName(form.concern.policeDistrict) : notGiven,
      ],
    ],
    [
      [
        t('referrals.fields.identified'),
        child.identified === 'yes'
          ? t('referrals.fields.identifiedYes')
          : child.identified === 'no'
            ? t('referrals.review.childNotIdentified')
            : notGiven,
      ],
      ...(child.identified === 'no'
        ? []
        : ([
            [t('referrals.fields.givenNames'), text(child.givenNames)],
            [t('referrals.fields.familyName'), text(child.familyName)],
            [t('referrals.fields.aliases'), list(child.aliases.filter((a) => a.trim()))],
            [t('referrals.fields.currentLocation'), text(child.currentLocation)],
          ] satisfies Row[])),
      [t('referrals.fields.age'), age],
      [t('referrals.fields.gender'), code(tax.genders, child.gender)],
      [t('referrals.fields.ethnicities'), codes(tax.ethnicities, child.ethnicities)],
      [t('referrals.fields.iwi'), codes(tax.iwi, child.iwi)],
      [t('referrals.fields.citizenship'), code(tax.citizenshipStatuses, child.citizenship)],
      [t('referrals.fields.languages'), list(child.languages.filter((l) => l.trim()))],
      [t('referrals.fields.safety'), safety],
    ],
    [
      [t('referrals.fields.manifestations'), codes(tax.manifestations, form.manifestations)],
      [t('referrals.fields.subtypes'), codes(allSubtypes, subtypes)],
      [t('referrals.fields.contexts'), codes(tax.contexts, form.contexts)],
    ],
    [
      [t('referrals.fields.indicators'), codes(tax.indicators, form.indicators)],
      [
        t('referrals.screen.heading'),
        t(`referrals.screen.levels.${screenIndicators(form.indicators).level}`),
      ],
    ],
    [
      [
        t('referrals.fields.narrative'),
        form.narrative.trim() ? (
          <>
            <span className="narrative-preview">{form.narrative}</span>
            <span className="cell-note">
              {t('referrals.review.characters', {
                count: form.narrative.length,
                formatted: formatNumber(form.narrative.length),
              })}
            </span>
          </>
        ) : (
          notGiven
        ),
      ],
      [t('referrals.fields.immediateRisk'), yesNo(form.immediateRisk)],
      [
        t('referrals.fields.evidence'),
        list(
          form.evidenceReferences
            .filter((row) => row.reference.trim())
            .map((row) => `${t(`referrals.fields.agencies.${row.agency}`)}: ${row.reference}`),
        ),
      ],
    ],
    [
      [t('referrals.fields.childViews'), text(form.childViews)],
      [t('referrals.fields.childAware'), aware],
      [t('referrals.fields.lawfulBasis'), code(tax.lawfulBases, form.lawfulBasis)],
    ],
  ];

  return (
    <section className="review" aria-labelledby="review-heading">
      <h3 id="review-heading" className="review-heading">
        {t('referrals.review.heading')}
      </h3>
      <p>{t('referrals.review.lead')}</p>
      {sections.map((rows, index) => {
        const step = STEPS[index] ?? 'about';
        const title = t(`referrals.steps.${step}`);
        return (
          <div key={step} className="review-section">
            <div className="review-top">
              <h4 className="review-step">{title}</h4>
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => {
                  onChangeStep(index);
                }}
              >
                {t('referrals.review.change')}
                <span className="visually-hidden"> {title}</span>
              </button>
            </div>
            <dl className="review-list">
              {rows.map(([label, value]) => (
                <div key={label} className="review-row">
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </div>
        );
      })}
    </section>
  );
}
