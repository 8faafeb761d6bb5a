import { useI18n, localize, type MessageKey } from '../i18n';
import { fmtUsd } from '../format';
import { Link } from '../router';
import type { Model } from '../types';
import { Badge } from './ui';

export function typeLabel(type: string, t: (k: MessageKey) => string): string {
  return ['image', 'video', 'audio', 'tool'].includes(type) ? t(`type_${type}` as MessageKey) : type;
}

export function unitLabel(type: string, t: (k: MessageKey) => string): string {
  return ['image', 'video', 'audio', 'tool'].includes(type) ? t(`unit_${type}` as MessageKey) : type;
}

export function ModelCard({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const texts = localize(model, lang);
  return (
    <article className="model-card">
      <div className="model-card-top">
        <Badge tone="violet">{typeLabel(model.output_type, t)}</Badge>
        <span className="muted small">{model.provider}</span>
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
          <strong>{t('credits_n', { n: model.price.credits })}</strong>
          <span className="muted"> / {unitLabel(model.price.unit, t)} · ~{fmtUsd(model.price.usd)}</span>
        </span>
        <span className="arrow" aria-hidden="true">
          →
        </span>
      </div>
    </article>
  );
}
