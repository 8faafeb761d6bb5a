import { type FormEvent, useState } from 'react';
import { Alert, ErrorMessage } from '../../components/ui/basic';
import { Field } from '../../components/ui/form';
import { Card, PageHeader } from '../../components/ui/page';
import { dashboardApi } from '../../dashboard-api';
import { fmtDate } from '../../format';
import { useAction, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { useSession } from '../../session';

export function Profile() {
  const { t, lang } = useI18n();
  const { user, signOut } = useSession();
  useTitle(t('profile_title'));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setError, run } = useAction();
  const [ok, setOk] = useState(false);

  function change(e: FormEvent) {
    e.preventDefault();
    setOk(false);
    if (next !== repeat) {
      setError(new Error(t('pw_mismatch')));
      return;
    }
    void run(async () => {
      await dashboardApi.changePassword(current, next);
      setOk(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    });
  }

  if (!user) return null;
  return (
    <>
      <PageHeader title={t('profile_title')} />
      <Card>
        <dl className="kv">
          <dt>{t('profile_email')}</dt>
          <dd data-testid="profile-email">{user.email}</dd>
          <dt>{t('profile_created')}</dt>
          <dd>{fmtDate(user.created_at, lang, false)}</dd>
          <dt>{t('profile_role')}</dt>
          <dd>{user.is_admin ? t('role_admin') : t('role_user')}</dd>
        </dl>
      </Card>
      <Card title={t('pw_title')}>
        <form onSubmit={change} className="narrow-form">
          <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <Field label={t('pw_current')}>{(id) => <input id={id} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />}</Field>
          <Field label={t('pw_new')} hint={t('password_hint')}>
            {(id, hint) => <input id={id} type="password" autoComplete="new-password" required minLength={8} aria-describedby={hint} value={next} onChange={(e) => setNext(e.target.value)} />}
          </Field>
          <Field label={t('pw_confirm')}>{(id) => <input id={id} type="password" autoComplete="new-password" required minLength={8} value={repeat} onChange={(e) => setRepeat(e.target.value)} />}</Field>
          <ErrorMessage error={error} />
          {ok && <Alert kind="success">{t('pw_ok')}</Alert>}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('pw_submit')}
          </button>
        </form>
      </Card>
      <Card title={t('signout_title')}>
        <div className="row-actions spread">
          <span className="muted">{t('signout_body')}</span>
          <button
            type="button"
            className="btn"
            onClick={async () => {
              await signOut();
              navigate('/');
            }}
          >
            {t('nav_sign_out')}
          </button>
        </div>
      </Card>
    </>
  );
}
