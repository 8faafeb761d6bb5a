// The catalog's check of a model's type-specific parts, asked of its modality: its params block
// against the modality's schema, its price unit, and which provider operation it needs.
import Value from 'typebox/value';
import type { ModelConfig } from '../config/catalog-schema.js';
import { modalityOf } from './registry.js';

export function checkModelAgainstModality(model: ModelConfig): { problems: string[]; operation?: string } {
  const modality = modalityOf(model.type);
  if (!modality) return { problems: [`type '${model.type}' is not served by this version`] };
  const problems: string[] = [];
  if (!Value.Check(modality.paramsSchema, model.params)) {
    for (const e of [...Value.Errors(modality.paramsSchema, model.params)].slice(0, 10)) problems.push(`/params${e.instancePath}: ${e.message}`);
    return { problems };
  }
  for (const p of modality.checkParams?.(model.params) ?? []) problems.push(`/params/${p}`);
  if (!modality.units.includes(model.price.unit)) problems.push(`/price/unit: a ${model.type} model is priced per ${modality.units.join(' or per ')}, not per ${model.price.unit}`);
  return { problems, operation: problems.length ? undefined : modality.operation(model) };
}
