// The frame around every page: the header (navigation, language and theme switches, the account
// menu) and the footer. The dashboard's side navigation is in pages/dashboard/layout.tsx.
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { saveTheme, storedTheme, THEME_CHOICES, type ThemeChoice } from '../theme';

/** Only signed-in people see it: not part of a signed-out first load. */
const AccountMenu = lazy(() => import('./account-menu'));

function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="btn btn-ghost btn-small lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} aria-label={t('lang_switch_label')} lang={lang === 'en' ? 'zh-CN' : 'en'}>
      <span aria-hidden="true">文/A</span> {t('lang_switch')}
    </button>
  );
}

const THEME_ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles the colour theme: as the system, light, dark. */
function ThemeSwitch() {
  const { t } = useI18n();
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
  const label = t('theme_label', { mode: t(`theme_${choice}`), next: t(`theme_${next}`) });
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small theme-switch"
      data-theme-choice={choice}
      aria-label={label}
      title={label}
      onClick={() => {
        saveTheme(next);
        setChoice(next);
      }}
    >
      <span aria-hidden="true">{THEME_ICON[choice]}</span>
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

export function NavLink({ to, children, exact }: { to: string; children: ReactNode; exact?: boolean }) {
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
          <span className="sr-only">{t('nav_menu')}</span>
        </button>
        <nav id="site-nav" className={`site-nav ${open ? 'open' : ''}`} aria-label={t('nav_main')}>
          <NavLink to="/models">{t('nav_models')}</NavLink>
          <NavLink to="/pricing">{t('nav_pricing')}</NavLink>
          <NavLink to="/docs">{t('nav_docs')}</NavLink>
          <NavLink to="/dashboard/playground">{t('nav_playground')}</NavLink>
          <span className="nav-spacer" />
          {/* The account part first: its width changes when the session is known, and the
              switches after it stay put (no layout shift). */}
          <span className="nav-account">
            {loading ? null : user ? (
              <Suspense fallback={null}>
                <AccountMenu />
              </Suspense>
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
          </span>
          <LangSwitch />
          <ThemeSwitch />
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
          <Link to="/docs">{t('nav_docs')}</Link>
          <Link to="/dashboard">{t('nav_dashboard')}</Link>
          <span className="muted">
            {t('footer_api')} <code>{window.location.origin}/api/v1</code>
          </span>
        </div>
      </div>
    </footer>
  );
}
