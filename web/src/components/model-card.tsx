import { fmtCreditsUsd } from '../format';
import { localize, type MessageKey, type Translate, useI18n } from '../i18n';
import { MODALITY_TYPES } from '../models';
import { priceWords, rateLines } from '../pricing';
import { Link } from '../router';
import type { Model } from '../types';
import { Badge } from './ui';

const LABELLED_TYPES = [...MODALITY_TYPES, 'chat'];

export function typeLabel(type: string, t: Translate): string {
  return LABELLED_TYPES.includes(type) ? t(`type_${type}` as MessageKey) : type;
}

const TYPE_TONE = { image: 'violet', video: 'blue', audio: 'green', tool: 'amber', chat: 'red' } as const;

/** The model's modality (image, video, audio, tool) as a coloured badge. */
export function TypeBadge({ type }: { type: string }) {
  const { t } = useI18n();
  return (
    <Badge tone={TYPE_TONE[type as keyof typeof TYPE_TONE] ?? 'neutral'}>
      <span data-type={type}>{typeLabel(type, t)}</span>
    </Badge>
  );
}

export function ModelCard({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const texts = localize(model, lang);
  const rates = rateLines(model.price, t, lang);
  return (
    <article className="model-card" data-model={model.id} data-type={model.type}>
      <div className="model-card-top">
        <TypeBadge type={model.type} />
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
