// The account's credits read as money: the balance, what is held for running tasks, and a
// statement with one line per task (what it cost) and per credit added. Every raw ledger entry
// (holds and releases too) is one switch away.
import { Icon } from '../../components/icons';
import { TypeBadge } from '../../components/model-badges';
import { Badge, ButtonLink, EmptyState, ErrorMessage, Loaded } from '../../components/ui/basic';
import { FilterSelect } from '../../components/ui/form';
import { Card, PageHeader, Stat } from '../../components/ui/page';
import { ListPager, usePager } from '../../components/ui/pager';
import { DataTable } from '../../components/ui/table';
import { dashboardApi } from '../../dashboard-api';
import { fmtShort } from '../../format';
import { fmtCredits, fmtCreditsUsd, fmtSignedCredits } from '../../money';
import { useAsync, useTitle } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { useModels } from '../../models';
import { Link, setQuery, useLocation } from '../../router';
import type { LedgerEntry, LedgerKind, StatementLine } from '../../types';

const STATEMENT_KINDS: StatementLine['kind'][] = ['task', 'grant', 'topup', 'redeem', 'adjustment'];
const ENTRY_KINDS: LedgerKind[] = ['grant', 'topup', 'redeem', 'hold', 'capture', 'release', 'adjustment'];
const KIND_TONE: Record<string, 'green' | 'blue' | 'amber' | 'neutral' | 'violet' | 'red'> = {
  grant: 'green',
  topup: 'green',
  redeem: 'green',
  hold: 'amber',
  capture: 'violet',
  release: 'neutral',
  adjustment: 'blue',
  task: 'violet',
};

function StatementRow({ line }: { line: StatementLine }) {
  const { t, lang } = useI18n();
  const models = useModels();
  const type = models.data?.find((m) => m.id === line.model)?.type;
  const held = t('credits_n', { n: fmtCredits(line.held ?? 0, lang) });
  const taskNote =
    line.status === 'held'
      ? t('ledger_task_held', { held })
      : line.status === 'not_charged'
        ? t('ledger_task_not_charged', { held })
        : line.held !== null && line.held > -line.amount
          ? t('ledger_task_charged', { held })
          : t('ledger_task_charged_full');
  return (
    <tr data-kind={line.kind} data-status={line.status ?? undefined}>
      <td className="nowrap">{fmtShort(line.created_at, lang)}</td>
      <td>
        <div className="cell-line">
          <Badge tone={KIND_TONE[line.kind] ?? 'neutral'}>{t(`kind_${line.kind}` as MessageKey)}</Badge>
          {line.model && <code className="small">{line.model}</code>}
          {type && <TypeBadge type={type} />}
        </div>
        {line.kind === 'task' && <div className="muted small">{taskNote}</div>}
        {line.note && <div className="small break">{line.note}</div>}
        {line.task_id && (
          <Link to={`/dashboard/usage/${line.task_id}`} className="small break">
            <code>{line.task_id}</code>
          </Link>
        )}
      </td>
      <td className={`num nowrap ${line.amount > 0 ? 'pos' : line.amount < 0 ? 'neg' : 'muted'}`}>{line.amount ? fmtSignedCredits(line.amount, lang) : '0'}</td>
      <td className="num nowrap">{fmtCredits(line.balance_after, lang)}</td>
    </tr>
  );
}

function EntryRow({ e }: { e: LedgerEntry }) {
  const { t, lang } = useI18n();
  return (
    <tr data-kind={e.kind}>
      <td className="nowrap">{fmtShort(e.created_at, lang)}</td>
      <td>
        <Badge tone={KIND_TONE[e.kind] ?? 'neutral'}>{t(`kind_${e.kind}` as MessageKey)}</Badge>
        {e.note && <div className="small break">{e.note}</div>}
        {e.task_id && (
          <Link to={`/dashboard/usage/${e.task_id}`} className="small break">
            <code>{e.task_id}</code>
          </Link>
        )}
      </td>
      <td className={`num nowrap ${e.amount > 0 ? 'pos' : e.amount < 0 ? 'neg' : ''}`}>{e.amount ? fmtSignedCredits(e.amount, lang) : '—'}</td>
      <td className="num nowrap muted">{e.reserved_delta ? fmtSignedCredits(e.reserved_delta, lang) : '—'}</td>
      <td className="num nowrap">{fmtCredits(e.balance_after, lang)}</td>
    </tr>
  );
}

