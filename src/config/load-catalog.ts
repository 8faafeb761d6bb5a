import { readFileSync } from 'node:fs';
import Value from 'typebox/value';
import { CatalogSchema, type CatalogFile, type ModelConfig } from './catalog-schema.js';

export class ConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid catalog ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** What the catalog check needs to know of the code: the providers and the modalities. */
export interface CatalogRules {
  providers: readonly string[];
  /** The operations a provider offers (e.g. `image`, `video`). */
  operationsOf(provider: string): readonly string[];
  /** Problems of a model's type-specific parts (params, price unit), and the operation it needs. */
  checkModel(model: ModelConfig): { problems: string[]; operation?: string };
}

/** Reads and validates the catalog file; every problem is reported at once, with its path. */
export function loadCatalogFile(file: string, rules: CatalogRules): CatalogFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(file, [`cannot read it as JSON: ${(err as Error).message}`]);
  }
  if (!Value.Check(CatalogSchema, raw)) {
    const problems = [...Value.Errors(CatalogSchema, raw)]
      .slice(0, 20)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ConfigError(file, problems);
  }
  const problems = crossCheck(raw, rules);
  if (problems.length) throw new ConfigError(file, problems);
  return raw;
}

function crossCheck(catalog: CatalogFile, rules: CatalogRules): string[] {
  const knownProviders = rules.providers;
  const problems: string[] = [];
  const modelIds = new Set<string>();
  const operations = new Map<string, string | undefined>();
  catalog.models.forEach((m, i) => {
    const at = `/models/${i} (${m.id})`;
    if (modelIds.has(m.id)) problems.push(`${at}: duplicate model id`);
    modelIds.add(m.id);
    const checked = rules.checkModel(m);
    for (const problem of checked.problems) problems.push(`${at}: ${problem}`);
    operations.set(m.id, checked.operation);
  });
  const nodeIds = new Set<string>();
  catalog.nodes.forEach((n, i) => {
    const at = `/nodes/${i} (${n.id})`;
    if (nodeIds.has(n.id)) problems.push(`${at}: duplicate node id`);
    nodeIds.add(n.id);
    if (!knownProviders.includes(n.provider)) problems.push(`${at}: unknown provider '${n.provider}' (known: ${knownProviders.join(', ')})`);
    if (!(n.provider in catalog.providers)) problems.push(`${at}: provider '${n.provider}' has no entry under "providers"`);
    for (const model of n.models) {
      if (!modelIds.has(model)) {
        problems.push(`${at}: serves unknown model '${model}'`);
        continue;
      }
      const operation = operations.get(model);
      if (knownProviders.includes(n.provider) && operation && !rules.operationsOf(n.provider).includes(operation))
        problems.push(`${at}: provider '${n.provider}' has no '${operation}' operation, which '${model}' needs (it has: ${rules.operationsOf(n.provider).join(', ') || 'none'})`);
    }
  });
  for (const name of Object.keys(catalog.providers))
    if (!knownProviders.includes(name)) problems.push(`/providers/${name}: unknown provider (known: ${knownProviders.join(', ')})`);
  return problems;
}
