import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
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
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
        </SessionProvider>
      </BrowserRouter>
    </ErrorBoundary>
  );
}
