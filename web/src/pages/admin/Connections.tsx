// The Providers tab: upstream connections (like new-api's channels). Admins add, edit, test,
// disable and delete the ones stored in the database; the catalog file's nodes are listed
// read-only. A saved API key is never shown again, only its last four characters.
import { type ReactNode, useState } from 'react';
import { Alert, Badge, Card, ConfirmDialog, EmptyState, ErrorMessage, Field, Loaded } from '../../components/ui';
import { get, patch, post, request, type List } from '../../api';
import { fmtShort } from '../../format';
import { useAction, useAsync } from '../../hooks';
import { useI18n } from '../../i18n';
import type { ConnectionTest, ConnectionView, ProviderInfo } from '../../../../src/services/connections/view-types.js';
import { useAdminText } from './messages';

type Draft = {
  provider: string;
  name: string;
  id: string;
  base_url: string;
  api_key: string;
  models: string[];
  concurrency: string;
  priority: string;
  weight: string;
  enabled: boolean;
};

const emptyDraft = (provider: ProviderInfo | undefined): Draft => ({
  provider: provider?.id ?? '',
  name: '',
  id: '',
  base_url: '',
  api_key: '',
  models: provider?.suggested_models ?? [],
  concurrency: '4',
  priority: '0',
  weight: '1',
  enabled: true,
});

const draftOf = (c: ConnectionView): Draft => ({
  provider: c.provider,
  name: c.name ?? '',
  id: c.id,
  base_url: c.base_url_default ? '' : (c.base_url ?? ''),
  api_key: '',
  models: c.models,
  concurrency: String(c.concurrency),
  priority: String(c.priority),
  weight: String(c.weight),
  enabled: c.enabled,
});

