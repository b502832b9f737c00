import { lazy, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import type { Permission } from '@tiaki/domain';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Lazy } from './components/Lazy.tsx';
import { Layout } from './components/Layout.tsx';
import { RequirePermission } from './components/RequirePermission.tsx';
import { ErrorPage, NotFoundPage } from './components/StatusPages.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage.tsx';
import { MfaEnrolPage } from './features/auth/MfaEnrolPage.tsx';
import { MfaVerifyPage } from './features/auth/MfaVerifyPage.tsx';
import { SIGN_IN_PATH, STAGE_PATHS } from './features/auth/paths.ts';
import { SessionGate } from './features/auth/SessionGate.tsx';
import { SessionProvider } from './features/auth/session.tsx';
import { SignInPage } from './features/auth/SignInPage.tsx';
import { HomePage } from './features/home/HomePage.tsx';
import { ImportPage } from './features/imports/ImportPage.tsx';
import { OrganisationsPage } from './features/organisations/OrganisationsPage.tsx';
import { DraftsPage } from './features/referrals/DraftsPage.tsx';
import { MyReferralsPage } from './features/referrals/MyReferralsPage.tsx';
import { NewReferralPage } from './features/referrals/NewReferralPage.tsx';
import { SubmittedPage } from './features/referrals/SubmittedPage.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';

/** A page whose code loads when it is first opened, keeping the first download small. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const TriageQueuePage = lazyPage(() => import('./features/triage/TriageQueuePage.tsx'), 'TriageQueuePage');
const TriageEntryPage = lazyPage(() => import('./features/triage/TriageReferralPage.tsx'), 'TriageEntryPage');
const AttachRequestsPage = lazyPage(
  () => import('./features/triage/AttachRequestsPage.tsx'),
  'AttachRequestsPage',
);
const CasesPage = lazyPage(() => import('./features/cases/CasesPage.tsx'), 'CasesPage');
const CasePage = lazyPage(() => import('./features/cases/CasePage.tsx'), 'CasePage');
const CaseReferralPage = lazyPage(() => import('./features/cases/CaseReferralPage.tsx'), 'CaseReferralPage');
const DecisionsBoardPage = lazyPage(
  () => import('./features/decisions/DecisionsBoardPage.tsx'),
  'DecisionsBoardPage',
);
const ServicesPage = lazyPage(() => import('./features/services/ServicesPage.tsx'), 'ServicesPage');
const ProviderInboxPage = lazyPage(
  () => import('./features/services/ProviderInboxPage.tsx'),
  'ProviderInboxPage',
);
const ServiceReferralPage = lazyPage(
  () => import('./features/services/ServiceReferralPage.tsx'),
  'ServiceReferralPage',
);
const NotificationsPage = lazyPage(
  () => import('./features/notifications/NotificationsPage.tsx'),
  'NotificationsPage',
);
const StatisticsPage = lazyPage(() => import('./features/statistics/StatisticsPage.tsx'), 'StatisticsPage');
const DataQualityPage = lazyPage(
  () => import('./features/statistics/DataQualityPage.tsx'),
  'DataQualityPage',
);
const MatchingModelPage = lazyPage(
  () => import('./features/statistics/MatchingModelPage.tsx'),
  'MatchingModelPage',
);
const IwiPage = lazyPage(() => import('./features/statistics/IwiPage.tsx'), 'IwiPage');
const TrendsPage = lazyPage(() => import('./features/statistics/TrendsPage.tsx'), 'TrendsPage');
const PublicationsPage = lazyPage(
  () => import('./features/statistics/PublicationsPage.tsx'),
  'PublicationsPage',
);
const ExtractsPage = lazyPage(() => import('./features/extracts/ExtractsPage.tsx'), 'ExtractsPage');
const ExtractPage = lazyPage(() => import('./features/extracts/ExtractPage.tsx'), 'ExtractPage');
const EXTRACT_PERMISSIONS = ['extracts.request', 'extracts.approve', 'extracts.approve_maori'] as const;
const BreakGlassPage = lazyPage(() => import('./features/privacy/BreakGlassPage.tsx'), 'BreakGlassPage');
const PrivacyRequestPage = lazyPage(
  () => import('./features/privacy/PrivacyRequestPage.tsx'),
  'PrivacyRequestPage',
);

/** A route for holders of a permission, its page loaded on demand. */
function guarded(permission: Permission | readonly Permission[] | null, Screen: ComponentType) {
  const page = (
    <Lazy>
      <Screen />
    </Lazy>
  );
  return permission ? <RequirePermission permission={permission}>{page}</RequirePermission> : page;
}

