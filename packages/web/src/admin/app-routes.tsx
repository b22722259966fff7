import type { Permission } from '@haitang/contracts';
import { Result, Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession } from '../features/auth/session';
import { useI18n } from '../i18n';
import { LazyPage } from '../features/field/lazy-boundary';
import { ConsoleLayout } from './console-layout';
import { HomePage } from './pages/home.page';
import { LoginPage } from './pages/login.page';

// Feature pages load on first visit, so the login page stays light on phones.
const OrgPage = lazy(() => import('./pages/org.page').then((m) => ({ default: m.OrgPage })));
const ResidentsPage = lazy(() => import('./pages/residents.page').then((m) => ({ default: m.ResidentsPage })));
const ImportPage = lazy(() => import('./pages/import.page').then((m) => ({ default: m.ImportPage })));
const PartyPage = lazy(() => import('./pages/party.page').then((m) => ({ default: m.PartyPage })));
const TeamsPage = lazy(() => import('./pages/teams.page').then((m) => ({ default: m.TeamsPage })));
const AlliancePage = lazy(() => import('./pages/alliance.page').then((m) => ({ default: m.AlliancePage })));
const AuditPage = lazy(() => import('./pages/audit.page').then((m) => ({ default: m.AuditPage })));
const OrdersPage = lazy(() => import('./pages/orders.page').then((m) => ({ default: m.OrdersPage })));
const OrderDetailPage = lazy(() => import('./pages/orders-detail.page').then((m) => ({ default: m.OrderDetailPage })));
// Phone-first pages: residents without an account (/report, /track) and grid workers on patrol (/field).
const ReportPage = lazy(() => import('../public/report.page').then((m) => ({ default: m.ReportPage })));
const TrackPage = lazy(() => import('../public/track.page').then((m) => ({ default: m.TrackPage })));
const FieldPage = lazy(() => import('./pages/field.page').then((m) => ({ default: m.FieldPage })));
const FieldNewPage = lazy(() => import('./pages/field-new.page').then((m) => ({ default: m.FieldNewPage })));
const ActivitiesPage = lazy(() => import('./pages/activities.page').then((m) => ({ default: m.ActivitiesPage })));
const ActivitySharePage = lazy(() => import('../public/activity-share.page').then((m) => ({ default: m.ActivitySharePage })));
const WishesPage = lazy(() => import('./pages/wishes.page').then((m) => ({ default: m.WishesPage })));
const PublicWishesPage = lazy(() => import('../public/wishes.page').then((m) => ({ default: m.PublicWishesPage })));
const VolunteersPage = lazy(() => import('./pages/volunteers.page').then((m) => ({ default: m.VolunteersPage })));
const ResidentMePage = lazy(() => import('../public/me.page').then((m) => ({ default: m.ResidentMePage })));
const ActivityQrPage = lazy(() => import('./pages/activity-qr.page').then((m) => ({ default: m.ActivityQrPage })));
// Residents' phone pages for activities (signed in with a resident account).
const ResidentActivitiesPage = lazy(() => import('../public/activities.page').then((m) => ({ default: m.ResidentActivitiesPage })));
const ResidentActivityPage = lazy(() => import('../public/activities.page').then((m) => ({ default: m.ResidentActivityPage })));
const ActivityScanPage = lazy(() => import('../public/activity-scan.page').then((m) => ({ default: m.ActivityScanPage })));
const FieldOrderPage = lazy(() => import('./pages/field-order.page').then((m) => ({ default: m.FieldOrderPage })));

/** Shows the page only when the role holds the permission. */
function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useI18n();
  if (!can(permission)) {
    return <Result status="403" title="403" subTitle={t('common.forbiddenPage')} />;
  }
  return <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>{children}</Suspense>;
}

function RequireLogin({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Spin fullscreen />;
  if (status === 'anonymous') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/report" element={<LazyPage><ReportPage /></LazyPage>} />
      <Route path="/track" element={<LazyPage><TrackPage /></LazyPage>} />
      <Route path="/a/:id" element={<LazyPage><ActivitySharePage /></LazyPage>} />
      <Route path="/wishes" element={<LazyPage><PublicWishesPage /></LazyPage>} />
      <Route path="/m/me" element={<RequireLogin><LazyPage><ResidentMePage /></LazyPage></RequireLogin>} />
      <Route path="/m/activities" element={<RequireLogin><LazyPage><ResidentActivitiesPage /></LazyPage></RequireLogin>} />
      <Route path="/m/activities/:id" element={<RequireLogin><LazyPage><ResidentActivityPage /></LazyPage></RequireLogin>} />
      <Route path="/m/activities/:id/scan" element={<RequireLogin><LazyPage><ActivityScanPage /></LazyPage></RequireLogin>} />
      <Route path="/activities/:id/qr" element={<RequireLogin><Guard permission="activity.write"><ActivityQrPage /></Guard></RequireLogin>} />
      <Route
        element={
          <RequireLogin>
            <ConsoleLayout />
          </RequireLogin>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="org" element={<Guard permission="org.read"><OrgPage /></Guard>} />
        <Route path="residents" element={<Guard permission="resident.read"><ResidentsPage /></Guard>} />
        <Route path="residents/import" element={<Guard permission="resident.import"><ImportPage /></Guard>} />
        <Route path="party" element={<Guard permission="party.read"><PartyPage /></Guard>} />
        <Route path="teams" element={<Guard permission="team.read"><TeamsPage /></Guard>} />
        <Route path="alliance" element={<Guard permission="alliance.read"><AlliancePage /></Guard>} />
        <Route path="activities" element={<Guard permission="activity.read"><ActivitiesPage /></Guard>} />
        <Route path="wish-box" element={<Guard permission="activity.read"><WishesPage /></Guard>} />
        <Route path="volunteers" element={<Guard permission="activity.read"><VolunteersPage /></Guard>} />
        <Route path="audit" element={<Guard permission="audit.read"><AuditPage /></Guard>} />
        <Route path="orders" element={<Guard permission="order.read"><OrdersPage /></Guard>} />
        <Route path="orders/:id" element={<Guard permission="order.read"><OrderDetailPage /></Guard>} />
        <Route path="field" element={<Guard permission="order.resolve"><LazyPage><FieldPage /></LazyPage></Guard>} />
        <Route path="field/new" element={<Guard permission="order.resolve"><LazyPage><FieldNewPage /></LazyPage></Guard>} />
        <Route path="field/orders/:id" element={<Guard permission="order.resolve"><LazyPage><FieldOrderPage /></LazyPage></Guard>} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