export function Credits() {
  const { t, lang } = useI18n();
  useTitle(t('credits_title'));
  const { search } = useLocation();
  const entries = search.get('view') === 'entries';
  const kind = search.get('kind') ?? '';
  const pager = usePager();
  const account = useAsync(() => dashboardApi.account(), []);
  const ledger = useAsync<{ data: (StatementLine | LedgerEntry)[]; has_more?: boolean }>(
    () => (entries ? dashboardApi.ledger : dashboardApi.statement)({ limit: 20, kind: kind || undefined, starting_after: pager.cursor }),
    [entries, kind, pager.cursor],
  );
  const rows = ledger.data?.data ?? [];
  const a = account.data;
  const kinds: string[] = entries ? ENTRY_KINDS : STATEMENT_KINDS;
  return (
    <>
      <PageHeader title={t('credits_title')} lead={t('credits_lead')} actions={<ButtonLink to="/dashboard/billing">{t('check3_action')}</ButtonLink>} />
      <ErrorMessage error={account.error} onRetry={account.reload} />
      <div className="stats">
        <Stat
          label={t('balance')}
          value={a ? fmtCredits(a.balance + a.reserved, lang) : '…'}
          note={a ? (a.reserved ? t('balance_note', { n: t('credits_n', { n: fmtCredits(a.reserved, lang) }) }) : `≈ ${fmtCreditsUsd(a.balance + a.reserved)}`) : '\u00a0'}
          testId="balance"
        />
        <Stat label={t('reserved')} value={a ? fmtCredits(a.reserved, lang) : '…'} note={t('reserved_note')} />
        <Stat label={t('available')} value={a ? fmtCredits(a.balance, lang) : '…'} note={t('available_note')} testId="available" />
      </div>
      <Card
        title={t('ledger_title')}
        actions={
          <div className="filters compact">
            <FilterSelect
              id="kind-filter"
              label={t('ledger_kind')}
              value={kinds.includes(kind) ? kind : ''}
              options={kinds}
              optionLabel={(k) => t(`kind_${k}` as MessageKey)}
              onChange={(v) => setQuery({ kind: v })}
            />
            <label className="check-label small">
              <input type="checkbox" checked={entries} onChange={(e) => setQuery({ view: e.target.checked ? 'entries' : null, kind: null })} />
              <span>{t('ledger_show_entries')}</span>
            </label>
          </div>
        }
      >
        <Loaded
          state={ledger}
          height={300}
          empty={
            rows.length === 0 &&
            (kind ? (
              <EmptyState
                title={t('ledger_empty_filtered')}
                icon={<Icon name="credits" size={24} />}
                action={
                  <button type="button" className="btn" onClick={() => setQuery({ kind: null })}>
                    {t('clear_filters')}
                  </button>
                }
              />
            ) : (
              <EmptyState title={t('ledger_empty')} icon={<Icon name="credits" size={24} />} />
            ))
          }
        >
          {() =>
            entries ? (
              <DataTable
                wrapClassName={ledger.loading ? 'stale' : undefined}
                testId="ledger"
                className="ledger-table"
                columns={[{ label: t('ledger_date') }, { label: t('ledger_kind') }, { label: t('ledger_amount'), num: true }, { label: t('ledger_reserved'), num: true }, { label: t('ledger_balance'), num: true }]}
              >
                {(rows as LedgerEntry[]).map((e) => (
                  <EntryRow key={e.id} e={e} />
                ))}
              </DataTable>
            ) : (
              <DataTable
                wrapClassName={ledger.loading ? 'stale' : undefined}
                testId="ledger"
                className="ledger-table"
                columns={[{ label: t('ledger_date') }, { label: t('ledger_what') }, { label: t('ledger_amount'), num: true }, { label: t('ledger_balance'), num: true }]}
              >
                {(rows as StatementLine[]).map((line) => (
                  <StatementRow key={line.id} line={line} />
                ))}
              </DataTable>
            )
          }
        </Loaded>
        <ListPager pager={pager} list={ledger.data} />
      </Card>
    </>
  );
}
