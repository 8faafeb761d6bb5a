// A model's type and whether it runs live here, as badges.
import { type MessageKey, type Translate, useI18n } from '../i18n';
import { MODALITY_TYPES, modelState } from '../models';
import type { Model } from '../types';
import { Badge } from './ui/basic';

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

/** Whether a live key runs the model on this server now ("Live"), or only test keys ("Test only"). */
export function StateBadge({ model, label }: { model: Pick<Model, 'available'>; label?: string }) {
  const { t } = useI18n();
  const state = modelState(model);
  const hint = t(state === 'live' ? 'state_live_hint' : 'state_test_only_hint');
  return (
    <span className={`badge state-badge state-${state}`} data-state={state} title={hint}>
      <span className="dot" aria-hidden="true" />
      {label ?? t(state === 'live' ? 'state_live' : 'state_test_only')}
      <span className="sr-only">: {hint}</span>
    </span>
  );
}
