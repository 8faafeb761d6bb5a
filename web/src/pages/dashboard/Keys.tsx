import { Icon } from '../../components/icons';
import { type FormEvent, useState } from 'react';
import { Alert, Badge, ButtonLink, Card, ConfirmDialog, CopyButton, DataTable, EmptyState, ErrorMessage, Field, Loaded, PageHeader } from '../../components/ui';
import { dashboardApi } from '../../api';
import { fmtCredits, fmtDate } from '../../format';
import { useAction, useAsync, useTitle } from '../../hooks';
import { localize, useI18n } from '../../i18n';
import { useModels } from '../../models';
import { forgetPlaygroundKey, loadPlaygroundKey, savePlaygroundKey } from '../../playground-key';
import { useSession } from '../../session';
import type { ApiKey } from '../../types';

export function keyState(k: ApiKey): 'active' | 'revoked' | 'expired' {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at).getTime() <= Date.now()) return 'expired';
  return 'active';
}

function CreateKeyForm({ onCreated }: { onCreated(key: ApiKey & { key: string }): void }) {
  const { t, lang } = useI18n();
  const models = useModels();
  const [name, setName] = useState('');
  const [live, setLive] = useState(false);
  const [expires, setExpires] = useState('');
  const [limit, setLimit] = useState('');
  const [allowed, setAllowed] = useState<string[]>([]);
  const { busy, error, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const created = await dashboardApi.createKey({
        name: name.trim() || undefined,
        test: !live,
        // The end of the chosen day, in the person's own time zone.
        expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
        credit_limit: limit ? Number(limit) : undefined,
        allowed_models: allowed.length ? allowed : undefined,
      });
      setName('');
      setExpires('');
      setLimit('');
      setAllowed([]);
      onCreated(created);
    });
  }

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <form onSubmit={submit} className="form-grid" aria-label={t('keys_create_title')}>
      <Field label={t('key_name')} optional>
        {(id) => <input id={id} name="name" value={name} maxLength={100} placeholder={t('key_name_placeholder')} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <fieldset className="field">
        <legend>{t('key_mode')}</legend>
        <div className="segmented">
          <label className={!live ? 'on' : ''}>
            <input type="radio" name="mode" value="test" checked={!live} onChange={() => setLive(false)} />
            <span>
              <strong>{t('key_mode_test')}</strong> <span className="muted small">{t('key_mode_test_hint')}</span>
            </span>
          </label>
          <label className={live ? 'on' : ''}>
            <input type="radio" name="mode" value="live" checked={live} onChange={() => setLive(true)} />
            <span>
              <strong>{t('key_mode_live')}</strong> <span className="muted small">{t('key_mode_live_hint')}</span>
            </span>
          </label>
        </div>
      </fieldset>
      <Field label={t('key_expires')} optional>
        {(id) => <input id={id} name="expires" type="date" min={tomorrow} value={expires} onChange={(e) => setExpires(e.target.value)} />}
      </Field>
      <Field label={t('key_limit')} hint={t('key_limit_hint')} optional>
        {(id, hint) => <input id={id} name="credit_limit" type="number" min={0.000001} step="any" inputMode="decimal" value={limit} aria-describedby={hint} onChange={(e) => setLimit(e.target.value)} />}
      </Field>
      <fieldset className="field span-2">
        <legend>
          {t('key_models')} <span className="muted">({t('optional')})</span>
        </legend>
        <div className="checks">
          {(models.data ?? []).map((m) => (
            <label key={m.id} className="check">
              <input
                type="checkbox"
                name="allowed_models"
                value={m.id}
                checked={allowed.includes(m.id)}
                onChange={(e) => setAllowed(e.target.checked ? [...allowed, m.id] : allowed.filter((x) => x !== m.id))}
              />
              <span>
                {localize(m, lang).name} <code className="small muted">{m.id}</code>
              </span>
            </label>
          ))}
        </div>
        <div className="hint">{t('key_models_hint')}</div>
      </fieldset>
      <div className="span-2">
        <ErrorMessage error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('key_creating') : t('key_create')}
        </button>
      </div>
    </form>
  );
}

