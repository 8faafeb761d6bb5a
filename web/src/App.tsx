// Routes: public pages, sign-in, the dashboard and (lazily loaded) admin pages.
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { DashboardLayout, Footer, Header } from './components/layout';
import { ButtonLink, EmptyState, Loading } from './components/ui';
import { useTitle } from './hooks';
import { useI18n } from './i18n';
import { AuthPage } from './pages/Auth';
import { Billing } from './pages/dashboard/Billing';
import { Credits } from './pages/dashboard/Credits';
import { Keys } from './pages/dashboard/Keys';
import { Overview } from './pages/dashboard/Overview';
import { Playground } from './pages/dashboard/Playground';
import { Profile } from './pages/dashboard/Profile';
import { TaskDetail } from './pages/dashboard/TaskDetail';
import { Usage } from './pages/dashboard/Usage';
import { Catalog } from './pages/public/Catalog';
import { Home } from './pages/public/Home';
import { ModelPage } from './pages/public/ModelPage';
import { Pricing } from './pages/public/Pricing';
import { match, navigate, useLocation } from './router';

const Admin = lazy(() => import('./pages/admin/Admin'));

function NotFound() {
  const { t } = useI18n();
  useTitle(t('not_found_title'));
  return (
    <div className="container page">
      <EmptyState title={<span tabIndex={-1}>{t('not_found_title')}</span>} action={<ButtonLink to="/">{t('back_home')}</ButtonLink>} icon="?">
        {t('not_found_body')}
      </EmptyState>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

type Route = [string, (p: Record<string, string>) => ReactNode];

const dash = (node: ReactNode) => <DashboardLayout>{node}</DashboardLayout>;

const ROUTES: Route[] = [
  ['/', () => <Home />],
  ['/models', () => <Catalog />],
  ['/models/:id', (p) => <ModelPage id={p.id!} />],
  ['/pricing', () => <Pricing />],
  ['/signin', () => <AuthPage mode="signin" />],
  ['/signup', () => <AuthPage mode="signup" />],
  ['/playground', () => <Redirect to="/dashboard/playground" />],
  ['/dashboard', () => dash(<Overview />)],
  ['/dashboard/playground', () => dash(<Playground />)],
  ['/dashboard/keys', () => dash(<Keys />)],
  ['/dashboard/usage', () => dash(<Usage />)],
  ['/dashboard/usage/:id', (p) => dash(<TaskDetail id={p.id!} />)],
  ['/dashboard/credits', () => dash(<Credits />)],
  ['/dashboard/billing', () => dash(<Billing />)],
  ['/dashboard/profile', () => dash(<Profile />)],
  ['/admin', () => admin('users')],
  ['/admin/:tab', (p) => admin(p.tab!)],
];

function admin(tab: string) {
  return (
    <DashboardLayout admin>
      <Suspense fallback={<Loading height={400} />}>
        <Admin tab={tab} />
      </Suspense>
    </DashboardLayout>
  );
}

export function App() {
  const { path } = useLocation();
  const { t } = useI18n();
  const first = useRef(true);
  let page: ReactNode = <NotFound />;
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }
  // After a client-side navigation, move focus to the new page's heading (screen readers
  // announce it; keyboard users start from the top).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = requestAnimationFrame(() => (document.querySelector('main h1') as HTMLElement | null)?.focus({ preventScroll: true }));
    return () => cancelAnimationFrame(id);
  }, [path]);
  return (
    <>
      <a href="#main" className="skip-link">
        {t('skip_to_content')}
      </a>
      <Header />
      <main id="main">{page}</main>
      <Footer />
    </>
  );
}
