// What the catalog check at start needs to know of the code, wired here so that the catalog and
// the modalities never import each other: the providers and their operations, and each model's
// type-specific parts (params block, price unit, the operation it needs) checked by its modality.
import Value from 'typebox/value';
import type { ModelConfig } from './config/catalog-schema.js';
import type { CatalogRules } from './config/load-catalog.js';
import { checkChatModel } from './modalities/chat/check.js';
import { modalityOf } from './modalities/registry.js';
import { providerIds, providerOperations } from './providers/registry.js';

export function checkModelAgainstModality(model: ModelConfig): { problems: string[]; operation?: string } {
  // Chat is direct, not a task: its own slice checks it.
  if (model.type === 'chat') return checkChatModel(model);
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

export const catalogRules: CatalogRules = { providers: providerIds, operationsOf: providerOperations, checkModel: checkModelAgainstModality };

/**
 * The start-up check of a node, for a node made at run time (a connection from the admin pages):
 * a known provider, known models, and each model's operation offered by the provider. Answers
 * the problems in words, empty when there are none.
 */
export function checkRuntimeNode(node: { provider: string; models: readonly string[] }, modelOf: (id: string) => ModelConfig | undefined): string[] {
  if (!providerIds.includes(node.provider)) return [`unknown provider '${node.provider}' (known: ${providerIds.join(', ')})`];
  const offered = providerOperations(node.provider);
  const problems: string[] = [];
  for (const id of node.models) {
    const model = modelOf(id);
    if (!model) {
      problems.push(`there is no model '${id}' in the catalog`);
      continue;
    }
    const { operation } = checkModelAgainstModality(model);
    if (operation && !offered.includes(operation as (typeof offered)[number]))
      problems.push(`provider '${node.provider}' has no '${operation}' operation, which '${id}' needs (it has: ${offered.join(', ') || 'none'})`);
  }
  return problems;
}
