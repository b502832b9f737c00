import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  CHARGE_OUTCOMES,
  CLOSURE_REASON_CODES,
  DECISION_KINDS,
  NEED_TYPES,
  SERVICE_REFERRAL_STATUSES,
  type CaseDetail,
  type TimelineEntry,
} from '@tiaki/domain';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { provisionName } from './JusticeSection.tsx';
import type { SectionProps } from './section.ts';

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function oneOf<T extends string>(list: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : null;
}

/** The names of organisations this case knows, for wording events that carry only ids. */
function organisationNames(detail: CaseDetail): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of detail.team.organisations) names.set(o.organisation.id, o.organisation.name);
  for (const d of detail.disclosures) names.set(d.to.id, d.to.name);
  for (const r of detail.referrals) names.set(r.organisation.id, r.organisation.name);
  for (const s of detail.serviceReferrals) names.set(s.provider.id, s.provider.name);
  return names;
}

/** One event in words, from its kind and the codes and dates it carries. */
export function describeEvent(t: TFunction, entry: TimelineEntry, names: Map<string, string>): string {
  const d = entry.details;
  const kindOf = oneOf(DECISION_KINDS, d.kind);
  const decisionKind = kindOf ? t(`decisions.kinds.${kindOf}`) : t('cases.timeline.aDecision');
  const organisation =
    names.get(str(d.toOrganisationId) || (entry.subjectId ?? '')) ?? t('cases.timeline.anOrganisation');
  const need = oneOf(NEED_TYPES, d.needType);
  const needText = need ? t(`services.needTypes.${need}`) : '';
  switch (entry.kind) {
    case 'case.opened':
      return t('cases.timeline.caseOpened', { reference: str(d.reference) });
    case 'referral.received':
      return d.attached === true
        ? t('cases.timeline.referralAttached', { reference: str(d.reference) })
        : t('cases.timeline.referralReceived', { reference: str(d.reference) });
    case 'referral.attached':
      return t('cases.timeline.referralAttached', { reference: str(d.reference) });
    case 'decision.due':
      return t('cases.timeline.decisionDue', { kind: decisionKind, date: formatDate(str(d.dueOn)) });
    case 'decision.made': {
      const outcome = oneOf(['positive', 'negative'] as const, d.outcome);
      return kindOf && outcome
        ? t('cases.timeline.decisionMade', { outcome: t(`decisions.outcomes.${kindOf}.${outcome}`) })
        : t('cases.timeline.decisionMadeUnknown', { kind: decisionKind });
    }
    case 'panel.convened':
      return t('cases.timeline.panelConvened', {
        kind: decisionKind,
        count: Array.isArray(d.members) ? d.members.length : 0,
      });
    case 'reconsideration.requested':
      return t('cases.timeline.reconsideration', { kind: decisionKind });
    case 'disclosure.made':
      return t('cases.timeline.disclosure', { organisation });
    case 'team.organisation_added':
      return t('cases.timeline.organisationAdded', { organisation });
    case 'team.organisation_removed':
      return t('cases.timeline.organisationRemoved', { organisation });
    case 'team.member_added':
      return t('cases.timeline.memberAdded');
    case 'plan.goal_added':
      return t('cases.timeline.goalAdded');
    case 'plan.goal_updated': {
      const status = oneOf(['open', 'achieved', 'discontinued'] as const, d.status);
      return status ? t(`cases.timeline.goal.${status}`) : t('cases.timeline.goalAdded');
    }
    case 'conference.held':
      return t('cases.timeline.conference', { date: formatDate(str(d.heldOn)) });
    case 'conference.action_updated':
      return d.status === 'done' ? t('cases.timeline.actionDone') : t('cases.timeline.actionReopened');
    case 'case.closed': {
      const reason = oneOf(CLOSURE_REASON_CODES, d.reason);
      return t('cases.timeline.closed', { reason: reason ? t(`cases.closure.reasons.${reason}`) : '' });
    }
    case 'case.reopened':
      return t('cases.timeline.reopened');
    case 'case.merged_in':
      return t('cases.timeline.mergedIn', { merged: str(d.mergedCase), count: num(d.referrals) });
    case 'case.merged_away':
      return t('cases.timeline.mergedAway', { kept: str(d.keptCase) });
    case 'case.unmerged':
      return t('cases.timeline.unmerged');
    case 'unmet_need.recorded':
      return t('cases.timeline.unmetNeed', { need: needText });
    case 'justice.charge_recorded':
      return t('cases.timeline.chargeRecorded', { provision: provisionName(str(d.provision)) });
    case 'justice.charge_updated': {
      const outcome = oneOf(CHARGE_OUTCOMES, d.outcome);
      return t('cases.timeline.chargeUpdated', {
        provision: provisionName(str(d.provision)),
        outcome: outcome ? t(`cases.justice.outcomes.${outcome}`) : '',
      });
    }
    default: {
      const status = entry.kind.startsWith('service_referral.')
        ? oneOf(SERVICE_REFERRAL_STATUSES, entry.kind.slice('service_referral.'.length))
        : null;
      if (status) {
        return t(`cases.timeline.serviceReferral.${status}`, {
          need: needText,
          organisation: names.get(str(d.providerOrganisationId)) ?? t('cases.timeline.theProvider'),
        });
      }
      return t('cases.timeline.other', { kind: entry.kind });
    }
  }
}

/**
 * Who did it, in words. A referral was sent by its referrer's organisation, whoever opened the
 * case: events recorded before the timeline named the referrer credited the triage officer, so
 * for a referral received the referring organisation (known from the case's referrals) is named,
 * and the person only when they belong to it.
 */
export function whoDid(entry: TimelineEntry, detail: CaseDetail): string {
  const person = entry.actor?.displayName;
  const organisation = entry.organisation;
  if (entry.kind === 'referral.received' && entry.details.attached !== true) {
    const referral = detail.referrals.find((r) => r.id === entry.subjectId);
    if (referral) {
      const samePlace = organisation?.id === referral.organisation.id;
      return [samePlace ? person : undefined, referral.organisation.name].filter(Boolean).join(', ');
    }
  }
  return [person, organisation?.name].filter(Boolean).join(', ');
}

/** What has happened, oldest first, in words. */
export function TimelineSection({ detail }: SectionProps) {
  const { t } = useTranslation();
  const names = organisationNames(detail);
  const entries = [...detail.timeline].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="case-section" aria-labelledby="case-timeline">
      <h2 id="case-timeline" tabIndex={-1} className="section-heading">
        {t('cases.sections.timeline')}
      </h2>
      {entries.length === 0 ? <p>{t('cases.timeline.empty')}</p> : null}
      <ol className="timeline">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${entry.kind}-${String(index)}`} className="timeline-entry">
            <time dateTime={entry.at} className="timeline-time">
              {formatDateTime(entry.at, detail.region)}
            </time>
            <span className="timeline-text">{describeEvent(t, entry, names)}</span>
            {whoDid(entry, detail) ? (
              <span className="cell-note">{t('cases.timeline.by', { who: whoDid(entry, detail) })}</span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
