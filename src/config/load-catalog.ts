import { readFileSync } from 'node:fs';
import Value from 'typebox/value';
import { CatalogSchema, type CatalogFile } from './catalog-schema.js';

export class ConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid catalog ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the catalog file; every problem is reported at once, with its path. */
export function loadCatalogFile(file: string, knownProviders: readonly string[]): CatalogFile {
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
  const problems = crossCheck(raw, knownProviders);
  if (problems.length) throw new ConfigError(file, problems);
  return raw;
}

function crossCheck(catalog: CatalogFile, knownProviders: readonly string[]): string[] {
  const problems: string[] = [];
  const modelIds = new Set<string>();
  catalog.models.forEach((m, i) => {
    const at = `/models/${i} (${m.id})`;
    if (modelIds.has(m.id)) problems.push(`${at}: duplicate model id`);
    modelIds.add(m.id);
    const { size, rendering_speed, output_format } = m.params;
    if (!(size.default in size.values)) problems.push(`${at}/params/size: default '${size.default}' is not one of its values`);
    if (!rendering_speed.values.includes(rendering_speed.default as never))
      problems.push(`${at}/params/rendering_speed: default '${rendering_speed.default}' is not one of its values`);
    if (!output_format.values.includes(output_format.default as never))
      problems.push(`${at}/params/output_format: default '${output_format.default}' is not one of its values`);
    for (const [ratio, [w, h]] of Object.entries(size.values)) {
      const match = /^(\d+):(\d+)$/.exec(ratio);
      if (!match) {
        problems.push(`${at}/params/size: '${ratio}' is not a W:H ratio`);
        continue;
      }
      const want = Number(match[1]) / Number(match[2]);
      if (Math.abs(w / h - want) / want > 0.01) problems.push(`${at}/params/size: ${w}x${h} is not ${ratio} (within 1%)`);
    }
  });
  const nodeIds = new Set<string>();
  catalog.nodes.forEach((n, i) => {
    const at = `/nodes/${i} (${n.id})`;
    if (nodeIds.has(n.id)) problems.push(`${at}: duplicate node id`);
    nodeIds.add(n.id);
    if (!knownProviders.includes(n.provider)) problems.push(`${at}: unknown provider '${n.provider}' (known: ${knownProviders.join(', ')})`);
    if (!(n.provider in catalog.providers)) problems.push(`${at}: provider '${n.provider}' has no entry under "providers"`);
    for (const model of n.models) if (!modelIds.has(model)) problems.push(`${at}: serves unknown model '${model}'`);
  });
  for (const name of Object.keys(catalog.providers))
    if (!knownProviders.includes(name)) problems.push(`/providers/${name}: unknown provider (known: ${knownProviders.join(', ')})`);
  return problems;
}
