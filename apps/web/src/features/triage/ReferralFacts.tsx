import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENT_TAXONOMY, type ReferralDetail } from '@tiaki/domain';
import { formatDate } from '../../i18n/format.ts';
import { labelOf, labelsOf, policeDistrictName, regionName } from '../referrals/labels.ts';
import { ageBandName, genderName } from './labels.ts';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

type Row = [label: string, value: ReactNode];

/** One section of facts as a description list; rows without a value are left out. */
export function Facts({ rows }: { rows: readonly Row[] }) {
  const shown = rows.filter(([, value]) => value !== '' && value !== null && value !== undefined);
  if (shown.length === 0) return null;
  return (
    <dl className="review-list facts">
      {shown.map(([label, value]) => (
        <div key={label} className="review-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What the referrer recorded, the child's identity included (the read was audited by the server). */
export function ReferralFacts({
  referral,
  level = 3,
}: {
  referral: ReferralDetail;
  /** The level of its sub-headings: 3 on a page of its own, 4 inside a referral on the case page. */
  level?: 3 | 4;
}) {
  const Heading = level === 3 ? 'h3' : 'h4';
  const { t } = useTranslation();
  const tax = CURRENT_TAXONOMY;
  const data = referral.data;
  const referrer = record(data.referrer);
  const concern = record(data.concern);
  const child = record(data.child);
  const none = t('referrals.review.none');
  const list = (values: string[]) => (values.length ? values.join('; ') : none);
  const codes = (entries: readonly { code: string; label: string }[], values: string[]) =>
    values.length ? labelsOf(entries, values) : none;
  const safety = str(child.safety);
  const aware = str(data.childAware);
  const evidence = Array.isArray(data.evidenceReferences)
    ? data.evidenceReferences.map((item) => {
        const e = record(item);
        return `${str(e.agency) === 'dia' ? 'DIA' : t('triage.referral.police')}: ${str(e.reference)}`;
      })
    : [];
  const identified = child.identified === true;
  const estimatedAge = str(child.estimatedAge);

  return (
    <>
      <Heading className="subheading">{t('triage.referral.childHeading')}</Heading>
      {identified ? null : <p className="notice">{t('triage.referral.notIdentified')}</p>}
      <Facts
        rows={[
          [t('referrals.fields.givenNames'), str(child.givenNames)],
          [t('referrals.fields.familyName'), str(child.familyName)],
          [t('referrals.fields.aliases'), strings(child.aliases).join('; ')],
          [
            t('referrals.fields.dateOfBirth'),
            str(child.dateOfBirth) ? formatDate(str(child.dateOfBirth)) : '',
          ],
          [
            t('referrals.fields.estimatedAge'),
            estimatedAge ? t('referrals.review.ageYears', { count: Number(estimatedAge) }) : '',
          ],
          [t('referrals.fields.ageBandSelect'), ageBandName(str(child.ageBand) || null) ?? ''],
          [t('referrals.fields.gender'), genderName(str(child.gender)) ?? ''],
          [t('referrals.fields.ethnicities'), codes(tax.ethnicities, strings(child.ethnicities))],
          [t('referrals.fields.iwi'), strings(child.iwi).length ? labelsOf(tax.iwi, strings(child.iwi)) : ''],
          [
            t('referrals.fields.citizenship'),
            str(child.citizenship) ? labelOf(tax.citizenshipStatuses, str(child.citizenship)) : '',
          ],
          [t('referrals.fields.languages'), strings(child.languages).join('; ')],
          [t('referrals.fields.currentLocation'), str(child.currentLocation)],
          [
            t('referrals.fields.safety'),
            safety === 'safe'
              ? t('referrals.fields.safe')
              : safety === 'unsafe'
                ? t('referrals.fields.unsafe')
                : t('referrals.fields.safetyUnknown'),
          ],
        ]}
      />
      <Heading className="subheading">{t('triage.referral.concernHeading')}</Heading>
      <Facts
        rows={[
          [t('referrals.fields.concernDate'), str(concern.date) ? formatDate(str(concern.date)) : ''],
          [t('referrals.fields.region'), regionName(str(concern.region))],
          [
            t('referrals.fields.policeDistrict'),
            str(concern.policeDistrict) ? policeDistrictName(str(concern.policeDistrict)) : '',
          ],
          [t('referrals.fields.manifestations'), codes(tax.manifestations, strings(data.manifestations))],
          [t('referrals.fields.contexts'), codes(tax.contexts, strings(data.contexts))],
          [t('referrals.fields.indicators'), codes(tax.indicators, strings(data.indicators))],
          [t('referrals.fields.narrative'), <p className="narrative-preview">{str(data.narrative)}</p>],
          [
            t('referrals.fields.immediateRisk'),
            data.immediateRisk ? t('referrals.fields.yes') : t('referrals.fields.no'),
          ],
          [t('referrals.fields.evidence'), list(evidence)],
          [t('referrals.fields.childViews'), str(data.childViews)],
          [
            t('referrals.fields.childAware'),
            aware === 'yes'
              ? t('referrals.fields.childAwareYes')
              : aware === 'no'
                ? t('referrals.fields.childAwareNo')
                : t('referrals.fields.childAwareUnknown'),
          ],
          [t('referrals.fields.lawfulBasis'), labelOf(tax.lawfulBases, str(data.lawfulBasis))],
        ]}
      />
      <Heading className="subheading">{t('triage.referral.referrerHeading')}</Heading>
      <Facts
        rows={[
          [t('triage.referral.referrerName'), str(referrer.name)],
          [t('referrals.fields.referrerRole'), str(referrer.role)],
          [t('referrals.fields.referrerPhone'), str(referrer.phone)],
          [t('referrals.fields.referrerEmail'), str(referrer.email)],
        ]}
      />
    </>
  );
}