export function App() {
  return (
    <ErrorBoundary
      fallback={
        <main id="main" className="main" tabIndex={-1}>
          <ErrorPage />
        </main>
      }
    >
      <BrowserRouter>
        <SessionProvider>
          <Routes>
            <Route element={<Layout />}>
              <Route element={<SessionGate />}>
                <Route path={SIGN_IN_PATH} element={<SignInPage />} />
                <Route path={STAGE_PATHS.password_change} element={<ChangePasswordPage />} />
                <Route path={STAGE_PATHS.mfa_enrol} element={<MfaEnrolPage />} />
                <Route path={STAGE_PATHS.mfa_verify} element={<MfaVerifyPage />} />
                <Route index element={<HomePage />} />
                <Route
                  path="/organisations"
                  element={
                    <RequirePermission permission="organisations.read">
                      <OrganisationsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/users"
                  element={
                    <RequirePermission permission="users.read">
                      <UsersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/audit"
                  element={
                    <RequirePermission permission="audit.read">
                      <AuditPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/referrals/new"
                  element={
                    <RequirePermission permission="referrals.create">
                      <NewReferralPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/referrals/drafts"
                  element={
                    <RequirePermission permission="referrals.create">
                      <DraftsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/referrals/:id/submitted"
                  element={
                    <RequirePermission permission="referrals.create">
                      <SubmittedPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/referrals/import"
                  element={
                    <RequirePermission permission="referrals.import">
                      <ImportPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/referrals/mine"
                  element={
                    <RequirePermission permission="referrals.read_own">
                      <MyReferralsPage />
                    </RequirePermission>
                  }
                />
                <Route path="/triage" element={guarded('referrals.triage', TriageQueuePage)} />
                <Route path="/triage/:referralId" element={guarded(null, TriageEntryPage)} />
                <Route path="/attach-requests" element={guarded('cases.read', AttachRequestsPage)} />
                <Route path="/cases" element={guarded('cases.read', CasesPage)} />
                <Route path="/cases/:id" element={guarded('cases.read', CasePage)} />
                <Route
                  path="/cases/:id/referrals/:referralId"
                  element={guarded('cases.read', CaseReferralPage)}
                />
                <Route path="/decisions" element={guarded('cases.read', DecisionsBoardPage)} />
                <Route path="/services" element={guarded(null, ServicesPage)} />
                <Route
                  path="/service-referrals"
                  element={guarded('service_referrals.respond', ProviderInboxPage)}
                />
                <Route path="/service-referrals/:id" element={guarded(null, ServiceReferralPage)} />
                <Route path="/notifications" element={guarded(null, NotificationsPage)} />
                <Route
                  path="/break-glass"
                  element={guarded(['break_glass.review', 'cases.break_glass'], BreakGlassPage)}
                />
                <Route
                  path="/privacy-requests"
                  element={guarded(['privacy.export', 'privacy.approve'], PrivacyRequestPage)}
                />
                <Route path="/statistics" element={guarded('statistics.read', StatisticsPage)} />
                <Route path="/statistics/trends" element={guarded('statistics.read', TrendsPage)} />
                <Route
                  path="/statistics/data-quality"
                  element={guarded('statistics.exact', DataQualityPage)}
                />
                <Route path="/statistics/iwi" element={guarded('statistics.read', IwiPage)} />
                <Route
                  path="/statistics/matching-model"
                  element={guarded('linkage.model', MatchingModelPage)}
                />
                <Route
                  path="/statistics/publications"
                  element={guarded('statistics.read', PublicationsPage)}
                />
                <Route path="/extracts" element={guarded(EXTRACT_PERMISSIONS, ExtractsPage)} />
                <Route path="/extracts/:id" element={guarded(EXTRACT_PERMISSIONS, ExtractPage)} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
        </SessionProvider>
      </BrowserRouter>
    </ErrorBoundary>
  );
}
