// One account on the admin pages (/admin/user?id=...): who it is, what it holds, its keys (never
// the secrets), its tasks and its ledger, and what an admin may do to it.
import { useState } from 'react';
import { Alert, Badge, Card, DataTable, EmptyState, ListPager, Loaded, usePager } from '../../components/ui';
import { get, type List } from '../../api';
import { fmtCredits, fmtDate, fmtShort, fmtSignedCredits } from '../../format';
import { useAsync } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { Link } from '../../router';
import type { ApiKey, LedgerEntry, Task } from '../../types';
import { TaskTable } from '../dashboard/Usage';
import { useAdminText } from './messages';
import { type AdminUser, UserActions } from './user-actions';

type UserDetailView = AdminUser & { keys: ApiKey[] };

function Keys({ keys }: { keys: ApiKey[] }) {
  const { lang } = useI18n();
  const a = useAdminText();
  if (!keys.length) return <EmptyState title={a('user_no_keys')} />;
  return (
    <DataTable
      testId="user-keys"
      columns={[{ label: a('user_key_name') }, { label: a('user_key_prefix') }, { label: a('user_key_mode') }, { label: a('user_key_spent'), num: true }, { label: a('user_key_state') }]}
    >
      {keys.map((k) => (
        <tr key={k.id}>
          <td className="break">{k.name || '—'}</td>
          <td>
            <code>{k.prefix}…</code>
          </td>
          <td>{k.livemode ? <Badge tone="green">{a('user_key_live')}</Badge> : <Badge>{a('user_key_test')}</Badge>}</td>
          <td className="num">{fmtCredits(k.spent, lang)}</td>
          <td className="nowrap">{k.revoked_at ? <Badge tone="red">{a('user_key_revoked')}</Badge> : <Badge tone="green">{a('user_key_active')}</Badge>}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function Tasks({ id }: { id: string }) {
  const a = useAdminText();
  const pager = usePager();
  const tasks = useAsync(() => get<List<Task>>(`/api/admin/users/${encodeURIComponent(id)}/tasks`, { limit: 10, starting_after: pager.cursor }), [id, pager.cursor]);
  return (
    <>
      <Loaded state={tasks} empty={tasks.data?.data.length === 0 && <EmptyState title={a('user_no_tasks')} />}>
        {(data) => <TaskTable tasks={data.data} />}
      </Loaded>
      <ListPager pager={pager} list={tasks.data} />
    </>
  );
}

function Ledger({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const a = useAdminText();
  const pager = usePager();
  const ledger = useAsync(() => get<List<LedgerEntry>>(`/api/admin/users/${encodeURIComponent(id)}/ledger`, { limit: 20, starting_after: pager.cursor }), [id, pager.cursor]);
  return (
    <>
      <Loaded state={ledger} empty={ledger.data?.data.length === 0 && <EmptyState title={a('user_no_ledger')} />}>
        {(data) => (
          <DataTable
            testId="user-ledger"
            columns={[{ label: a('user_ledger_when') }, { label: a('user_ledger_kind') }, { label: a('user_ledger_amount'), num: true }, { label: a('user_ledger_balance'), num: true }]}
          >
            {data.data.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td className="nowrap">{fmtShort(e.created_at, lang)}</td>
                <td>
                  <Badge>{t(`kind_${e.kind}` as MessageKey)}</Badge>
                  {e.note && <div className="small break">{e.note}</div>}
                  {e.task_id && <code className="small break">{e.task_id}</code>}
                </td>
                <td className={`num nowrap ${e.amount > 0 ? 'pos' : e.amount < 0 ? 'neg' : ''}`}>{e.amount ? fmtSignedCredits(e.amount, lang) : '—'}</td>
                <td className="num nowrap">{fmtCredits(e.balance_after, lang)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Loaded>
      <ListPager pager={pager} list={ledger.data} />
    </>
  );
}

export function UserDetail({ id, selfId }: { id: string; selfId?: string }) {
  const { t, lang } = useI18n();
  const a = useAdminText();
  const user = useAsync(() => get<UserDetailView>(`/api/admin/users/${encodeURIComponent(id)}`), [id]);
  const [notice, setNotice] = useState('');
  const [version, setVersion] = useState(0);
  const changed = (msg: string) => {
    setNotice(msg);
    setVersion((n) => n + 1);
    user.reload();
  };
  return (
    <>
      <Link to="/admin" className="back-link">
        ← {a('user_back')}
      </Link>
      <Loaded state={user}>
        {(u) => (
          <>
            <Card
              title={
                <span className="break">
                  {u.email} {u.is_admin && <Badge tone="violet">{t('role_admin')}</Badge>} {u.disabled && <Badge tone="red">{t('admin_disabled')}</Badge>}{' '}
                  {u.id === selfId && <span className="muted small">({a('user_you')})</span>}
                </span>
              }
            >
              {notice && <Alert kind="success">{notice}</Alert>}
              <dl className="kv compact" data-testid="user-facts">
                <dt>ID</dt>
                <dd>
                  <code>{u.id}</code>
                </dd>
                <dt>{t('admin_user_balance')}</dt>
                <dd>{t('credits_n', { n: fmtCredits(u.balance, lang) })}</dd>
                <dt>{t('admin_user_reserved')}</dt>
                <dd>{t('credits_n', { n: fmtCredits(u.reserved, lang) })}</dd>
                <dt>{t('admin_user_created')}</dt>
                <dd>{fmtDate(u.created_at, lang)}</dd>
              </dl>
              <div className="row-actions">
                <UserActions user={u} selfId={selfId} actions={['grant', 'password', 'admin', 'disable']} onChanged={changed} />
              </div>
            </Card>
            <Card title={a('user_keys')}>
              <Keys keys={u.keys} />
            </Card>
            <Card title={a('user_tasks')}>
              <Tasks key={version} id={u.id} />
            </Card>
            <Card title={a('user_ledger')}>
              <Ledger key={version} id={u.id} />
            </Card>
          </>
        )}
      </Loaded>
    </>
  );
}
