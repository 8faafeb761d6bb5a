// Routes: public pages, sign-in, the docs and the dashboard. Every page is its own chunk, loaded
// when it is opened: the first load is React and this frame, plus the page asked for (and never
// the dashboard's code on a public page).
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { Footer, Header } from './components/layout';
import { ButtonLink, EmptyState, Loading } from './components/ui/basic';
import { useTitle } from './hooks';
import { useI18n } from './i18n';
import { match, navigate, useLocation } from './router';

const Home = lazy(() => import('./pages/public/Home').then((m) => ({ default: m.Home })));
const Catalog = lazy(() => import('./pages/public/Catalog').then((m) => ({ default: m.Catalog })));
const ModelPage = lazy(() => import('./pages/public/ModelPage').then((m) => ({ default: m.ModelPage })));
const Pricing = lazy(() => import('./pages/public/Pricing').then((m) => ({ default: m.Pricing })));
const AuthPage = lazy(() => import('./pages/Auth').then((m) => ({ default: m.AuthPage })));
const ResetPassword = lazy(() => import('./pages/reset/ResetPassword').then((m) => ({ default: m.ResetPassword })));
const Docs = lazy(() => import('./pages/docs/Docs'));
const DashboardPages = lazy(() => import('./pages/dashboard'));

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

/** What a page shows while its chunk loads: as tall as a page, so the footer does not jump. */
function PageFallback() {
  return (
    <div className="container page-fallback">
      <Loading height={400} />
    </div>
  );
}

type Route = [string, (p: Record<string, string>) => ReactNode];

const ROUTES: Route[] = [
  ['/', () => <Home />],
  ['/models', () => <Catalog />],
  ['/models/:id', (p) => <ModelPage id={p.id!} />],
  ['/pricing', () => <Pricing />],
  ['/docs', () => <Docs />],
  ['/signin', () => <AuthPage mode="signin" />],
  ['/signup', () => <AuthPage mode="signup" />],
  ['/reset-password', () => <ResetPassword />],
  ['/playground', () => <Redirect to="/dashboard/playground" />],
];

const isDashboard = (path: string) => /^\/(dashboard|admin)(\/|$)/.test(path);

export function App() {
  const { path } = useLocation();
  const { t } = useI18n();
  const first = useRef(true);
  let page: ReactNode = <NotFound />;
  if (isDashboard(path)) page = <DashboardPages path={path.replace(/\/+$/, '') || '/'} notFound={<NotFound />} />;
  else
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
      <main id="main">
        <Suspense fallback={<PageFallback />}>{page}</Suspense>
      </main>
      <Footer />
    </>
  );
}
