// Admin pages (a separate chunk, loaded only when an admin opens them): the first-run checklist
// above every tab; users (and one user's details), provider connections, redemption codes,
// models and their prices, node health, all tasks.
import { type FormEvent, type ReactNode, useState } from 'react';
import { Alert, Badge, Card, ConfirmDialog, CopyButton, DataTable, EmptyState, ErrorMessage, Field, ListPager, Loaded, Loading, PageHeader, usePager } from '../../components/ui';
import { get, patch, post, type List } from '../../api';
import { fmtCredits, fmtCreditsUsd, fmtDate, fmtShort } from '../../format';
import { useAction, useAsync, useTitle } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { Link, useLocation } from '../../router';
import { useSession } from '../../session';
import type { Model, Task } from '../../types';
import { TypeBadge } from '../../components/model-card';
import { unitWords } from '../../pricing';
import { TaskFilters, TaskTable } from '../dashboard/Usage';
import type { NodeHealth } from '../../../../src/worker/node-health.js';
import type { SetupChecklist } from '../../../../src/services/connections/view-types.js';
import { Connections } from './Connections';
import { type AdminText, type AdminTextKey, useAdminText } from './messages';
import { SetupChecklistCard } from './Setup';
import { type AdminUser, UserActions } from './user-actions';
import { UserDetail } from './UserDetail';

type CodeStatus = 'active' | 'redeemed' | 'voided' | 'expired';
interface Code {
  id: string;
  code: string;
  credits: number;
  note: string | null;
  created_at: string;
  redeemed_by?: string | null;
  redeemed_by_email?: string | null;
  redeemed_at?: string | null;
  expires_at?: string | null;
  voided_at?: string | null;
  status?: CodeStatus;
}
type AdminModel = Model & { price: Model['price'] | number };
type NodeRow = NodeHealth & { queue_depth?: number };

/** Tab id, and its label from the shared dashboard strings or the admin pages' own. */
const TABS: [string, { t: MessageKey } | { a: AdminTextKey }][] = [
  ['users', { t: 'admin_users' }],
  ['providers', { a: 'tab_providers' }],
  ['codes', { t: 'admin_codes' }],
  ['models', { t: 'admin_models' }],
  ['nodes', { t: 'admin_nodes' }],
  ['tasks', { t: 'admin_tasks' }],
];

export default function Admin({ tab }: { tab: string }) {
  const { t } = useI18n();
  const a = useAdminText();
  const { user } = useSession();
  const { search } = useLocation();
  const label = (l: (typeof TABS)[number][1]) => ('t' in l ? t(l.t) : a(l.a));
  const current = tab === 'user' ? 'users' : tab;
  useTitle(`${t('admin_title')} · ${label((TABS.find(([k]) => k === current) ?? TABS[0]!)[1])}`);
  // The checklist is read before the page shows, so it never pushes the page down once shown.
  const [version, setVersion] = useState(0);
  const setup = useAsync(() => get<SetupChecklist>('/api/admin/setup'), [version]);
  const changed = () => setVersion((n) => n + 1);
  let body: ReactNode;
  if (!setup.data && !setup.error) body = <Loading height={400} />;
  else
    body = (
      <>
        {setup.data && <SetupChecklistCard setup={setup.data} />}
        {tab === 'users' && <Users selfId={user?.id} />}
        {tab === 'user' && <UserDetail id={search.get('id') ?? ''} selfId={user?.id} />}
        {tab === 'providers' && <Connections onChanged={changed} />}
        {tab === 'codes' && <Codes />}
        {tab === 'models' && <Models onChanged={changed} />}
        {tab === 'nodes' && <Nodes />}
        {tab === 'tasks' && <AllTasks />}
      </>
    );
  return (
    <>
      <PageHeader title={t('admin_title')} />
      <nav className="tabs" aria-label={t('admin_title')}>
        {TABS.map(([k, l]) => (
          <Link key={k} to={k === 'users' ? '/admin' : `/admin/${k}`} className={current === k ? 'active' : ''} aria-current={current === k ? 'page' : undefined}>
            {label(l)}
          </Link>
        ))}
      </nav>
      {body}
    </>
  );
}