export function Keys() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  useTitle(t('keys_title'));
  const keys = useAsync(() => dashboardApi.keys(), []);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revokeAction = useAction();
  const [notice, setNotice] = useState('');

  function onCreated(k: ApiKey & { key: string }) {
    setCreated(k);
    setNotice('');
    if (user) savePlaygroundKey(user.id, { id: k.id, key: k.key, prefix: k.prefix, livemode: k.livemode, name: k.name });
    keys.reload();
  }

  const revoke = () =>
    revoking &&
    revokeAction.run(async () => {
      await dashboardApi.revokeKey(revoking.id);
      if (user && loadPlaygroundKey(user.id)?.id === revoking.id) forgetPlaygroundKey(user.id);
      if (created?.id === revoking.id) setCreated(null);
      setNotice(t('key_revoked_notice', { name: revoking.name ?? revoking.prefix }));
      setRevoking(null);
      keys.reload();
    });

  const list = keys.data?.data ?? [];
  return (
    <>
      <PageHeader title={t('keys_title')} lead={t('keys_lead')} />
      {created && (
        <section className="card new-key" aria-labelledby="new-key-title" data-testid="new-key">
          <h2 id="new-key-title">{t('key_new_title')}</h2>
          <Alert kind="warning">{t('key_new_warning')}</Alert>
          <div className="secret-row">
            <code className="secret" data-testid="new-key-value">
              {created.key}
            </code>
            <CopyButton text={created.key} className="btn btn-primary" />
          </div>
          <p className="muted small">{t('key_new_playground')}</p>
          <div className="row-actions">
            <ButtonLink to="/dashboard/playground">{t('key_new_try')} →</ButtonLink>
            <button type="button" className="btn" onClick={() => setCreated(null)}>
              {t('key_dismiss')}
            </button>
          </div>
        </section>
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
      <Card title={t('keys_create_title')}>
        <CreateKeyForm onCreated={onCreated} />
      </Card>
      <Card title={t('keys_title')}>
        <Loaded
          state={keys}
          empty={
            list.length === 0 && (
              <EmptyState title={t('keys_empty_title')} icon={<Icon name="keys" size={24} />}>
                {t('keys_empty_body')}
              </EmptyState>
            )
          }
        >
          {() => (
            <DataTable
              testId="keys-table"
              columns={[
                { label: t('key_name') },
                { label: t('key_prefix') },
                { label: t('key_mode') },
                { label: t('key_created') },
                { label: t('key_last_used') },
                { label: t('key_spent'), num: true },
                { label: t('key_status') },
                { label: t('key_actions'), srOnly: true },
              ]}
            >
              {list.map((k) => {
                const state = keyState(k);
                return (
                  <tr key={k.id} data-key-id={k.id}>
                    <td>
                      <strong>{k.name ?? '—'}</strong>
                      <div className="muted small">{k.allowed_models?.length ? k.allowed_models.join(', ') : t('key_all_models')}</div>
                    </td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{k.livemode ? <Badge tone="violet">{t('key_mode_live')}</Badge> : <Badge>{t('key_mode_test')}</Badge>}</td>
                    <td className="nowrap">{fmtDate(k.created_at, lang, false)}</td>
                    <td className="nowrap">{k.last_used_at ? fmtDate(k.last_used_at, lang) : <span className="muted">{t('never')}</span>}</td>
                    <td className="num nowrap">
                      {fmtCredits(k.spent, lang)} / {k.credit_limit !== null ? fmtCredits(k.credit_limit, lang) : <span className="muted">{t('key_no_limit')}</span>}
                    </td>
                    <td>
                      {state === 'active' ? (
                        <Badge tone="green">{t('key_active')}</Badge>
                      ) : state === 'revoked' ? (
                        <Badge tone="red">{t('key_revoked')}</Badge>
                      ) : (
                        <Badge tone="amber">{t('key_expired')}</Badge>
                      )}
                      {k.expires_at && state === 'active' && <div className="muted small nowrap">→ {fmtDate(k.expires_at, lang, false)}</div>}
                    </td>
                    <td className="actions">
                      {!k.revoked_at && (
                        <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setRevoking(k)} aria-label={`${t('key_revoke')} ${k.name ?? k.prefix}`}>
                          {t('key_revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          )}
        </Loaded>
      </Card>
      <ConfirmDialog
        open={revoking !== null}
        title={t('key_revoke_title', { name: revoking?.name ?? revoking?.prefix ?? '' })}
        body={t('key_revoke_body')}
        confirmLabel={t('key_revoke_confirm')}
        danger
        busy={revokeAction.busy}
        error={revokeAction.error}
        onConfirm={revoke}
        onCancel={() => {
          setRevoking(null);
          revokeAction.setError(undefined);
        }}
      />
    </>
  );
}
