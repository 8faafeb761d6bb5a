import { Icon } from '../../components/icons';
import { Badge, ButtonLink, Card, EmptyState, ErrorMessage, Loading, PageHeader, Pager, Stat, usePager } from '../../components/ui';
import { dashboardApi } from '../../api';
import { fmtNumber, fmtShort, fmtSigned } from '../../format';
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
        <Stat label={t('balance')} value={account.data ? fmtNumber(account.data.balance, lang) : '…'} note={account.data ? `≈ $${(account.data.balance / 100).toFixed(2)}` : undefined} testId="balance" />
        <Stat label={t('reserved')} value={account.data ? fmtNumber(account.data.reserved, lang) : '…'} note={t('reserved_note')} />
        <Stat label={t('available')} value={account.data ? fmtNumber(account.data.balance - account.data.reserved, lang) : '…'} />
      </div>
      <Card
        title={t('ledger_title')}
        actions={
          <div className="field inline">
            <label htmlFor="kind-filter">{t('ledger_kind')}</label>
            <select
              id="kind-filter"
              value={kind}
              onChange={(e) => {
                pager.reset();
                setQuery({ kind: e.target.value });
              }}
            >
              <option value="">{t('all')}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        {ledger.error ? (
          <ErrorMessage error={ledger.error} onRetry={ledger.reload} />
        ) : !ledger.data ? (
          <Loading />
        ) : rows.length === 0 ? (
          <EmptyState title={t('ledger_empty')} icon={<Icon name="credits" size={24} />} />
        ) : (
          <div className={`table-wrap ${ledger.loading ? 'stale' : ''}`}>
            <table className="table" data-testid="ledger">
              <thead>
                <tr>
                  <th scope="col">{t('ledger_date')}</th>
                  <th scope="col">{t('ledger_kind')}</th>
                  <th scope="col" className="num">
                    {t('ledger_amount')}
                  </th>
                  <th scope="col" className="num">
                    {t('ledger_reserved')}
                  </th>
                  <th scope="col" className="num">
                    {t('ledger_balance')}
                  </th>
                  <th scope="col">{t('ledger_note')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id} data-kind={e.kind}>
                    <td className="nowrap">{fmtShort(e.created_at, lang)}</td>
                    <td>
                      <Badge tone={KIND_TONE[e.kind] ?? 'neutral'}>{t(`kind_${e.kind}` as MessageKey)}</Badge>
                    </td>
                    <td className={`num ${e.amount > 0 ? 'pos' : e.amount < 0 ? 'neg' : ''}`}>{e.amount ? fmtSigned(e.amount, lang) : '—'}</td>
                    <td className="num muted">{e.reserved_delta ? fmtSigned(e.reserved_delta, lang) : '—'}</td>
                    <td className="num">{fmtNumber(e.balance_after, lang)}</td>
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
              </tbody>
            </table>
          </div>
        )}
        <Pager page={pager.page} hasMore={!!ledger.data?.has_more} onPrev={pager.prev} onNext={() => rows.length && pager.next(rows[rows.length - 1]!.id)} />
      </Card>
    </>
  );
}
