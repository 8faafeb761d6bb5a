import { Icon } from '../../components/icons';
import { Badge, ButtonLink, Card, DataTable, EmptyState, ErrorMessage, FilterSelect, ListPager, Loaded, PageHeader, Stat, usePager } from '../../components/ui';
import { dashboardApi } from '../../api';
import { fmtCredits, fmtCreditsUsd, fmtShort, fmtSignedCredits } from '../../format';
import { useAsync, useTitle } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { Link, setQuery, useLocation } from '../../router';
import type { LedgerKind } from '../../types';

const KINDS: LedgerKind[] = ['grant', 'topup', 'redeem', 'hold', 'capture', 'release', 'adjustment'];
const KIND_TONE: Record<LedgerKind, 'green' | 'blue' | 'amber' | 'neutral' | 'violet' | 'red'> = {
  grant: 'green',
  topup: 'green',
  redeem: 'green',
  hold: 'amber',
  capture: 'violet',
  release: 'neutral',
  adjustment: 'blue',
};

export function Credits() {
  const { t, lang } = useI18n();
  useTitle(t('credits_title'));
  const { search } = useLocation();
  const kind = search.get('kind') ?? '';
  const pager = usePager();
  const account = useAsync(() => dashboardApi.account(), []);
  const ledger = useAsync(() => dashboardApi.ledger({ limit: 20, kind: kind || undefined, starting_after: pager.cursor }), [kind, pager.cursor]);
  const rows = ledger.data?.data ?? [];
  return (
    <>
      <PageHeader title={t('credits_title')} lead={t('credits_lead')} actions={<ButtonLink to="/dashboard/billing">{t('check3_action')}</ButtonLink>} />
      <ErrorMessage error={account.error} onRetry={account.reload} />
      <div className="stats">
        <Stat label={t('balance')} value={account.data ? fmtCredits(account.data.balance, lang) : '…'} note={account.data ? `≈ ${fmtCreditsUsd(account.data.balance)}` : undefined} testId="balance" />
        <Stat label={t('reserved')} value={account.data ? fmtCredits(account.data.reserved, lang) : '…'} note={t('reserved_note')} />
        <Stat label={t('available')} value={account.data ? fmtCredits(account.data.balance - account.data.reserved, lang) : '…'} />
      </div>
      <Card
        title={t('ledger_title')}
        actions={
          <FilterSelect
            id="kind-filter"
            label={t('ledger_kind')}
            value={kind}
            options={KINDS}
            optionLabel={(k) => t(`kind_${k}` as MessageKey)}
            onChange={(v) => {
              pager.reset();
              setQuery({ kind: v });
            }}
          />
        }
      >
        <Loaded state={ledger} empty={rows.length === 0 && <EmptyState title={t('ledger_empty')} icon={<Icon name="credits" size={24} />} />}>
          {() => (
            <DataTable
              wrapClassName={ledger.loading ? 'stale' : undefined}
              testId="ledger"
              columns={[
                { label: t('ledger_date') },
                { label: t('ledger_kind') },
                { label: t('ledger_amount'), num: true },
                { label: t('ledger_reserved'), num: true },
                { label: t('ledger_balance'), num: true },
                { label: t('ledger_note') },
              ]}
            >
              {rows.map((e) => (
                <tr key={e.id} data-kind={e.kind}>
                  <td className="nowrap">{fmtShort(e.created_at, lang)}</td>
                  <td>
                    <Badge tone={KIND_TONE[e.kind] ?? 'neutral'}>{t(`kind_${e.kind}` as MessageKey)}</Badge>
                  </td>
                  <td className={`num ${e.amount > 0 ? 'pos' : e.amount < 0 ? 'neg' : ''}`}>{e.amount ? fmtSignedCredits(e.amount, lang) : '—'}</td>
                  <td className="num muted">{e.reserved_delta ? fmtSignedCredits(e.reserved_delta, lang) : '—'}</td>
                  <td className="num">{fmtCredits(e.balance_after, lang)}</td>
                  <td className="note">
                    {e.note && <span>{e.note}</span>}
                    {e.task_id && (
                      <div>
                        <Link to={`/dashboard/usage/${e.task_id}`} className="small">
                          <code>{e.task_id}</code>
                        </Link>
                      </div>
                    )}
                    {!e.note && !e.task_id && <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Loaded>
        <ListPager pager={pager} list={ledger.data} />
      </Card>
    </>
  );
}