function Users({ selfId }: { selfId?: string }) {
  const { t, lang } = useI18n();
  const a = useAdminText();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const pager = usePager();
  const users = useAsync(() => get<List<AdminUser>>('/api/admin/users', { q: query || undefined, limit: 20, starting_after: pager.cursor }), [query, pager.cursor]);
  const [notice, setNotice] = useState('');
  const rows = users.data?.data ?? [];

  return (
    <Card>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          pager.reset();
          setQuery(q.trim());
        }}
      >
        <Field label={t('admin_search')}>{(id) => <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="@example.com" />}</Field>
        <button type="submit" className="btn">
          {t('admin_search_button')}
        </button>
      </form>
      {notice && <Alert kind="success">{notice}</Alert>}
      <Loaded state={users} empty={rows.length === 0 && <EmptyState title={t('admin_no_users')} />}>
        {() => (
          <DataTable
            className="middle"
            testId="admin-users"
            columns={[
              { label: t('admin_user_email') },
              { label: t('admin_user_balance'), num: true },
              { label: t('admin_user_reserved'), num: true },
              { label: t('admin_user_status') },
              { label: t('admin_user_created') },
              { label: t('key_actions'), srOnly: true },
            ]}
          >
            {rows.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td className="break">
                  <Link to={`/admin/user?id=${encodeURIComponent(u.id)}`}>{u.email}</Link> {u.is_admin && <Badge tone="violet">{t('role_admin')}</Badge>}
                  {u.id === selfId && <span className="muted small"> ({a('user_you')})</span>}
                </td>
                <td className="num">{fmtCredits(u.balance, lang)}</td>
                <td className="num muted">{fmtCredits(u.reserved, lang)}</td>
                <td>{u.disabled ? <Badge tone="red">{t('admin_disabled')}</Badge> : <Badge tone="green">{t('admin_active')}</Badge>}</td>
                <td className="nowrap">{fmtDate(u.created_at, lang, false)}</td>
                <td className="actions">
                  <div className="row-actions end">
                    <UserActions
                      user={u}
                      selfId={selfId}
                      actions={['grant', 'disable']}
                      onChanged={(msg) => {
                        setNotice(msg);
                        users.reload();
                      }}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Loaded>
      <ListPager pager={pager} list={users.data} />
    </Card>
  );
}

const CODE_TONE: Record<CodeStatus, 'green' | 'neutral' | 'red' | 'amber'> = { active: 'green', redeemed: 'neutral', voided: 'red', expired: 'amber' };

function CodeRow({ c, a, onVoid }: { c: Code; a: AdminText; onVoid(c: Code): void }) {
  const { lang } = useI18n();
  const status = c.status ?? (c.redeemed_at ? 'redeemed' : 'active');
  return (
    <tr data-code={c.code} data-status={status}>
      <td className="nowrap">
        <code>{c.code}</code>
      </td>
      <td className="num">{fmtCredits(c.credits, lang)}</td>
      <td className="break">{c.note ?? <span className="muted">—</span>}</td>
      <td>
        <Badge tone={CODE_TONE[status]}>{a(`code_status_${status}`)}</Badge>
        {c.redeemed_at && (
          <div className="small break">
            {c.redeemed_by_email ?? c.redeemed_by ?? ''} · {fmtShort(c.redeemed_at, lang)}
          </div>
        )}
        {!c.redeemed_at && c.expires_at && (
          <div className="small muted">
            {a('code_expires')}: {fmtShort(c.expires_at, lang)}
          </div>
        )}
      </td>
      <td className="nowrap">{fmtShort(c.created_at, lang)}</td>
      <td className="actions">
        {status === 'active' && (
          <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => onVoid(c)} aria-label={`${a('code_void')}: ${c.code}`}>
            {a('code_void')}
          </button>
        )}
      </td>
    </tr>
  );
}

