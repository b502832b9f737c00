import { useTranslation } from 'react-i18next';
import type { Service } from '@tiaki/domain';
import { describeRegions } from '../../components/regions.tsx';

/** A directory entry: name, provider, what it helps with, where, for what ages, and how full it is. */
export function ServiceSummary({
  service,
  headingLevel = 3,
}: {
  service: Service;
  headingLevel?: 3 | 4 | 5;
}) {
  const { t } = useTranslation();
  const Heading = `h${headingLevel}` as const;
  return (
    <>
      <Heading id={`service-${service.id}`} className="item-title">
        {service.name}
        {service.isActive ? null : <span className="tag tag-small">{t('services.inactive')}</span>}
      </Heading>
      <p className="meta">
        {service.provider.name} ·{' '}
        <span className={`badge badge-capacity-${service.capacity}`}>
          {t(`services.capacities.${service.capacity}`)}
        </span>
      </p>
      {service.description ? <p>{service.description}</p> : null}
      <dl className="review-list facts">
        <div className="review-row">
          <dt>{t('services.helpsWith')}</dt>
          <dd>{service.needTypes.map((need) => t(`services.needTypes.${need}`)).join('; ')}</dd>
        </div>
        <div className="review-row">
          <dt>{t('services.regions')}</dt>
          <dd>{describeRegions(t, service.regions)}</dd>
        </div>
        <div className="review-row">
          <dt>{t('services.ages')}</dt>
          <dd>{t('services.ageRange', { min: service.minAge, max: service.maxAge })}</dd>
        </div>
        {service.contact ? (
          <div className="review-row">
            <dt>{t('services.contact')}</dt>
            <dd>{service.contact}</dd>
          </div>
        ) : null}
      </dl>
    </>
  );
}
