// What an admin may do to an account, as buttons with their confirmation dialogs: grant credits,
// set a password, make or unmake an admin, disable or enable. Actions the server would refuse
// (disabling yourself, taking away your own admin rights) are not offered.
import { useState } from 'react';
import { ConfirmDialog, Field } from '../../components/ui';
import { post } from '../../api';
import { fmtCredits } from '../../format';
import { useAction } from '../../hooks';
import { useI18n } from '../../i18n';
import { useAdminText } from './messages';

export interface AdminUser {
  id: string;
  email: string;
  is_admin: boolean;
  disabled: boolean;
  balance: number;
  reserved: number;
  created_at: string;
}

type Kind = 'grant' | 'password' | 'admin' | 'disable';

export function UserActions({ user, selfId, actions, onChanged }: { user: AdminUser; selfId?: string; actions: Kind[]; onChanged(notice: string): void }) {
  const { t, lang } = useI18n();
  const a = useAdminText();
  const [open, setOpen] = useState<Kind | null>(null);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();
  const self = user.id === selfId;
  const path = `/api/admin/users/${encodeURIComponent(user.id)}`;
  const close = () => {
    setOpen(null);
    setError(undefined);
  };
  const done = (notice: string) => {
    close();
    onChanged(notice);
  };

  const confirm = () =>
    run(async () => {
      if (open === 'grant') {
        const r = await post<{ balance: number }>(`${path}/grant`, { amount: Number(amount), note: note.trim() });
        setAmount('');
        setNote('');
        done(t('admin_grant_ok', { email: user.email, balance: fmtCredits(r.balance, lang) }));
      } else if (open === 'password') {
        await post(`${path}/password`, { password });
        setPassword('');
        done(a('user_password_set', { email: user.email }));
      } else if (open === 'admin') {
        await post(`${path}/admin`, { admin: !user.is_admin });
        done('');
      } else if (open === 'disable') {
        await post(`${path}/disable`, { disabled: !user.disabled });
        done('');
      }
    });

  // Enabling again needs no confirmation.
  const enable = () => run(async () => (await post(`${path}/disable`, { disabled: false }), onChanged('')));

  return (
    <>
      {actions.includes('grant') && (
        <button type="button" className="btn btn-small" onClick={() => setOpen('grant')} aria-label={`${t('admin_grant')}: ${user.email}`}>
          {t('admin_grant_short')}
        </button>
      )}
      {actions.includes('password') && (
        <button type="button" className="btn btn-small" onClick={() => setOpen('password')}>
          {a('user_set_password')}
        </button>
      )}
      {actions.includes('admin') && !(self && user.is_admin) && (
        <button type="button" className="btn btn-small" onClick={() => setOpen('admin')}>
          {user.is_admin ? a('user_remove_admin') : a('user_make_admin')}
        </button>
      )}
      {actions.includes('disable') &&
        !self &&
        (user.disabled ? (
          <button type="button" className="btn btn-small" onClick={enable} disabled={busy}>
            {t('admin_enable')}
          </button>
        ) : (
          <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setOpen('disable')}>
            {t('admin_disable')}
          </button>
        ))}

      <ConfirmDialog
        open={open === 'grant'}
        title={t('admin_grant_title', { email: user.email })}
        confirmLabel={t('admin_grant')}
        busy={busy || !amount || Number(amount) === 0}
        error={error}
        onConfirm={confirm}
        onCancel={close}
      >
        <Field label={t('admin_grant_amount')} hint={t('admin_grant_amount_hint')}>
          {(id, hint) => <input id={id} type="number" step="any" required value={amount} aria-describedby={hint} onChange={(e) => setAmount(e.target.value)} />}
        </Field>
        <Field label={t('admin_grant_note')} hint={t('admin_grant_note_hint')}>
          {(id, hint) => <input id={id} required value={note} maxLength={200} aria-describedby={hint} onChange={(e) => setNote(e.target.value)} />}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={open === 'password'}
        title={a('user_set_password_title', { email: user.email })}
        body={a('user_set_password_body')}
        confirmLabel={a('user_set_password')}
        busy={busy || password.length < 8}
        error={error}
        onConfirm={confirm}
        onCancel={close}
      >
        <Field label={a('user_new_password')}>
          {(id) => <input id={id} type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={open === 'admin'}
        title={user.is_admin ? a('user_remove_admin_title', { email: user.email }) : a('user_make_admin_title', { email: user.email })}
        body={user.is_admin ? undefined : a('user_make_admin_body')}
        confirmLabel={user.is_admin ? a('user_remove_admin') : a('user_make_admin')}
        danger={user.is_admin}
        busy={busy}
        error={error}
        onConfirm={confirm}
        onCancel={close}
      />
      <ConfirmDialog
        open={open === 'disable'}
        title={t('admin_disable_title', { email: user.email })}
        body={t('admin_disable_body')}
        confirmLabel={t('admin_disable')}
        danger
        busy={busy}
        error={error}
        onConfirm={confirm}
        onCancel={close}
      />
    </>
  );
}
