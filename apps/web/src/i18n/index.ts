import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import {
  CLOSURE_REASON_LABELS,
  DECISION_KIND_LABELS,
  DECISION_OUTCOME_LABELS,
  NEED_TYPE_LABELS,
  ORGANISATION_KIND_LABELS,
  SERVICE_REFERRAL_STATUS_LABELS,
} from '@tiaki/domain';
import en from './en.json';

/** The screens' wording, with the workflow's labels from the domain (the server's published tables use them too). */
const translation = {
  ...en,
  organisationKinds: ORGANISATION_KIND_LABELS,
  decisions: { ...en.decisions, kinds: DECISION_KIND_LABELS },
  statistics: { ...en.statistics, outcomes: DECISION_OUTCOME_LABELS },
  services: { ...en.services, needTypes: NEED_TYPE_LABELS },
  serviceReferrals: { ...en.serviceReferrals, statuses: SERVICE_REFERRAL_STATUS_LABELS },
  cases: { ...en.cases, closure: { ...en.cases.closure, reasons: CLOSURE_REASON_LABELS } },
};

export const defaultNS = 'translation';
export const resources = { en: { translation } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: typeof defaultNS;
    resources: (typeof resources)['en'];
  }
}

void i18n.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en'],
  resources,
  defaultNS,
  initAsync: false,
  // React escapes text itself.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Keeps <html lang> in step with the language in use. */
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
