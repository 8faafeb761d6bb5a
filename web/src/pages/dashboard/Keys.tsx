import { type FormEvent, useState } from 'react';
import { Icon } from '../../components/icons';
import { Alert, Badge, ButtonLink, EmptyState, ErrorMessage, Loaded } from '../../components/ui/basic';
import { CopyButton } from '../../components/ui/code';
import { ConfirmDialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/form';
import { Card, PageHeader } from '../../components/ui/page';
import { DataTable } from '../../components/ui/table';
import { dashboardApi } from '../../dashboard-api';
import { fmtDate } from '../../format';
import { fmtCredits } from '../../money';
import { useAction, useAsync, useStoredState, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { useModels } from '../../models';
import type { ApiKey } from '../../types';
import { keyState } from './key-state';

export { keyState } from './key-state';

/** What the key form edits; `live` only when creating (a key's mode never changes). */
interface KeyDraft {
  name: string;
  live: boolean;
  /** YYYY-MM-DD in the person's time zone, or '' for no expiry. */
  expires: string;
  /** Credits as typed, or '' for no limit. */
  limit: string;
  allowed: string[];
}

const EMPTY: KeyDraft = { name: '', live: false, expires: '', limit: '', allowed: [] };

/** A stored expiry as the date input shows it (the person's own calendar day). */
function localDay(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const draftOf = (k: ApiKey): KeyDraft => ({
  name: k.name ?? '',
  live: k.livemode,
  expires: localDay(k.expires_at),
  limit: k.credit_limit === null ? '' : String(k.credit_limit),
  allowed: k.allowed_models ?? [],
});

/** The end of the chosen day, in the person's own time zone. */
const expiryIso = (day: string) => (day ? new Date(`${day}T23:59:59`).toISOString() : null);

function KeyFields({ draft, onChange, creating, idPrefix }: { draft: KeyDraft; onChange(d: KeyDraft): void; creating: boolean; idPrefix: string }) {
  const { t, lang } = useI18n();
  const models = useModels();
  const set = (patch: Partial<KeyDraft>) => onChange({ ...draft, ...patch });
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <div className="form-grid">
      <Field label={t('key_name')} optional id={`${idPrefix}-name`}>
        {(id) => <input id={id} name="name" value={draft.name} maxLength={100} placeholder={t('key_name_placeholder')} onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      {creating ? (
        <fieldset className="field">
          <legend>{t('key_mode')}</legend>
          <div className="segmented">
            <label className={!draft.live ? 'on' : ''}>
              <input type="radio" name={`${idPrefix}-mode`} value="test" checked={!draft.live} onChange={() => set({ live: false })} />
              <span>
                <strong>{t('key_mode_test')}</strong> <span className="muted small">{t('key_mode_test_hint')}</span>
              </span>
            </label>
            <label className={draft.live ? 'on' : ''}>
              <input type="radio" name={`${idPrefix}-mode`} value="live" checked={draft.live} onChange={() => set({ live: true })} />
              <span>
                <strong>{t('key_mode_live')}</strong> <span className="muted small">{t('key_mode_live_hint')}</span>
              </span>
            </label>
          </div>
        </fieldset>
      ) : (
        <div className="field">
          <span className="label">{t('key_mode')}</span>
          <div>{draft.live ? <Badge tone="violet">{t('key_mode_live')}</Badge> : <Badge>{t('key_mode_test')}</Badge>}</div>
        </div>
      )}
      <Field label={t('key_expires')} hint={t('key_expires_hint')} optional id={`${idPrefix}-expires`}>
        {(id, hint) => <input id={id} name="expires" type="date" min={tomorrow} value={draft.expires} aria-describedby={hint} onChange={(e) => set({ expires: e.target.value })} />}
      </Field>
      <Field label={t('key_limit')} hint={t('key_limit_hint')} optional id={`${idPrefix}-limit`}>
        {(id, hint) => (
          <input id={id} name="credit_limit" type="number" min={0.000001} step="any" inputMode="decimal" value={draft.limit} aria-describedby={hint} onChange={(e) => set({ limit: e.target.value })} />
        )}
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
                checked={draft.allowed.includes(m.id)}
                onChange={(e) => set({ allowed: e.target.checked ? [...draft.allowed, m.id] : draft.allowed.filter((x) => x !== m.id) })}
              />
              <span>
                {localize(m, lang).name} <code className="small muted">{m.id}</code>
              </span>
            </label>
          ))}
        </div>
        <div className="hint">{t('key_models_hint')}</div>
      </fieldset>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated(key: ApiKey & { key: string }): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<KeyDraft>(EMPTY);
  const { busy, error, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const created = await dashboardApi.createKey({
        name: draft.name.trim() || undefined,
        test: !draft.live,
        expires_at: expiryIso(draft.expires) ?? undefined,
        credit_limit: draft.limit ? Number(draft.limit) : undefined,
        allowed_models: draft.allowed.length ? draft.allowed : undefined,
      });
      setDraft(EMPTY);
      onCreated(created);
    });
  }

  return (
    <form onSubmit={submit} aria-label={t('keys_create_title')}>
      <KeyFields draft={draft} onChange={setDraft} creating idPrefix="new-key" />
      <ErrorMessage error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('key_creating') : t('key_create')}
      </button>
    </form>
  );
}