function ConnectionForm({ draft, setDraft, providers, editing, onTest, testing, result }: {
  draft: Draft;
  setDraft(d: Draft): void;
  providers: ProviderInfo[];
  editing?: ConnectionView;
  onTest(): void;
  testing: boolean;
  result?: ConnectionTest;
}) {
  const a = useAdminText();
  const provider = providers.find((p) => p.id === draft.provider);
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const suggested = provider?.suggested_models ?? [];
  const others = (provider?.models ?? []).filter((m) => !suggested.includes(m));
  const toggle = (id: string, on: boolean) => set({ models: on ? [...draft.models, id] : draft.models.filter((m) => m !== id) });
  const modelBox = (id: string) => (
    <label key={id} className="check">
      <input type="checkbox" checked={draft.models.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />
      <code className="small">{id}</code>
    </label>
  );
  return (
    <div className="connection-form">
      <div className="form-row-2">
        <Field label={a('conn_provider')}>
          {(id) => (
            <select id={id} value={draft.provider} disabled={!!editing} onChange={(e) => setDraft(emptyDraft(providers.find((p) => p.id === e.target.value)))}>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={a('conn_name')} hint={a('conn_name_hint')} optional>
          {(id, hint) => <input id={id} value={draft.name} maxLength={100} aria-describedby={hint} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
      </div>
      {!editing && (
        <Field label={a('conn_id')} hint={a('conn_id_hint')} optional>
          {(id, hint) => <input id={id} value={draft.id} maxLength={64} pattern="[a-z0-9][a-z0-9_\-]*" aria-describedby={hint} onChange={(e) => set({ id: e.target.value })} />}
        </Field>
      )}
      <Field label={a('conn_base_url')} hint={provider?.default_base_url ? a('conn_base_url_hint', { url: provider.default_base_url }) : a('conn_base_url_required')} optional={!!provider?.default_base_url}>
        {(id, hint) => (
          <input
            id={id}
            type="url"
            value={draft.base_url}
            placeholder={provider?.default_base_url ?? 'https://'}
            required={!provider?.default_base_url}
            aria-describedby={hint}
            onChange={(e) => set({ base_url: e.target.value })}
          />
        )}
      </Field>
      <Field label={a('conn_api_key')} hint={editing?.api_key.last4 ? a('conn_api_key_keep', { last4: editing.api_key.last4 }) : a('conn_api_key_hint')} optional={!!editing || !provider?.needs_api_key}>
        {(id, hint) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={draft.api_key}
            required={!editing && !!provider?.needs_api_key}
            aria-describedby={hint}
            onChange={(e) => set({ api_key: e.target.value })}
          />
        )}
      </Field>
      <fieldset className="field">
        <legend className="label">{a('conn_models')}</legend>
        <div className="checks">{(suggested.length ? suggested : provider?.models ?? []).map(modelBox)}</div>
        {suggested.length > 0 && others.length > 0 && (
          <details>
            <summary className="small muted">{a('conn_models_more')}</summary>
            <div className="checks">{others.map(modelBox)}</div>
          </details>
        )}
      </fieldset>
      <div className="form-row-3">
        <Field label={a('conn_concurrency')} hint={a('conn_concurrency_hint')}>
          {(id, hint) => <input id={id} type="number" min={1} max={1000} step={1} required value={draft.concurrency} aria-describedby={hint} onChange={(e) => set({ concurrency: e.target.value })} />}
        </Field>
        <Field label={a('conn_priority')} hint={a('conn_priority_hint')}>
          {(id, hint) => <input id={id} type="number" min={-1000} max={1000} step={1} required value={draft.priority} aria-describedby={hint} onChange={(e) => set({ priority: e.target.value })} />}
        </Field>
        <Field label={a('conn_weight')} hint={a('conn_weight_hint')}>
          {(id, hint) => <input id={id} type="number" min={1} max={1000} step={1} required value={draft.weight} aria-describedby={hint} onChange={(e) => set({ weight: e.target.value })} />}
        </Field>
      </div>
      <label className="switch">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        <span>{a('conn_enabled')}</span>
      </label>
      <div className="row-actions">
        <button type="button" className="btn" onClick={onTest} disabled={testing || !provider?.can_test}>
          {testing ? a('conn_testing') : a('conn_test')}
        </button>
      </div>
      <div aria-live="polite">{result && <TestResult result={result} />}</div>
    </div>
  );
}

function TestResult({ result }: { result: ConnectionTest | { ok: boolean; message: string } }) {
  return (
    <div data-testid="connection-test-result">
      <Alert kind={result.ok ? 'success' : 'error'}>{result.message}</Alert>
    </div>
  );
}

/** The body a draft saves as: only what was filled in (an empty key keeps the stored one). */
function bodyOf(d: Draft, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim() || null,
    base_url: d.base_url.trim() || null,
    models: d.models,
    concurrency: Number(d.concurrency),
    priority: Number(d.priority),
    weight: Number(d.weight),
    enabled: d.enabled,
  };
  if (d.api_key.trim()) body.api_key = d.api_key.trim();
  if (!editing) {
    body.provider = d.provider;
    if (d.id.trim()) body.id = d.id.trim();
  }
  return body;
}

function ConnectionCard({ c, onEdit, onChanged }: { c: ConnectionView; onEdit(): void; onChanged(msg?: string): void }) {
  const a = useAdminText();
  const { lang } = useI18n();
  const [result, setResult] = useState<ConnectionTest>();
  const [confirm, setConfirm] = useState<'delete' | 'disable' | null>(null);
  const { busy, error, setError, run } = useAction();
  const readOnly = c.source === 'file';
  const builtIn = c.provider === 'local';
  const status: [string, 'green' | 'amber' | 'neutral'] = !c.enabled ? [a('conn_status_disabled'), 'neutral'] : c.configured ? [a('conn_status_ok'), 'green'] : [a('conn_status_missing'), 'amber'];
  const test = () =>
    run(async () => {
      setResult(await post<ConnectionTest>(`/api/admin/connections/${encodeURIComponent(c.id)}/test`));
      if (!readOnly) onChanged();
    });
  const setEnabled = (enabled: boolean) =>
    run(async () => {
      await patch(`/api/admin/connections/${encodeURIComponent(c.id)}`, { enabled });
      setConfirm(null);
      onChanged();
    });
  const remove = () =>
    run(async () => {
      await request('DELETE', `/api/admin/connections/${encodeURIComponent(c.id)}`);
      setConfirm(null);
      onChanged(a('conn_deleted', { id: c.id }));
    });
  const env = [c.env?.api_key, c.env?.base_url].filter(Boolean).join(', ');
  const check = result ?? c.last_check ?? undefined;
  return (
    <article className="node" data-connection={c.id}>
      <div className="row-actions spread">
        <h3 className="break">{c.name ?? <code>{c.id}</code>}</h3>
        <Badge tone={status[1]}>{status[0]}</Badge>
      </div>
      <div className="muted small">
        {c.provider}
        {c.name && (
          <>
            {' · '}
            <code>{c.id}</code>
          </>
        )}
        {readOnly && (
          <>
            {' · '}
            <Badge>{a('conn_from_file')}</Badge>
          </>
        )}
      </div>
      <dl className="kv compact">
        <dt>{a('conn_base_url')}</dt>
        <dd className="break">{c.base_url ?? '—'}</dd>
        <dt>{a('conn_col_key')}</dt>
        <dd>{c.api_key.last4 ? <code>…{c.api_key.last4}</code> : <span className="muted">{a('conn_key_none')}</span>}</dd>
        <dt>{a('conn_col_models')}</dt>
        <dd className="break small">{c.models.join(', ')}</dd>
        <dt>{a('conn_concurrency')}</dt>
        <dd>
          {c.concurrency} · {a('conn_priority')} {c.priority} · {a('conn_weight')} {c.weight}
        </dd>
        <dt>{a('conn_col_check')}</dt>
        <dd className="small">
          {check ? (
            <span className={check.ok ? 'pos' : 'neg'}>
              {check.ok ? '✓' : '✗'} {check.message}
              {'at' in check && check.at ? <span className="muted"> · {fmtShort(check.at, lang)}</span> : null}
            </span>
          ) : (
            <span className="muted">{a('conn_never_tested')}</span>
          )}
        </dd>
      </dl>
      {c.missing.length > 0 && c.enabled && <Alert kind="warning">{a('conn_missing', { list: c.missing.join(', ') })}</Alert>}
      {readOnly && <p className="muted small">{builtIn ? a('conn_builtin') : a('conn_from_file_hint', { env: env || '—' })}</p>}
      {!confirm && <ErrorMessage error={error} />}
      <div className="row-actions">
        {!builtIn && (
          <button type="button" className="btn btn-small" onClick={test} disabled={busy} aria-label={`${a('conn_test')}: ${c.id}`}>
            {a('conn_test')}
          </button>
        )}
        {!readOnly && (
          <>
            <button type="button" className="btn btn-small" onClick={onEdit} aria-label={`${a('conn_edit')}: ${c.id}`}>
              {a('conn_edit')}
            </button>
            {c.enabled ? (
              <button type="button" className="btn btn-small" onClick={() => setConfirm('disable')}>
                {a('conn_disable')}
              </button>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => setEnabled(true)} disabled={busy}>
                {a('conn_enable')}
              </button>
            )}
            <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setConfirm('delete')}>
              {a('conn_delete')}
            </button>
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'delete' ? a('conn_delete_title', { id: c.id }) : a('conn_disable_title', { id: c.id })}
        body={confirm === 'delete' ? a('conn_delete_body') : a('conn_disable_body')}
        confirmLabel={confirm === 'delete' ? a('conn_delete') : a('conn_disable')}
        danger
        busy={busy}
        error={error}
        onConfirm={() => (confirm === 'delete' ? remove() : setEnabled(false))}
        onCancel={() => {
          setConfirm(null);
          setError(undefined);
        }}
      />
    </article>
  );
}

export function Connections({ onChanged }: { onChanged(): void }) {
  const a = useAdminText();
  const providers = useAsync(() => get<List<ProviderInfo>>('/api/admin/providers'), []);
  const connections = useAsync(() => get<List<ConnectionView>>('/api/admin/connections'), []);
  const [editing, setEditing] = useState<ConnectionView | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft(undefined));
  const [result, setResult] = useState<ConnectionTest>();
  const [notice, setNotice] = useState<ReactNode>('');
  const save = useAction();
  const testing = useAction();
  const list = providers.data?.data ?? [];

  const open = (target: ConnectionView | 'new') => {
    setDraft(target === 'new' ? emptyDraft(list.find((p) => p.id === 'openai') ?? list[0]) : draftOf(target));
    setResult(undefined);
    save.setError(undefined);
    setEditing(target);
  };
  const changed = (msg?: string) => {
    if (msg) setNotice(msg);
    connections.reload();
    onChanged();
  };
  const current = editing && editing !== 'new' ? editing : undefined;

  const test = () =>
    testing.run(async () => {
      setResult(undefined);
      const body: Record<string, unknown> = { provider: draft.provider };
      if (draft.base_url.trim()) body.base_url = draft.base_url.trim();
      if (draft.api_key.trim()) body.api_key = draft.api_key.trim();
      if (current) body.id = current.id;
      setResult(await post<ConnectionTest>('/api/admin/connections/test', body));
    });

  const submit = () =>
    save.run(async () => {
      if (!draft.models.length) throw new Error(a('conn_pick_models'));
      const saved = current
        ? await patch<ConnectionView>(`/api/admin/connections/${encodeURIComponent(current.id)}`, bodyOf(draft, true))
        : await post<ConnectionView>('/api/admin/connections', bodyOf(draft, false));
      setEditing(null);
      changed(a('conn_saved', { id: saved.id }));
    });

  const rows = connections.data?.data ?? [];
  const stored = rows.filter((c) => c.source === 'database');
  const fromFile = rows.filter((c) => c.source === 'file');
  return (
    <>
      <Card
        title={a('tab_providers')}
        actions={
          <button type="button" className="btn btn-primary btn-small" onClick={() => open('new')} disabled={!list.length}>
            + {a('conn_add')}
          </button>
        }
      >
        {notice && <Alert kind="success">{notice}</Alert>}
        <Loaded state={connections} empty={stored.length === 0 && <EmptyState title={a('conn_empty')} />}>
          {() => (
            <div className="node-grid" data-testid="connections">
              {stored.map((c) => (
                <ConnectionCard key={`${c.id}:${c.updated_at}`} c={c} onEdit={() => open(c)} onChanged={changed} />
              ))}
            </div>
          )}
        </Loaded>
      </Card>
      {fromFile.length > 0 && (
        <Card title={a('conn_from_file')}>
          <div className="node-grid" data-testid="file-connections">
            {fromFile.map((c) => (
              <ConnectionCard key={c.id} c={c} onEdit={() => undefined} onChanged={changed} />
            ))}
          </div>
        </Card>
      )}
      <ConfirmDialog
        open={editing !== null}
        wide
        title={current ? a('conn_edit_title', { name: current.name ?? current.id }) : a('conn_add_title')}
        confirmLabel={a('conn_save')}
        busy={save.busy}
        error={save.error ?? testing.error}
        onConfirm={submit}
        onCancel={() => setEditing(null)}
      >
        {editing !== null && (
          <ConnectionForm draft={draft} setDraft={setDraft} providers={list} editing={current} onTest={test} testing={testing.busy} result={result} />
        )}
      </ConfirmDialog>
    </>
  );
}
