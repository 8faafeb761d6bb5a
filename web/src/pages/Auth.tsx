import '../i18n/en-auth';
import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../components/ui/basic';
import { Field } from '../components/ui/form';
import { dashboardApi } from '../dashboard-api';
import { useTitle } from '../hooks';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { ForgotPasswordLink } from './reset/ForgotPasswordLink';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null, fallback: string): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { t } = useI18n();
  const { refresh } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const signup = mode === 'signup';
  useTitle(t(signup ? 'signup_title' : 'signin_title'));
  const next = search.get('next');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (signup) await dashboardApi.signup(email, password);
      else await dashboardApi.login(email, password);
      await refresh();
      navigate(safeNext(next, signup ? '/dashboard' : '/dashboard'));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const other = signup ? '/signin' : '/signup';
  return (
    <div className="container auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate={false}>
        <h1 tabIndex={-1}>{t(signup ? 'signup_title' : 'signin_title')}</h1>
        <p className="muted">{t(signup ? 'signup_lead' : 'signin_lead')}</p>
        <ErrorMessage error={error} />
        <Field label={t('email')}>
          {(id) => <input id={id} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}
        </Field>
        <Field label={t('password')} hint={signup ? t('password_hint') : undefined}>
          {(id, hint) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              required
              minLength={signup ? 8 : undefined}
              aria-describedby={hint}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t(signup ? 'signing_up' : 'signing_in') : t(signup ? 'signup_submit' : 'signin_submit')}
        </button>
        {!signup && <ForgotPasswordLink />}
        <p className="muted center">
          {t(signup ? 'have_account' : 'no_account')}{' '}
          <Link to={next ? `${other}?next=${encodeURIComponent(next)}` : other}>{t(signup ? 'nav_sign_in' : 'nav_sign_up')}</Link>
        </p>
      </form>
    </div>
  );
}
