import { Icon } from '../../components/icons';
import { type FormEvent, useState } from 'react';
import { Alert, Badge, EmptyState, ErrorMessage, Loaded } from '../../components/ui/basic';
import { Field } from '../../components/ui/form';
import { Card, PageHeader, Stat } from '../../components/ui/page';
import { DataTable } from '../../components/ui/table';
import { dashboardApi } from '../../dashboard-api';
import { fmtDate } from '../../format';
import { fmtCredits, fmtUsd } from '../../money';
import { useAction, useAsync, useTitle } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { useLocation } from '../../router';
import type { Order } from '../../types';

const ORDER_TONE: Record<Order['status'], 'green' | 'amber' | 'red' | 'neutral'> = { paid: 'green', pending: 'amber', expired: 'neutral', failed: 'red' };

export function Billing() {
  const { t, lang } = useI18n();
  useTitle(t('billing_title'));
  const { search } = useLocation();
  const checkout = search.get('checkout');
  const account = useAsync(() => dashboardApi.account(), []);
  const billing = useAsync(() => dashboardApi.billing(), []);
  const orders = useAsync(() => dashboardApi.orders(), []);
  const [code, setCode] = useState('');
  const redeeming = useAction();
  const [redeemOk, setRedeemOk] = useState('');
  const [buying, setBuying] = useState<string | null>(null);
  const [buyError, setBuyError] = useState<unknown>();

  function redeem(e: FormEvent) {
    e.preventDefault();
    setRedeemOk('');
    void redeeming.run(async () => {
      const r = await dashboardApi.redeem(code.trim());
      setRedeemOk(t('redeem_ok', { credits: t('credits_n', { n: fmtCredits(r.credits, lang) }), balance: t('credits_n', { n: fmtCredits(r.balance, lang) }) }));
      setCode('');
      account.reload();
    });
  }

  async function buy(packId: string) {
    setBuying(packId);
    setBuyError(undefined);
    try {
      const { url } = await dashboardApi.checkout(packId);
      window.location.assign(url);
    } catch (err) {
      setBuyError(err);
      setBuying(null);
    }
  }

  return (
    <>
      <PageHeader title={t('billing_title')} lead={t('billing_lead')} />
      {checkout === 'success' && <Alert kind="success">{t('checkout_success')}</Alert>}
      {checkout === 'cancel' && <Alert kind="info">{t('checkout_cancel')}</Alert>}
      <div className="stats">
        <Stat label={t('balance')} value={account.data ? t('credits_n', { n: fmtCredits(account.data.balance + account.data.reserved, lang) }) : '…'} testId="balance" />
      </div>
      <div className="grid-2">
        <Card title={t('packs_title')}>
          <Loaded state={billing} height={120}>
            {(data) =>
              data.stripe_enabled && data.packs.length ? (
                <>
                  <ErrorMessage error={buyError} />
                  <div className="packs">
                    {data.packs.map((p) => (
                      <div key={p.id} className="pack">
                        <div className="pack-name">{p.name}</div>
                        <div className="pack-credits">{t('credits_n', { n: fmtCredits(p.credits, lang) })}</div>
                        <button type="button" className="btn btn-primary btn-block" disabled={buying !== null} onClick={() => buy(p.id)}>
                          {buying === p.id ? t('pack_redirecting') : t('pack_buy', { usd: fmtUsd(p.amount_usd) })}
                        </button>
                      </div>
                    ))}
                  </div>
                </>
              ) : (
                <Alert>{t('stripe_off')}</Alert>
              )
            }
          </Loaded>
        </Card>
        <Card title={t('redeem_title')}>
          <form onSubmit={redeem} className="inline-form">
            <Field label={t('redeem_code')}>
              {(id) => (
                <input id={id} name="code" value={code} required autoComplete="off" spellCheck={false} className="mono" placeholder="XXXX-XXXX-XXXX" onChange={(e) => setCode(e.target.value)} />
              )}
            </Field>
            <button type="submit" className="btn btn-primary" disabled={redeeming.busy || !code.trim()}>
              {t('redeem_submit')}
            </button>
          </form>
          <ErrorMessage error={redeeming.error} />
          {redeemOk && <Alert kind="success">{redeemOk}</Alert>}
        </Card>
      </div>
      <Card title={t('orders_title')}>
        <Loaded state={orders} height={100} empty={orders.data?.data.length === 0 && <EmptyState title={t('orders_empty')} icon={<Icon name="billing" size={24} />} />}>
          {(data) => (
            <DataTable
              columns={[
                { label: t('order_id') },
                { label: t('order_pack') },
                { label: t('order_credits'), num: true },
                { label: t('order_amount'), num: true },
                { label: t('order_status') },
                { label: t('order_created') },
                { label: t('order_paid') },
              ]}
            >
              {data.data.map((o) => (
                <tr key={o.id}>
                  <td>
                    <code className="small">{o.id}</code>
                  </td>
                  <td>{o.pack_id}</td>
                  <td className="num">{fmtCredits(o.credits, lang)}</td>
                  <td className="num">{fmtUsd(o.amount_usd)}</td>
                  <td>
                    <Badge tone={ORDER_TONE[o.status] ?? 'neutral'}>{t(`status_${o.status}` as MessageKey)}</Badge>
                  </td>
                  <td className="nowrap">{fmtDate(o.created_at, lang)}</td>
                  <td className="nowrap">{fmtDate(o.paid_at, lang)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Loaded>
      </Card>
    </>
  );
}
