// The signed-in person's menu in the header (its own small chunk).
import '../i18n/en-account';
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';

/** The signed-in person's menu: who they are, dashboard, profile, admin (for admins), sign out. */
export default function AccountMenu() {
  const { t } = useI18n();
  const { user, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    const escape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      ref.current?.querySelector('button')?.focus();
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  if (!user) return null;
  return (
    <div className="account-menu" ref={ref}>
      <button type="button" className="btn btn-small account-button" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen(!open)} aria-label={t('account_menu', { email: user.email })}>
        <span className="avatar" aria-hidden="true">
          {user.email.charAt(0).toUpperCase()}
        </span>
        <span className="account-email" aria-hidden="true">
          {user.email}
        </span>
        <span aria-hidden="true" className="caret">
          ▾
        </span>
      </button>
      <div id={menuId} className="account-popover" hidden={!open}>
        <div className="account-who">
          <span className="muted small">{t('account_signed_in_as')}</span>
          <strong className="truncate">{user.email}</strong>
        </div>
        <Link to="/dashboard">{t('nav_dashboard')}</Link>
        <Link to="/dashboard/keys">{t('dash_keys')}</Link>
        <Link to="/dashboard/profile">{t('dash_profile')}</Link>
        {user.is_admin && <Link to="/admin">{t('dash_admin')}</Link>}
        <button
          type="button"
          className="account-signout"
          onClick={async () => {
            setOpen(false);
            await signOut();
            navigate('/');
          }}
        >
          {t('nav_sign_out')}
        </button>
      </div>
    </div>
  );
}

