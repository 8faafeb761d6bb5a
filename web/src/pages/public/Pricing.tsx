import { StateBadge, TypeBadge } from '../../components/model-badges';
import '../../i18n/en-pricing';
import { Alert, Loaded } from '../../components/ui/basic';
import { Card, PageHeader } from '../../components/ui/page';
import { DataTable } from '../../components/ui/table';
import { get } from '../../api';
import type { Billing } from '../../dashboard-api';
import { fmtCredits, fmtCreditsUsd, fmtUsd } from '../../money';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { byType, liveFirst, useModels } from '../../models';
import { priceWords, rateLines } from '../../pricing';
import { Link } from '../../router';

export function Pricing() {
  const { t, lang } = useI18n();
  const models = useModels();
  const billing = useAsync(() => get<Billing>('/api/billing').catch(() => null), []);
  useTitle(t('pricing_title'));
  return (
    <div className="container page">
      <PageHeader title={t('pricing_title')} lead={t('pricing_lead')} />
      <Card>
        <p className="muted small state-legend">{t('state_legend')}</p>
        <Loaded state={models} height={900}>
          {(data) => (
            <DataTable
              testId="pricing-table"
              className="pricing-table"
              columns={[{ label: t('pricing_model') }, { label: t('pricing_provider') }, { label: t('pricing_price') }, { label: t('pricing_usd'), num: true }, { label: t('pricing_state') }]}
            >
              {liveFirst(byType(data).flatMap(([, list]) => list)).map((m) => (
                <tr key={m.id} data-model={m.id} data-type={m.type} data-state={m.available ? 'live' : 'test_only'}>
                  <td>
                    <Link to={`/models/${m.id}`}>{localize(m, lang).name}</Link>
                    <div className="cell-line">
                      <code className="small">{m.id}</code> <TypeBadge type={m.type} />
                    </div>
                  </td>
                  <td>{m.provider}</td>
                  <td>
                    <strong>{priceWords(m.price, t, lang)}</strong>
                    {rateLines(m.price, t, lang).map((r) => (
                      <div key={r.name} className="muted small">
                        {r.text}
                      </div>
                    ))}
                    <div className="muted small">{t(m.price.billing === 'per_successful_request' ? 'price_billing_value' : 'price_billing_tokens')}</div>
                  </td>
                  <td className="num">{fmtCreditsUsd(m.price.credits)}</td>
                  <td>
                    <StateBadge model={m} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Loaded>
        <p className="muted small">{t('pricing_billing_note')}</p>
      </Card>
      {billing.data !== undefined && (
        <Card title={t('pricing_packs')}>
          {billing.data?.stripe_enabled && billing.data.packs.length > 0 ? (
            <>
              <p className="muted">{t('pricing_packs_lead')}</p>
              <div className="packs">
                {billing.data.packs.map((p) => (
                  <div key={p.id} className="pack">
                    <div className="pack-name">{p.name}</div>
                    <div className="pack-credits">{t('credits_n', { n: fmtCredits(p.credits, lang) })}</div>
                    <div className="muted">{fmtUsd(p.amount_usd)}</div>
                  </div>
                ))}
              </div>
            </>
          ) : (
            <Alert>{t('pricing_codes_only')}</Alert>
          )}
        </Card>
      )}
    </div>
  );
}