function Codes() {
  const { t, lang } = useI18n();
  const a = useAdminText();
  const [count, setCount] = useState('10');
  const [credits, setCredits] = useState('100');
  const [note, setNote] = useState('');
  const [expires, setExpires] = useState('');
  const { busy, error, run } = useAction();
  const voiding = useAction();
  const [fresh, setFresh] = useState<Code[]>([]);
  const [toVoid, setToVoid] = useState<Code | null>(null);
  const codes = useAsync(() => get<List<Code>>('/api/admin/redemption-codes'), []);

  function generate(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      // A day picked in the form ends at that day's midnight, the admin's time.
      const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
      const r = await post<{ data: Code[] }>('/api/admin/redemption-codes', { count: Number(count), credits: Number(credits), note: note.trim() || undefined, expires_at: expiresAt });
      setFresh(r.data);
      codes.reload();
    });
  }

  const voidCode = () =>
    toVoid &&
    voiding.run(async () => {
      await post(`/api/admin/redemption-codes/${encodeURIComponent(toVoid.id)}/void`);
      setToVoid(null);
      codes.reload();
    });

  const list = codes.data?.data ?? [];
  return (
    <>
      <Card title={t('admin_codes_generate')}>
        <form onSubmit={generate} className="inline-form">
          <Field label={t('admin_codes_count')}>{(id) => <input id={id} type="number" min={1} max={1000} step={1} required value={count} onChange={(e) => setCount(e.target.value)} />}</Field>
          <Field label={t('admin_codes_credits')}>{(id) => <input id={id} type="number" min={0.000001} step="any" required value={credits} onChange={(e) => setCredits(e.target.value)} />}</Field>
          <Field label={t('admin_codes_note')} optional>
            {(id) => <input id={id} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <Field label={a('code_expires')} optional>
            {(id) => <input id={id} type="date" value={expires} min={new Date().toISOString().slice(0, 10)} title={a('code_expires_hint')} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('admin_codes_generate')}
          </button>
        </form>
        <ErrorMessage error={error} />
        {fresh.length > 0 && (
          <div className="fresh-codes" data-testid="new-codes">
            <div className="row-actions spread">
              <strong>
                {t('admin_codes_new')} ({fresh.length})
              </strong>
              <CopyButton text={fresh.map((c) => c.code).join('\n')} label={t('admin_codes_copy_all')} />
            </div>
            <ul className="code-list">
              {fresh.map((c) => (
                <li key={c.code}>
                  <code>{c.code}</code> <span className="muted small">{t('credits_n', { n: fmtCredits(c.credits, lang) })}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </Card>
      <Card
        title={t('admin_codes')}
        actions={
          <a className="btn btn-small" href="/api/admin/redemption-codes?format=csv" download="redemption-codes.csv">
            {t('admin_codes_csv')}
          </a>
        }
      >
        <Loaded state={codes} empty={list.length === 0 && <EmptyState title={t('admin_codes_empty')} />}>
          {() => (
            <DataTable
              testId="admin-codes"
              columns={[
                { label: t('admin_code') },
                { label: t('admin_code_credits'), num: true },
                { label: t('admin_code_note') },
                { label: a('code_status') },
                { label: t('admin_code_created') },
                { label: t('key_actions'), srOnly: true },
              ]}
            >
              {list.map((c) => (
                <CodeRow key={c.code} c={c} a={a} onVoid={setToVoid} />
              ))}
            </DataTable>
          )}
        </Loaded>
      </Card>
      <ConfirmDialog
        open={toVoid !== null}
        title={a('code_void_title', { code: toVoid?.code ?? '' })}
        body={a('code_void_body')}
        confirmLabel={a('code_void')}
        danger
        busy={voiding.busy}
        error={voiding.error}
        onConfirm={voidCode}
        onCancel={() => {
          setToVoid(null);
          voiding.setError(undefined);
        }}
      />
    </>
  );
}

function ModelRow({ model, onSaved }: { model: AdminModel; onSaved(msg: string): void }) {
  const { t } = useI18n();
  const a = useAdminText();
  const credits = typeof model.price === 'number' ? model.price : model.price.credits;
  const [price, setPrice] = useState(String(credits));
  const [enabled, setEnabled] = useState(model.enabled);
  const [confirmFree, setConfirmFree] = useState(false);
  const { busy, error, setError, run } = useAction();
  const dirty = price !== String(credits) || enabled !== model.enabled;
  const write = () =>
    run(async () => {
      await patch(`/api/admin/models/${encodeURIComponent(model.id)}`, { enabled, price_credits: Number(price) });
      setConfirmFree(false);
      onSaved(t('admin_model_saved', { id: model.id }));
    });
  // Making a model free is asked about first: the upstream still bills the operator.
  const save = () => (Number(price) === 0 && credits !== 0 ? setConfirmFree(true) : write());
  return (
    <tr data-model={model.id}>
      <td>
        <strong>{model.name}</strong> <TypeBadge type={model.type} />
        <div>
          <code className="small">{model.id}</code>
        </div>
        {!confirmFree && <ErrorMessage error={error} />}
      </td>
      <td>{model.provider}</td>
      <td>
        <label className="switch">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>{enabled ? t('admin_model_enabled') : t('admin_disabled')}</span>
        </label>
      </td>
      <td>
        <label className="sr-only" htmlFor={`price-${model.id}`}>
          {t('admin_model_price')}
        </label>
        <input id={`price-${model.id}`} className="input-small" type="number" min={0} step="any" value={price} onChange={(e) => setPrice(e.target.value)} />
        <span className="muted small">
          {' '}
          / {typeof model.price === 'number' ? '' : unitWords(model.price.unit, t)} ≈ {fmtCreditsUsd(Number(price || 0))}
        </span>
      </td>
      <td>
        <button type="button" className="btn btn-small btn-primary" disabled={!dirty || busy || price === ''} onClick={save}>
          {t('save')}
        </button>
        <ConfirmDialog
          open={confirmFree}
          title={a('price_zero_title', { id: model.id })}
          body={a('price_zero_body')}
          confirmLabel={a('price_zero_confirm')}
          danger
          busy={busy}
          error={error}
          onConfirm={write}
          onCancel={() => {
            setConfirmFree(false);
            setError(undefined);
          }}
        />
      </td>
    </tr>
  );
}

function Models({ onChanged }: { onChanged(): void }) {
  const { t } = useI18n();
  const models = useAsync(() => get<List<AdminModel>>('/api/admin/models'), []);
  const [notice, setNotice] = useState('');
  return (
    <Card>
      {notice && <Alert kind="success">{notice}</Alert>}
      <Loaded state={models}>
        {(data) => (
          <DataTable
            className="middle"
            columns={[
              { label: t('pricing_model') },
              { label: t('pricing_provider') },
              { label: t('admin_model_enabled') },
              { label: t('admin_model_price') },
              { label: t('save'), srOnly: true },
            ]}
          >
            {data.data.map((m) => (
              <ModelRow
                key={`${m.id}:${m.enabled}:${typeof m.price === 'number' ? m.price : m.price.credits}`}
                model={m}
                onSaved={(msg) => {
                  setNotice(msg);
                  models.reload();
                  onChanged();
                }}
              />
            ))}
          </DataTable>
        )}
      </Loaded>
    </Card>
  );
}

function Nodes() {
  const { t } = useI18n();
  const nodes = useAsync(() => get<List<NodeRow>>('/api/admin/nodes'), []);
  const stateTone = (s: string) => (s === 'closed' ? 'green' : s === 'open' ? 'red' : 'amber');
  return (
    <Card actions={<button type="button" className="btn btn-small" onClick={nodes.reload}>↻ {t('refresh')}</button>}>
      <Loaded state={nodes}>
        {(data) => (
          <div className="node-grid">
            {data.data.map((n) => {
              const load = n.concurrency ? Math.min(100, Math.round((n.in_flight / n.concurrency) * 100)) : 0;
              return (
                <article key={n.id} className="node">
                  <div className="row-actions spread">
                    <h3>
                      <code>{n.id}</code>
                    </h3>
                    {n.missing.length > 0 ? (
                      <Badge tone="amber">{t('admin_node_unconfigured')}</Badge>
                    ) : (
                      <Badge tone={stateTone(n.state)}>{t(`state_${n.state}` as MessageKey) || n.state}</Badge>
                    )}
                  </div>
                  <div className="muted small">
                    {n.provider} · {n.models.join(', ')}
                  </div>
                  <div className="meter" role="meter" aria-valuenow={n.in_flight} aria-valuemin={0} aria-valuemax={n.concurrency} aria-label={t('admin_node_load')}>
                    <span style={{ width: `${load}%` }} />
                  </div>
                  <dl className="kv compact">
                    <dt>{t('admin_node_load')}</dt>
                    <dd>
                      {n.in_flight} / {n.concurrency}
                    </dd>
                    <dt>{t('admin_node_queue')}</dt>
                    <dd>{n.queue_depth ?? '—'}</dd>
                    <dt>{t('admin_node_done')}</dt>
                    <dd>
                      {n.succeeded} / {n.failed}
                    </dd>
                  </dl>
                  {n.missing.length > 0 ? (
                    <Alert kind="warning">{t('admin_node_missing', { list: n.missing.join(', ') })}</Alert>
                  ) : (
                    <span className="muted small">✓ {t('admin_node_ok')}</span>
                  )}
                  {n.last_error && (
                    <p className="small neg">
                      {t('admin_node_last_error')}: {n.last_error}
                    </p>
                  )}
                </article>
              );
            })}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

function AllTasks() {
  const { t } = useI18n();
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const model = search.get('model') ?? '';
  const [user, setUser] = useState('');
  const [userQuery, setUserQuery] = useState('');
  const pager = usePager();
  const tasks = useAsync(
    () => get<List<Task>>('/api/admin/tasks', { status: status || undefined, model: model || undefined, user: userQuery || undefined, limit: 20, starting_after: pager.cursor }),
    [status, model, userQuery, pager.cursor],
  );
  const rows = tasks.data?.data ?? [];
  return (
    <Card
      actions={
        <TaskFilters
          extra={
            <form
              className="field inline"
              onSubmit={(e) => {
                e.preventDefault();
                pager.reset();
                setUserQuery(user.trim());
              }}
            >
              <label htmlFor="task-user">{t('admin_filter_user')}</label>
              <input id="task-user" type="search" value={user} onChange={(e) => setUser(e.target.value)} />
            </form>
          }
        />
      }
    >
      <Loaded state={tasks} empty={rows.length === 0 && <EmptyState title={t('tasks_empty_title')} />}>
        {() => <TaskTable tasks={rows} showUser />}
      </Loaded>
      <ListPager pager={pager} list={tasks.data} />
    </Card>
  );
}
