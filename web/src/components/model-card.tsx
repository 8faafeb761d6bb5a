// A model as a card in lists: type, whether it runs live here, name, pitch and price.
import { useI18n } from '../i18n';
import { localize } from '../i18n/model-texts';
import { modelState } from '../models';
import { fmtCreditsUsd } from '../money';
import { priceWords, rateLines } from '../pricing';
import { Link } from '../router';
import type { Model } from '../types';
import { StateBadge, TypeBadge } from './model-badges';

export { StateBadge, TypeBadge, typeLabel } from './model-badges';

export function ModelCard({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const texts = localize(model, lang);
  const rates = rateLines(model.price, t, lang);
  return (
    <article className="model-card" data-model={model.id} data-type={model.type} data-state={modelState(model)}>
      <div className="model-card-top">
        <TypeBadge type={model.type} />
        <StateBadge model={model} />
        <span className="muted small model-card-provider">{model.provider}</span>
      </div>
      <h3>
        <Link to={`/models/${model.id}`} className="stretched">
          {texts.name}
        </Link>
      </h3>
      <code className="model-id">{model.id}</code>
      <p className="muted">{texts.pitch}</p>
      <div className="model-card-foot">
        <span className="price">
          <strong>{priceWords(model.price, t, lang)}</strong>
          <span className="muted"> · ~{fmtCreditsUsd(model.price.credits)}</span>
          {rates.map((r) => (
            <span key={r.name} className="muted small price-rate">
              {r.text}
            </span>
          ))}
        </span>
        <span className="arrow" aria-hidden="true">
          →
        </span>
      </div>
    </article>
  );
}
