// Texts that come with a model from the catalog: its own translations (model.i18n). Chinese
// descriptions of the parameters are in param-texts.ts.
import type { Model, ModelTexts } from '../types';
import type { Lang } from './messages';

/** The model's texts in `lang`, falling back to the catalog's English. */
export function localize(model: Model, lang: Lang): Required<ModelTexts> {
  const tr = lang === 'en' ? {} : (model.i18n?.[lang] ?? {});
  return {
    name: tr.name ?? model.name,
    pitch: tr.pitch ?? model.pitch,
    description: tr.description ?? model.description,
    capabilities: tr.capabilities ?? model.capabilities,
    use_cases: tr.use_cases ?? model.use_cases,
    faq: tr.faq ?? model.faq,
  };
}