function StatusBadge({ k }: { k: ApiKey }) {
  const { t, lang } = useI18n();
  const state = keyState(k);
  return (
    <>
      {state === 'active' ? (
        <Badge tone="green">{t('key_active')}</Badge>
      ) : state === 'revoked' ? (
        <Badge tone="red">{t('key_revoked')}</Badge>
      ) : state === 'expired' ? (
        <Badge tone="amber">{t('key_expired')}</Badge>
      ) : (
        <span title={t('key_limit_reached_hint')}>
          <Badge tone="amber">{t('key_limit_reached')}</Badge>
        </span>
      )}
      {k.expires_at && (state === 'active' || state === 'limit_reached') && <div className="muted small">{t('key_expires_on', { date: fmtDate(k.expires_at, lang, false) })}</div>}
    </>
  );
}

/** A secret shown once: just created, or just rolled. */
function NewSecret({ k, rolled, onDismiss }: { k: ApiKey & { key: string }; rolled: boolean; onDismiss(): void }) {
  const { t } = useI18n();
  return (
    <section className="card new-key" aria-labelledby="new-key-title" data-testid="new-key">
      <h2 id="new-key-title">{rolled ? t('key_rolled_title', { name: k.name ?? k.prefix }) : t('key_new_title')}</h2>
      <Alert kind="warning">{t('key_new_warning')}</Alert>
      <div className="secret-row">
        <code className="secret" data-testid="new-key-value">
          {k.key}
        </code>
        <CopyButton text={k.key} className="btn btn-primary" />
      </div>
      <p className="muted small">{t('key_new_playground')}</p>
      <div className="row-actions">
        <ButtonLink to="/dashboard/playground">{t('key_new_try')} →</ButtonLink>
        <button type="button" className="btn" onClick={onDismiss}>
          {t('key_dismiss')}
        </button>
      </div>
    </section>
  );
}

