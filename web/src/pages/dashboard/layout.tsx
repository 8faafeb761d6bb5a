// The dashboard's frame: its side navigation, and a sign-in for people who are not signed in.
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { Icon, type IconName } from '../../components/icons';
import { NavLink } from '../../components/layout';
import { Loading } from '../../components/ui/basic';
import { type MessageKey, useI18n } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { CHAT_NAV_KEY } from './chat-messages';

const DASH_LINKS: [string, MessageKey, IconName][] = [
  ['/dashboard', 'dash_overview', 'overview'],
  ['/dashboard/playground', 'dash_playground', 'playground'],
  ['/dashboard/chat', CHAT_NAV_KEY, 'playground'],
  ['/dashboard/keys', 'dash_keys', 'keys'],
  ['/dashboard/usage', 'dash_usage', 'usage'],
  ['/dashboard/credits', 'dash_credits', 'credits'],
  ['/dashboard/billing', 'dash_billing', 'billing'],
  ['/dashboard/profile', 'dash_profile', 'profile'],
];

/** Pages for signed-in people: sends others to sign in, then back here. */
export function DashboardLayout({ children, admin }: { children: ReactNode; admin?: boolean }) {
  const { t } = useI18n();
  const { user, loading } = useSession();
  const { href } = useLocation();
  useEffect(() => {
    if (!loading && !user) navigate(`/signin?next=${encodeURIComponent(href)}`, { replace: true });
  }, [loading, user, href]);
  if (loading || !user)
    return (
      <div className="container page-fallback">
        <Loading height={400} />
      </div>
    );
  return (
    <div className="container dash">
      <nav className="dash-nav" aria-label={t('dash_nav')}>
        {DASH_LINKS.map(([to, key, icon]) => (
          <NavLink key={to} to={to} exact={to === '/dashboard'}>
            <span className="nav-icon">
              <Icon name={icon} />
            </span>
            {t(key)}
          </NavLink>
        ))}
        {user.is_admin && (
          <NavLink to="/admin">
            <span className="nav-icon">
              <Icon name="admin" />
            </span>
            {t('dash_admin')}
          </NavLink>
        )}
      </nav>
      <div className="dash-main">{admin && !user.is_admin ? <p>{t('admin_only')}</p> : children}</div>
    </div>
  );
}
