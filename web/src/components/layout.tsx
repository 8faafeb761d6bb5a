// The frame around every page: header with navigation and language switch, footer, and the
// dashboard's side navigation.
import { type ReactNode, useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { Icon, type IconName } from './icons';
import { Loading } from './ui';

function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="btn btn-ghost btn-small lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} aria-label={t('lang_switch_label')} lang={lang === 'en' ? 'zh-CN' : 'en'}>
      <span aria-hidden="true">文/A</span> {t('lang_switch')}
    </button>
  );
}

function Logo() {
  return (
    <Link to="/" className="logo" aria-label="API in One">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path d="M9 23l7-14 7 14M12 18h8" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>API in One</span>
    </Link>
  );
}

function NavLink({ to, children, exact }: { to: string; children: ReactNode; exact?: boolean }) {
  const { path } = useLocation();
  const active = exact ? path === to : path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function Header() {
  const { t } = useI18n();
  const { user, loading } = useSession();
  const [open, setOpen] = useState(false);
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Logo />
        <button type="button" className="btn btn-ghost btn-small menu-toggle" aria-expanded={open} aria-controls="site-nav" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span>
          <span className="sr-only">Menu</span>
        </button>
        <nav id="site-nav" className={`site-nav ${open ? 'open' : ''}`} aria-label={t('nav_main')}>
          <NavLink to="/models">{t('nav_models')}</NavLink>
          <NavLink to="/pricing">{t('nav_pricing')}</NavLink>
          <NavLink to="/dashboard/playground">{t('nav_playground')}</NavLink>
          <span className="nav-spacer" />
          <LangSwitch />
          {loading ? (
            <span className="nav-placeholder" />
          ) : user ? (
            <Link to="/dashboard" className="btn btn-small btn-primary">
              {t('nav_dashboard')}
            </Link>
          ) : (
            <>
              <Link to="/signin" className="btn btn-small btn-ghost">
                {t('nav_sign_in')}
              </Link>
              <Link to="/signup" className="btn btn-small btn-primary">
                {t('nav_sign_up')}
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <div>
          <strong>API in One</strong>
          <p className="muted">{t('footer_tagline')}</p>
        </div>
        <div className="footer-links">
          <Link to="/models">{t('nav_models')}</Link>
          <Link to="/pricing">{t('nav_pricing')}</Link>
          <Link to="/dashboard">{t('nav_dashboard')}</Link>
          <span className="muted">
            {t('footer_api')}: <code>{window.location.origin}/api/v1</code>
          </span>
        </div>
      </div>
    </footer>
  );
}

const DASH_LINKS: [string, MessageKey, IconName][] = [
  ['/dashboard', 'dash_overview', 'overview'],
  ['/dashboard/playground', 'dash_playground', 'playground'],
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
  if (loading || !user) return <div className="container"><Loading height={400} /></div>;
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
