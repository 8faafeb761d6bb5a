// The dashboard and admin pages: one chunk, loaded when a signed-in page is opened (public pages
// never download it). It brings its own strings.
import '../../i18n/dashboard';
import { lazy, type ReactNode, Suspense } from 'react';
import { Loading } from '../../components/ui/basic';
import { match } from '../../router';
import { Billing } from './Billing';
import { ChatPlayground } from './ChatPlayground';
import { Credits } from './Credits';
import { Keys } from './Keys';
import { DashboardLayout } from './layout';
import { Overview } from './Overview';
import { Playground } from './Playground';
import { Profile } from './Profile';
import { TaskDetail } from './TaskDetail';
import { Usage } from './Usage';

const Admin = lazy(() => import('../admin/Admin'));

const ROUTES: [string, (p: Record<string, string>) => ReactNode][] = [
  ['/dashboard', () => <Overview />],
  ['/dashboard/playground', () => <Playground />],
  ['/dashboard/chat', () => <ChatPlayground />],
  ['/dashboard/keys', () => <Keys />],
  ['/dashboard/usage', () => <Usage />],
  ['/dashboard/usage/:id', (p) => <TaskDetail id={p.id!} />],
  ['/dashboard/credits', () => <Credits />],
  ['/dashboard/billing', () => <Billing />],
  ['/dashboard/profile', () => <Profile />],
];

/** Whether `path` is a dashboard or admin page (the app shows its not-found page otherwise). */
export function isDashboardPath(path: string): boolean {
  return ROUTES.some(([pattern]) => match(pattern, path)) || match('/admin', path) !== null || match('/admin/:tab', path) !== null;
}

export default function DashboardPages({ path, notFound }: { path: string; notFound: ReactNode }) {
  const admin = match('/admin', path) ?? match('/admin/:tab', path);
  if (admin)
    return (
      <DashboardLayout admin>
        <Suspense fallback={<Loading height={400} />}>
          <Admin tab={admin.tab ?? 'users'} />
        </Suspense>
      </DashboardLayout>
    );
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return <DashboardLayout>{render(params)}</DashboardLayout>;
  }
  return <>{notFound}</>;
}