export function Keys() {
  const { t, lang } = useI18n();
  useTitle(t('keys_title'));
  const keys = useAsync(() => dashboardApi.keys(), []);
  const [secret, setSecret] = useState<{ key: ApiKey & { key: string }; rolled: boolean } | null>(null);
  const [notice, setNotice] = useState('');
  const [showRevoked, setShowRevoked] = useStoredState('aio_keys_show_revoked', '');
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [rolling, setRolling] = useState<ApiKey | null>(null);
  const [editing, setEditing] = useState<{ key: ApiKey; draft: KeyDraft } | null>(null);
  const revokeAction = useAction();
  const rollAction = useAction();
  const editAction = useAction();
  const label = (k: ApiKey | null) => k?.name ?? k?.prefix ?? '';

  const revoke = () =>
    revoking &&
    revokeAction.run(async () => {
      await dashboardApi.revokeKey(revoking.id);
      if (secret?.key.id === revoking.id) setSecret(null);
      setNotice(t('key_revoked_notice', { name: label(revoking) }));
      setRevoking(null);
      keys.reload();
    });

  const roll = () =>
    rolling &&
    rollAction.run(async () => {
      const rolled = await dashboardApi.rollKey(rolling.id);
      setSecret({ key: rolled, rolled: true });
      setNotice('');
      setRolling(null);
      keys.reload();
    });

  const save = () =>
    editing &&
    editAction.run(async () => {
      const { key, draft } = editing;
      const saved = await dashboardApi.updateKey(key.id, {
        ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
        expires_at: expiryIso(draft.expires),
        credit_limit: draft.limit ? Number(draft.limit) : null,
        allowed_models: draft.allowed.length ? draft.allowed : null,
      });
      setNotice(t('key_saved_notice', { name: label(saved) }));
      setEditing(null);
      keys.reload();
    });

  const all = keys.data?.data ?? [];
  const revokedCount = all.filter((k) => k.revoked_at).length;
  const list = showRevoked ? all : all.filter((k) => !k.revoked_at);
  return (
    <>
      <PageHeader title={t('keys_title')} lead={t('keys_lead')} />
      {secret && <NewSecret k={secret.key} rolled={secret.rolled} onDismiss={() => setSecret(null)} />}
      {notice && <Alert kind="success">{notice}</Alert>}
      <Card title={t('keys_create_title')}>
        <CreateKeyForm
          onCreated={(k) => {
            setSecret({ key: k, rolled: false });
            setNotice('');
            keys.reload();
          }}
        />
      </Card>
      <Card
        title={t('keys_title')}
        actions={
          revokedCount > 0 && (
            <label className="check-label small">
              <input type="checkbox" checked={!!showRevoked} onChange={(e) => setShowRevoked(e.target.checked ? '1' : '')} />
              <span>{t('keys_show_revoked', { n: revokedCount })}</span>
            </label>
          )
        }
      >
        <Loaded
          state={keys}
          height={160}
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
              className="keys-table"
              columns={[
                { label: t('key_name') },
                { label: t('key_prefix') },
                { label: t('key_last_used') },
                { label: t('key_spent'), num: true },
                { label: t('key_status') },
                { label: t('key_actions'), srOnly: true },
              ]}
            >
              {list.map((k) => (
                <tr key={k.id} data-key-id={k.id} data-state={keyState(k)}>
                  <td>
                    <strong className="break">{k.name ?? '—'}</strong>
                    <div className="muted small break">{k.allowed_models?.length ? k.allowed_models.join(', ') : t('key_all_models')}</div>
                  </td>
                  <td>
                    <code className="nowrap">{k.prefix}…</code>
                    <div>{k.livemode ? <Badge tone="violet">{t('key_mode_live')}</Badge> : <Badge>{t('key_mode_test')}</Badge>}</div>
                  </td>
                  <td>
                    {k.last_used_at ? fmtDate(k.last_used_at, lang) : <span className="muted">{t('never')}</span>}
                    <div className="muted small">{t('key_created_on', { date: fmtDate(k.created_at, lang, false) })}</div>
                  </td>
                  <td className="num">
                    {fmtCredits(k.spent, lang)} / {k.credit_limit !== null ? fmtCredits(k.credit_limit, lang) : <span className="muted">{t('key_no_limit')}</span>}
                  </td>
                  <td>
                    <StatusBadge k={k} />
                  </td>
                  <td className="actions">
                    {!k.revoked_at && (
                      <span className="row-actions end">
                        <button type="button" className="btn btn-small" onClick={() => setEditing({ key: k, draft: draftOf(k) })} aria-label={`${t('key_edit')} ${label(k)}`}>
                          {t('key_edit')}
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setRolling(k)} aria-label={`${t('key_roll')} ${label(k)}`}>
                          {t('key_roll')}
                        </button>
                        <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setRevoking(k)} aria-label={`${t('key_revoke')} ${label(k)}`}>
                          {t('key_revoke')}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Loaded>
      </Card>
      <ConfirmDialog
        open={editing !== null}
        title={t('key_edit_title', { name: label(editing?.key ?? null) })}
        confirmLabel={t('save')}
        busy={editAction.busy}
        error={editAction.error}
        onConfirm={save}
        onCancel={() => {
          setEditing(null);
          editAction.setError(undefined);
        }}
        wide
      >
        {editing && <KeyFields draft={editing.draft} onChange={(draft) => setEditing({ ...editing, draft })} creating={false} idPrefix="edit-key" />}
      </ConfirmDialog>
      <ConfirmDialog
        open={rolling !== null}
        title={t('key_roll_title', { name: label(rolling) })}
        body={t('key_roll_body')}
        confirmLabel={t('key_roll_confirm')}
        busy={rollAction.busy}
        error={rollAction.error}
        onConfirm={roll}
        onCancel={() => {
          setRolling(null);
          rollAction.setError(undefined);
        }}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={t('key_revoke_title', { name: label(revoking) })}
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
