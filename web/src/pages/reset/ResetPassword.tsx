// /reset-password: without a token, asks for a reset link by e-mail (when the server can send
// one); with `?token=...` (the link in that e-mail), sets the new password. Setting it ends every
// session of the account, so the page signs this browser out too and sends the person to sign in.
import '../../i18n/en-auth';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api';
import { Alert, ErrorMessage, Loading } from '../../components/ui/basic';
import { Field } from '../../components/ui/form';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { usePageMessages } from '../../i18n/page-messages';
import { Link, useLocation } from '../../router';
import { useSession } from '../../session';
import { resetApi } from './api';
import { resetMessages } from './messages';

export function ResetPassword() {
  const { search } = useLocation();
  const token = search.get('token');
  return <div className="container auth-page">{token ? <NewPassword token={token} /> : <AskForLink />}</div>;
}

function AskForLink() {
  const { t } = useI18n();
  const r = usePageMessages(resetMessages);
  useTitle(r('reset_request_title'));
  const enabled = useAsync(() => resetApi.emailEnabled(), []);
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await resetApi.request(email.trim());
      setSentTo(email.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card auth-card" onSubmit={submit}>
      <h1 tabIndex={-1}>{r('reset_request_title')}</h1>
      {enabled.error ? (
        <ErrorMessage error={enabled.error} onRetry={enabled.reload} />
      ) : enabled.data === undefined ? (
        <Loading height={180} />
      ) : !enabled.data ? (
        <Alert kind="info">{r('reset_unavailable')}</Alert>
      ) : sentTo ? (
        <Alert kind="success">{r('reset_request_sent', { email: sentTo })}</Alert>
      ) : (
        <>
          <p className="muted">{r('reset_request_lead')}</p>
          <ErrorMessage error={error} />
          <Field label={t('email')}>
            {(id) => <input id={id} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}
          </Field>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? r('reset_requesting') : r('reset_request_submit')}
          </button>
        </>
      )}
      <p className="muted center">
        <Link to="/signin">{r('reset_back_to_sign_in')}</Link>
      </p>
    </form>
  );
}

function NewPassword({ token }: { token: string }) {
  const { t } = useI18n();
  const r = usePageMessages(resetMessages);
  const { user, refresh } = useSession();
  useTitle(r('reset_title'));
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const invalidToken = error instanceof ApiError && error.code === 'invalid_reset_token';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) {
      setError(new Error(r('reset_mismatch')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await resetApi.confirm(token, password);
      setDone(true);
      // Every session of the account has ended: this browser's too, if it was signed in.
      if (user) await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (done)
    return (
      <div className="card auth-card" data-testid="reset-done">
        <h1 tabIndex={-1}>{r('reset_done_title')}</h1>
        <p className="muted">{r('reset_done_body')}</p>
        <Link to="/signin" className="btn btn-primary btn-block">
          {t('nav_sign_in')}
        </Link>
      </div>
    );

  return (
    <form className="card auth-card" onSubmit={submit}>
      <h1 tabIndex={-1}>{r('reset_title')}</h1>
      <p className="muted">{r('reset_lead')}</p>
      {invalidToken ? (
        <Alert kind="error">
          {r('reset_invalid')} <Link to="/reset-password">{r('reset_ask_again')}</Link>
        </Alert>
      ) : (
        <ErrorMessage error={error} />
      )}
      <Field label={r('reset_new_password')} hint={t('password_hint')}>
        {(id, hint) => (
          <input
            id={id}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby={hint}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
          />
        )}
      </Field>
      <Field label={r('reset_repeat_password')}>
        {(id) => <input id={id} name="password-repeat" type="password" autoComplete="new-password" required minLength={8} value={repeat} onChange={(e) => setRepeat(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? r('reset_saving') : r('reset_submit')}
      </button>
      <p className="muted center">
        <Link to="/signin">{r('reset_back_to_sign_in')}</Link>
      </p>
    </form>
  );
}
